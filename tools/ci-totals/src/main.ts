import { parseArgs } from 'node:util';
import { computeCiTotals, formatCiTotals } from './ci-totals';
import { readCiRun } from './read-ci-run';

const USAGE = `Usage: ci-totals --graph <task-graph.json> --results <task-results.json> --reports <dir> --exit-code <n> [--problem <text>]...

Prints a line per task of the run, the failures, and last "N passed, N failed". Exits 1 when anything failed.`;

/**
 * The CI totals of one `npm test` run (see .ci/run). Runs from the workspace root:
 *   node -r @swc-node/register tools/ci-totals/src/main.ts --graph ... --results ... --reports ... --exit-code $?
 */
function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      graph: { type: 'string' },
      results: { type: 'string' },
      reports: { type: 'string' },
      'exit-code': { type: 'string' },
      problem: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const exitCode = Number(values['exit-code']);
  if (!values.graph || !values.results || !values.reports || !/^\d+$/.test(values['exit-code'] ?? '')) {
    console.error(USAGE);
    return 2;
  }
  const totals = computeCiTotals(
    readCiRun({
      workspaceRoot: process.cwd(),
      graphFile: values.graph,
      resultsFile: values.results,
      reportsDir: values.reports,
      exitCode,
      problems: values.problem ?? [],
    }),
  );
  for (const line of formatCiTotals(totals)) console.log(line);
  return totals.failed > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(USAGE);
  process.exitCode = 2;
}
