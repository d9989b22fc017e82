/** A failure the person starting the stack can act on: printed as one line, no stack trace. */
export class StackError extends Error {}
