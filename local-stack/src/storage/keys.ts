import { errors } from './errors.ts'

// storage-api's own character rules (src/storage/limits.ts); anything else,
// any non-ASCII letter included, is refused.
const keyPattern = /^[\w/!.*'() &$=@;:+,?-]+$/
const bucketPattern = /^[\w!.*'() &$=@;:+,?-]+$/

/** Throws InvalidKey unless `key` is a name storage-api accepts and that is safe as a path on disk. */
export function mustBeValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !keyPattern.test(key)) throw errors.invalidKey(String(key ?? ''))
  // Keys map to files: `.`/`..` and empty segments would leave the bucket's folder or alias another key.
  if (key.split('/').some(segment => segment === '' || segment === '.' || segment === '..')) {
    throw errors.invalidKey(key)
  }
}

/** Throws InvalidBucketName unless `name` is a bucket name storage-api accepts. */
export function mustBeValidBucketName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > 100 || !bucketPattern.test(name)
    || name === '.' || name === '..') {
    throw errors.invalidBucketName()
  }
}

/** Splits `bucket/some/key` (still percent-encoded, as in the URL) into bucket and key. */
export function splitObjectPath(encoded: string) {
  let path: string
  try {
    path = decodeURIComponent(encoded)
  }
  catch {
    throw errors.invalidKey(encoded)
  }
  const parts = path.split('/').filter(Boolean)
  const bucket = parts.shift() ?? ''
  const key = parts.join('/')
  if (!bucket) throw errors.invalidBucketName()
  return { bucket, key }
}

/** The MIME type without parameters, lower-cased: `Text/Plain; charset=x` → `text/plain`. */
export function bareMime(mime: string) {
  return mime.split(';')[0]!.trim().toLowerCase()
}

/** Whether `mime` is allowed by a bucket's list (`image/png` or `image/*`); no list allows all. */
export function mimeAllowed(mime: string, allowed: string[] | null) {
  if (!allowed || allowed.length === 0) return true
  const [type, subtype] = bareMime(mime).split('/')
  return allowed.some((entry) => {
    const [allowedType, allowedSubtype] = bareMime(entry).split('/')
    return allowedType === type && (allowedSubtype === '*' || allowedSubtype === subtype)
  })
}

/** Parses a bucket size limit: bytes as a number, or `20GB`/`20MB`/`30KB`/`3B` (decimal, as storage-api). */
export function parseSizeLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(gb|mb|kb|b)$/i.exec(value.trim()) : null
  if (!match) throw errors.invalidRequest('Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B')
  const factor = { gb: 1e9, mb: 1e6, kb: 1e3, b: 1 }[match[2]!.toLowerCase() as 'gb' | 'mb' | 'kb' | 'b']
  return Math.round(Number(match[1]) * factor)
}
