import { existsSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { SerializedError } from '@vitest/utils'
import type { Reporter, TestModule } from 'vitest/node'

// Written by the browser tests' afterEach (tests/browser/support.ts) for each failed test.
const failures = fileURLToPath(new URL('../../test-artifacts/failures.txt', import.meta.url))

/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that CI
 * systems read without knowing vitest's own coloured summary. A file that fails
 * outside its tests (a throwing `beforeAll`, an import error) with no failed test
 * of its own counts as one failure, and so does each unhandled error, so the line
 * never reads "0 failed" for a failed run. Just before it come, in short, what the failed
 * browser tests' pages showed.
 */
export default class SummaryReporter implements Reporter {
  onInit() {
    rmSync(failures, { force: true })
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []) {
    const counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 }
    for (const module of testModules) {
      let failedHere = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') failedHere++
        else counts.skipped++
      }
      counts.failed += module.state() === 'failed' ? Math.max(failedHere, 1) : failedHere
    }
    if (counts.failed && existsSync(failures)) {
      // Where the failed browser tests' pages were and what they showed, last in the log.
      const lines = readFileSync(failures, 'utf8').trimEnd().split('\n')
      process.stdout.write(`\nWhat the failed browser tests' pages showed (test-artifacts/failures.txt):\n${lines.slice(0, 60).join('\n')}\n`)
    }
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`)
  }
}
