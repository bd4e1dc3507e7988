#!/usr/bin/env node
// Sums every jest --json report under a folder and prints the totals as the last line, "N passed, N failed",
// which is what CI reads. A suite that could not run at all (compile error, crash) counts as one failure.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2] ?? 'reports/jest';
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : [];
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  } catch {
    failed += 1;
    lines.push(`${file}: unreadable report`);
    continue;
  }
  const brokenSuites = report.numRuntimeErrorTestSuites ?? 0;
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + brokenSuites;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  lines.push(
    `${file.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
      (brokenSuites ? `, ${brokenSuites} suites could not run` : ''),
  );
}
for (const line of lines) console.log(line);
if (files.length === 0) console.log(`no jest reports found in ${folder}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
