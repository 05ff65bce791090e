/**
 * `npm run bench [-- <name>...]`: runs the benchmarks (all, or the named ones). Each compares
 * against a baseline measured in the same process, because these machines are noisy; each
 * prints a sentence and then one JSON line `{"bench":"<name>",...}`.
 */
import { backlog } from './backlog';
import { ingest } from './ingest';
import { reports } from './reports';
import { routing } from './routing';
import { storeBatch } from './store-batch';
import { triage } from './triage';
import type { BenchResult } from './types';

const benches: Record<string, () => Promise<BenchResult>> = {
  'store-batch': storeBatch,
  ingest,
  backlog,
  routing,
  reports,
  triage,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  const result = await benches[name]!();
  process.stdout.write(`${result.bench}: ${result.summary}\n${JSON.stringify({ bench: result.bench, ...result.figures })}\n`);
}
