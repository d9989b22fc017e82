// The browser tests' global setup: builds the app (when needed) and serves it against
// the local stack that tests/setup/stack.ts started.
import type { TestProject } from 'vitest/node'
import { buildApp, serveApp } from './app-server'

declare module 'vitest' {
  export interface ProvidedContext {
    app: { url: string }
  }
}

/** True when this run was given file filters and none of them can reach the browser tests. */
function browserTestsFilteredOut() {
  const filters = process.argv.slice(2).filter(arg => !arg.startsWith('-') && arg !== 'run')
  return filters.length > 0 && !filters.some(filter => 'tests/browser/'.startsWith(filter.replace(/^\.\//, '').replace(/\/?$/, '/')) || filter.includes('browser'))
}

/** Builds (when needed) and starts the app for browser tests. */
export default async function setup(project: TestProject) {
  if (browserTestsFilteredOut()) return project.provide('app', { url: '' })
  const stack = project.getProvidedContext().stack
  await buildApp(stack)
  const app = await serveApp(stack)
  project.provide('app', { url: app.url })
  return () => app.stop()
}
