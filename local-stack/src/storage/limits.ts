import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { log } from '../log.ts'

/** storage-api's FILE_SIZE_LIMIT when the project says nothing: the Supabase CLI's 50 MiB. */
export const defaultGlobalSizeLimit = 50 * 1024 * 1024

const units: Record<string, number> = { '': 1, 'b': 1, 'k': 1024, 'kb': 1024, 'kib': 1024, 'm': 1024 ** 2,
  'mb': 1024 ** 2, 'mib': 1024 ** 2, 'g': 1024 ** 3, 'gb': 1024 ** 3, 'gib': 1024 ** 3 }

/** Parses a size as the Supabase CLI reads config.toml ("50MiB", "5MB": both binary units). */
export function parseConfigSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const factor = match ? units[match[2]!.toLowerCase()] : undefined
  return match && factor ? Math.floor(Number(match[1]) * factor) : undefined
}

/**
 * The largest object the stack accepts: `[storage] file_size_limit` of the
 * project's supabase/config.toml, which the Supabase CLI hands to storage-api.
 */
export function globalSizeLimit(projectDir: string) {
  const file = join(projectDir, 'supabase', 'config.toml')
  if (!existsSync(file)) return defaultGlobalSizeLimit
  let section = ''
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line)
    if (header) section = header[1]!.trim()
    const setting = section === 'storage' && /^\s*file_size_limit\s*=\s*"([^"]*)"/.exec(line)
    if (!setting) continue
    const size = parseConfigSize(setting[1]!)
    if (size !== undefined) return size
    log('storage', `supabase/config.toml has file_size_limit = "${setting[1]}", which is not a size; using 50MiB`)
  }
  return defaultGlobalSizeLimit
}
