const colours: Record<string, number> = { postgres: 34, api: 32, auth: 35, rest: 36, storage: 33, realtime: 31, mailbox: 90, stack: 1 }

/** One readable log line, prefixed by the part of the stack that speaks. */
export function log(part: string, message: string) {
  if (process.env.STACK_QUIET === '1') return
  const tag = process.stdout.isTTY ? `\x1b[${colours[part] ?? 0}m${part.padEnd(8)}\x1b[0m` : part.padEnd(8)
  process.stdout.write(`${tag} ${message}\n`)
}

/** A problem worth a line even from a quiet stack (tests): it explains a failure there. */
export function logProblem(part: string, message: string) {
  if (process.env.STACK_QUIET === '1') process.stderr.write(`${part.padEnd(8)} ${message}\n`)
  else log(part, message)
}
