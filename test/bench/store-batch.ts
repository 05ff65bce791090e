/**
 * The store's batch insert against a statement per row, same rows, same process, both inside
 * one transaction (so only the statement count differs). Prints rows/s for each and the ratio.
 */
import { join } from 'node:path';
import { Database } from '../../electron/core/store/db';
import { tempDir } from '../support/temp';
import type { BenchResult } from './types';

const ROWS = 50_000;
const ROUNDS = 3;

function rows(offset: number): (string | number)[][] {
  return Array.from({ length: ROWS }, (_, i) => ['x', `m${offset + i}`, `a message of ordinary length, number ${offset + i}`, 1_764_000_000_000 + i]);
}

export async function storeBatch(): Promise<BenchResult> {
  const dir = tempDir('desk-bench-');
  const db = await Database.open(join(dir.path, 'bench.sqlite3'));
  try {
    await db.exec('CREATE TABLE m (id INTEGER PRIMARY KEY, platform TEXT, external_id TEXT, text TEXT, created_at INTEGER, UNIQUE (platform, external_id))');
    const columns = ['platform', 'external_id', 'text', 'created_at'];
    let perRowMs = 0;
    let batchMs = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate the order so neither side always runs on a warmer cache.
      const jobs = [
        async () => {
          const data = rows(round * 2 * ROWS);
          const start = performance.now();
          await db.transaction(async (tx) => {
            for (const row of data) await tx.run('INSERT INTO m (platform, external_id, text, created_at) VALUES (?, ?, ?, ?)', row);
          });
          perRowMs += performance.now() - start;
        },
        async () => {
          const data = rows((round * 2 + 1) * ROWS);
          const start = performance.now();
          await db.insertMany('m', columns, data);
          batchMs += performance.now() - start;
        },
      ];
      if (round % 2 === 1) jobs.reverse();
      for (const job of jobs) await job();
    }
    const perRow = (ROWS * ROUNDS) / (perRowMs / 1000);
    const batch = (ROWS * ROUNDS) / (batchMs / 1000);
    return {
      bench: 'store-batch',
      summary: `batch insert ${Math.round(batch).toLocaleString('en-US')} rows/s vs per-row ${Math.round(perRow).toLocaleString('en-US')} rows/s: ${(batch / perRow).toFixed(1)}x`,
      figures: { rows: ROWS * ROUNDS, batch_rows_per_s: Math.round(batch), per_row_rows_per_s: Math.round(perRow), ratio: Number((batch / perRow).toFixed(2)) },
    };
  } finally {
    await db.close();
    dir.remove();
  }
}
