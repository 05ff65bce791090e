/**
 * The disposition report on a generated history of 1,000,000 interactions over two years: a
 * 90-day range by day (and by week), without filters and with each filter, read the way the
 * console reads it (one count per day, code and channel over the covering index
 * `interactions_by_disposition`), against one full scan of the table computing the same report,
 * in the same run. Target: <= 50 ms per report (the median of several runs).
 */
import { DateTime } from 'luxon';
import type { ReportFilters, ReportGranularity } from '../../electron/core/contract';
import { dispositionReport } from '../../electron/core/handlers/reports';
import { openStore } from '../../electron/core/store';
import type { Database, SqlValue } from '../../electron/core/store/db';
import { saveDispositionCode, setDispositionCodeRetired } from '../../electron/core/store/dispositions';
import { insertAgentRow, insertQueueRow } from '../../electron/core/store/routing';
import { tempDir } from '../support/temp';
import type { BenchResult } from './types';

const INTERACTIONS = Number(process.env.BENCH_REPORTS_ROWS ?? 1_000_000);
const CONTACTS = 50_000;
const AGENTS = 30;
const QUEUES = 6;
const CHUNK = 100_000;
const RUNS = 7;
const TARGET_MS = 50;
const ZONE = 'Europe/Paris';
const END = Date.UTC(2025, 11, 31, 23, 0);
const START = END - 2 * 365 * 86_400_000;
const MINUTE = 60_000;

/** A small deterministic generator, so every run reads the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Agents, queues, codes (one retired), contacts, and the messages and interactions of two years. */
export async function generateHistory(db: Database): Promise<{ agentIds: number[]; queueIds: number[] }> {
  const { agentIds, queueIds, codeIds } = await db.transaction(async (tx) => {
    const agentIds: number[] = [];
    for (let i = 0; i < AGENTS; i += 1) agentIds.push(await insertAgentRow(tx, { name: `Agent ${i + 1}`, publicCapacity: 3, privateCapacity: 3, skills: [], groups: [] }, START));
    const queueIds: number[] = [];
    for (let i = 0; i < QUEUES; i += 1) {
      queueIds.push(await insertQueueRow(tx, { name: `Queue ${i + 1}`, priority: 50, serviceLevelPercent: 80, serviceLevelWithinMs: 15 * MINUTE, overflow: null, skills: [] }, START));
    }
    const legacy = await saveDispositionCode(tx, { name: 'Legacy (retired)' }, START);
    await setDispositionCodeRetired(tx, legacy.id, true, START);
    const codeIds = (await tx.all<{ id: number }>('SELECT id FROM disposition_codes ORDER BY id')).map((row) => row.id);
    const contacts: SqlValue[][] = [];
    for (let i = 1; i <= CONTACTS; i += 1) contacts.push([i, `Customer ${i}`, `customer ${i}`, START, START]);
    await tx.insertMany('contacts', ['id', 'display_name', 'search_text', 'created_at', 'updated_at'], contacts);
    return { agentIds, queueIds, codeIds };
  });

  const next = random(7);
  const channels = ['x', 'facebook', 'messenger'] as const;
  const kinds = { x: 'x.mention', facebook: 'facebook.comment', messenger: 'messenger.message' } as const;
  const step = (END - START) / INTERACTIONS;
  for (let from = 0; from < INTERACTIONS; from += CHUNK) {
    const messages: SqlValue[][] = [];
    const interactions: SqlValue[][] = [];
    for (let i = from; i < Math.min(INTERACTIONS, from + CHUNK); i += 1) {
      const id = i + 1;
      const at = Math.floor(START + i * step + next() * step);
      const channel = channels[Math.floor(next() * 3)]!;
      const contactId = 1 + Math.floor(next() * CONTACTS);
      messages.push([id, channel, `ext-${id}`, contactId, kinds[channel], 'inbound', channel === 'messenger' ? 'private' : 'public', 'Where is my order?', at, at]);
      const completed = next() < 0.9;
      const agent = agentIds[Math.floor(next() * AGENTS)]!;
      const queue = queueIds[Math.floor(next() * QUEUES)]!;
      const code = codeIds[Math.floor(next() * codeIds.length)]!;
      const firstResponse = at + Math.floor((1 + next() * 60) * MINUTE);
      const completedAt = firstResponse + Math.floor((1 + next() * 60) * MINUTE);
      interactions.push([
        id,
        id,
        contactId,
        completed ? 'completed' : 'auto-handled',
        at,
        completed ? completedAt : at,
        completed ? completedAt : null,
        completed ? agent : null,
        completed ? code : null,
        completed ? channel : null,
        completed ? queue : null,
        completed ? firstResponse : null,
        completed ? (next() < 0.7 ? 'public' : 'both') : null,
        Math.round((next() * 2 - 1) * 100) / 100,
        'open',
      ]);
    }
    await db.transaction(async (tx) => {
      await tx.insertMany('messages', ['id', 'platform', 'external_id', 'contact_id', 'kind', 'direction', 'visibility', 'text', 'created_at', 'received_at'], messages);
      await tx.insertMany(
        'interactions',
        [
          'id',
          'message_id',
          'contact_id',
          'state',
          'created_at',
          'updated_at',
          'completed_at',
          'completed_by_agent_id',
          'disposition_code_id',
          'completed_channel',
          'completed_queue_id',
          'first_response_at',
          'answer_visibility',
          'sentiment',
          'calendar_on_arrival',
        ],
        interactions,
      );
    });
  }
  return { agentIds, queueIds };
}

