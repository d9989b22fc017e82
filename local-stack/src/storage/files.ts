import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, mkdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { errors, StorageError } from './errors.ts'

/** Bytes received into a temporary file, not yet an object. */
export interface TempFile {
  path: string
  size: number
  /** Quoted MD5 of the content, as S3 and storage-api give it. */
  eTag: string
}

/** Counts and hashes what passes, failing with EntityTooLarge past `limit` bytes. */
function meter(limit: number, onDone: (size: number, md5: string) => void) {
  const hash = createHash('md5')
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length
      if (size > limit) {
        callback(errors.tooLarge())
        return
      }
      hash.update(chunk)
      callback(null, chunk)
    },
    flush(callback) {
      onDone(size, hash.digest('hex'))
      callback()
    },
  })
}

/**
 * The objects' bytes on disk, under `<dataDir>/storage/<bucket>/<key>`.
 * Uploads land in a temporary folder first and are renamed into place only
 * once their row is written, so a file never appears half-written.
 */
export class FileStore {
  readonly root: string
  readonly tempDir: string

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'storage')
    this.tempDir = resolve(dataDir, 'storage-uploads')
  }

  /** Drops what uploads cut short by a crash or a kill left in the temporary folder. */
  async clearLeftovers() {
    await rm(this.tempDir, { recursive: true, force: true })
  }

  /** The file of an object; refuses any path that would leave the bucket's folder. */
  pathOf(bucket: string, key: string) {
    const bucketDir = resolve(this.root, bucket)
    const path = resolve(bucketDir, key)
    if (!bucketDir.startsWith(this.root + sep) || !path.startsWith(bucketDir + sep) || path.includes('\0')) {
      throw errors.invalidKey(key)
    }
    return path
  }

  private async newTempPath() {
    await mkdir(this.tempDir, { recursive: true })
    return join(this.tempDir, randomUUID())
  }

  /** Streams `source` into a temporary file; nothing is left behind when it fails. */
  async receive(source: Readable, limit: number): Promise<TempFile> {
    // The source may fail before the pipeline below listens; that failure is reported by the pipeline.
    source.on('error', () => {})
    const path = await this.newTempPath()
    const temp: TempFile = { path, size: 0, eTag: '' }
    try {
      await pipeline(source, meter(limit, (size, md5) => {
        temp.size = size
        temp.eTag = `"${md5}"`
      }), createWriteStream(path))
      return temp
    }
    catch (error) {
      await this.discard(temp)
      if (error instanceof StorageError) throw error
      throw errors.invalidRequest('The upload did not complete: the request body ended early or was unreadable')
    }
  }

  /** A temporary copy of an object's file, for copying it to another key. */
  async copyToTemp(bucket: string, key: string): Promise<string> {
    const path = await this.newTempPath()
    try {
      await copyFile(this.pathOf(bucket, key), path)
    }
    catch (error) {
      await rm(path, { force: true })
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw errors.noSuchKey()
      throw error
    }
    return path
  }

  /** Moves a temporary file into place as the object's file, replacing an older one. */
  async place(tempPath: string, bucket: string, key: string) {
    const target = this.pathOf(bucket, key)
    try {
      await mkdir(dirname(target), { recursive: true })
      await rename(tempPath, target)
    }
    catch (error) {
      throw this.clash(error, key)
    }
  }

  /** Renames an object's file to another key (move). */
  async move(from: { bucket: string, key: string }, to: { bucket: string, key: string }) {
    const source = this.pathOf(from.bucket, from.key)
    const target = this.pathOf(to.bucket, to.key)
    try {
      await mkdir(dirname(target), { recursive: true })
      await rename(source, target)
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw errors.noSuchKey()
      throw this.clash(error, to.key)
    }
    await this.pruneEmptyFolders(from.bucket, source)
  }

  // A key and a folder of the same name (`a` and `a/b`) can both exist in
  // storage-api, but not as files on one disk; the later upload is refused.
  // So is a key whose folder or file names are longer than the disk allows.
  private clash(error: unknown, key: string) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENAMETOOLONG') return errors.invalidKey(key)
    if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
      return errors.invalidRequest(`The key ${key} clashes with a folder or file of the same name in this local stack`)
    }
    return error
  }

  /** Removes an object's file and the folders it leaves empty; a missing file is fine. */
  async remove(bucket: string, key: string) {
    let path: string
    try {
      path = this.pathOf(bucket, key)
    }
    catch {
      // A row written with plain SQL may have a name no file can have; there is nothing to remove.
      return
    }
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await this.pruneEmptyFolders(bucket, path)
  }

  private async pruneEmptyFolders(bucket: string, path: string) {
    const bucketDir = resolve(this.root, bucket)
    for (let dir = dirname(path); dir.startsWith(bucketDir + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir)
      }
      catch {
        return
      }
    }
  }

  /** Removes a bucket's folder once the bucket is gone. */
  async removeBucket(bucket: string) {
    const bucketDir = resolve(this.root, bucket)
    if (bucketDir.startsWith(this.root + sep)) await rm(bucketDir, { recursive: true, force: true })
  }

  async discard(temp: TempFile | string) {
    await rm(typeof temp === 'string' ? temp : temp.path, { force: true })
  }

  /** Size and modification time of an object's file, or undefined when it is missing. */
  async stat(bucket: string, key: string) {
    try {
      const info = await stat(this.pathOf(bucket, key))
      return info.isFile() ? info : undefined
    }
    catch {
      return undefined
    }
  }

  read(bucket: string, key: string, range?: { start: number, end: number }) {
    return createReadStream(this.pathOf(bucket, key), range)
  }
}
