// Prints "N passed, N failed[, N skipped]" from Vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log(`0 passed, ${status === '0' ? 0 : 1} failed`);
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A suite that failed to load counts as a failure even though none of its tests ran.
const failedSuites = (r.testResults ?? []).filter(
  (s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0,
).length;
const failed = (r.numFailedTests ?? 0) + failedSuites;
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