export async function reports(): Promise<BenchResult> {
  const dir = tempDir('desk-bench-');
  const store = await openStore(dir.path);
  const { db } = store;
  try {
    const generateStart = performance.now();
    const { agentIds, queueIds } = await generateHistory(db);
    await db.exec('ANALYZE');
    const generateMs = performance.now() - generateStart;

    // The last 90 days of the history, by day in the desk's zone.
    const to = DateTime.fromMillis(END, { zone: ZONE }).toISODate()!;
    const from = DateTime.fromMillis(END, { zone: ZONE }).minus({ days: 89 }).toISODate()!;
    const cases: Array<{ name: string; filters: ReportFilters; granularity: ReportGranularity }> = [
      { name: 'all', filters: {}, granularity: 'day' },
      { name: 'channel', filters: { channel: 'messenger' }, granularity: 'day' },
      { name: 'queue', filters: { queueId: queueIds[2]! }, granularity: 'day' },
      { name: 'agent', filters: { agentId: agentIds[5]! }, granularity: 'day' },
      { name: 'queue_agent_channel', filters: { queueId: queueIds[1]!, agentId: agentIds[3]!, channel: 'x' }, granularity: 'day' },
      { name: 'weeks', filters: {}, granularity: 'week' },
    ];
    const figures: Record<string, number | string> = { interactions: INTERACTIONS, range_days: 90, generate_s: Number((generateMs / 1000).toFixed(1)) };
    let worstIndexed = 0;
    let worstRatio = Infinity;
    const lines: string[] = [];
    for (const { name, filters, granularity } of cases) {
      const query = { from, to, granularity, filters, timeZone: ZONE };
      const timed = async (scan: boolean) => {
        const start = performance.now();
        const report = await dispositionReport(db, query, { scan });
        return { ms: performance.now() - start, total: report.total, report: JSON.stringify(report) };
      };
      // Warm both paths, then alternate so neither always runs on a warmer cache.
      const indexedFirst = await timed(false);
      const scanFirst = await timed(true);
      if (indexedFirst.report !== scanFirst.report) throw new Error(`${name}: the index and the scan disagree (${indexedFirst.total} vs ${scanFirst.total} completions)`);
      const indexed: number[] = [];
      const scanned: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        if (run % 2 === 0) {
          indexed.push((await timed(false)).ms);
          scanned.push((await timed(true)).ms);
        } else {
          scanned.push((await timed(true)).ms);
          indexed.push((await timed(false)).ms);
        }
      }
      const indexedMs = median(indexed);
      const scanMs = median(scanned);
      worstIndexed = Math.max(worstIndexed, indexedMs);
      worstRatio = Math.min(worstRatio, scanMs / indexedMs);
      figures[`${name}_ms`] = Number(indexedMs.toFixed(1));
      figures[`${name}_scan_ms`] = Number(scanMs.toFixed(1));
      figures[`${name}_completions`] = indexedFirst.total;
      lines.push(`${name} ${indexedMs.toFixed(1)} ms (scan ${scanMs.toFixed(0)} ms, ${indexedFirst.total.toLocaleString('en-US')} completions)`);
    }
    figures.worst_ms = Number(worstIndexed.toFixed(1));
    figures.target_ms = TARGET_MS;
    figures.min_speedup = Number(worstRatio.toFixed(1));
    figures.met = worstIndexed <= TARGET_MS ? 'yes' : 'no';
    return {
      bench: 'reports',
      summary:
        `90-day disposition report over ${INTERACTIONS.toLocaleString('en-US')} interactions: worst ${worstIndexed.toFixed(1)} ms (target <= ${TARGET_MS} ms, ` +
        `${worstIndexed <= TARGET_MS ? 'met' : 'MISSED'}), at least ${worstRatio.toFixed(1)}x faster than a full scan; ${lines.join('; ')}`,
      figures,
    };
  } finally {
    await store.close();
    dir.remove();
  }
}
