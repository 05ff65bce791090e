/**
 * The reports through the desk's commands: counts per day in the desk's zone across a DST change,
 * weeks, filters, retired codes, the summary figures and the CSV export. Completed work is seeded
 * into a real SQLite file before the desk starts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DispositionReport, ReportSummary } from '../../electron/core/contract';
import { ManualClock } from '../../electron/core/clock';
import { createDesk, type Desk } from '../../electron/core/desk';
import { FileSecretStore } from '../../electron/core/secrets';
import { dispositionReport } from '../../electron/core/handlers/reports';
import { NO_CODE_NAME } from '../../electron/core/reports';
import { openStore } from '../../electron/core/store';
import { Database } from '../../electron/core/store/db';
import { loadMigrations, migrate } from '../../electron/core/store/migrate';
import type { Sql } from '../../electron/core/store/db';
import { writeSettings } from '../../electron/core/store/settings';
import { codeId, seedAgent, seedQueue, seedWork } from '../support/seed-reports';
import { tempDir } from '../support/temp';

const console_ = { actor: 'console' };
const MINUTE = 60_000;
let dir: ReturnType<typeof tempDir>;
let desk: Desk | null;

beforeEach(() => {
  dir = tempDir();
  desk = null;
});
afterEach(async () => {
  await desk?.stop();
  dir.remove();
});

/** Seeds with the store, then starts a desk on the same folder. */
async function deskWith(seed: (tx: Sql) => Promise<void>, zone = 'Europe/Paris'): Promise<Desk> {
  const store = await openStore(dir.path);
  try {
    await store.db.transaction(async (tx) => {
      await writeSettings(tx, { timeZone: zone }, 0, 'test');
      await seed(tx);
    });
  } finally {
    await store.close();
  }
  desk = createDesk({ dataDir: dir.path, version: 'test', secrets: new FileSecretStore(join(dir.path, 'secrets.json')), clock: new ManualClock(Date.UTC(2025, 3, 15, 12)), eventWindowMs: 10 });
  await desk.start();
  return desk;
}

async function ok<T>(name: string, input: unknown): Promise<T> {
  const result = await desk!.call(name, input, console_);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Counts per bucket date for one code name. */
function series(report: DispositionReport, name: string): Record<string, number> {
  const index = report.codes.findIndex((code) => code.name === name);
  return Object.fromEntries(report.buckets.map((bucket) => [bucket.date, index < 0 ? 0 : bucket.counts[index]!]));
}

// Paris, spring 2025: clocks go from 02:00 to 03:00 on Sunday 30 March (UTC+1 -> UTC+2).
const paris = (iso: string) => Date.parse(iso);

describe('the disposition report', () => {
  it('counts completions per day on the desk\'s wall clock across the spring DST change', async () => {
    const ids: Record<string, number> = {};
    await deskWith(async (tx) => {
      const agentId = await seedAgent(tx, 'Ines');
      const queueId = await seedQueue(tx, 'Orders');
      const resolved = await codeId(tx, 'Resolved');
      const escalated = await codeId(tx, 'Escalated');
      ids.resolved = resolved;
      const at = (completedAt: number, code: number) => ({ channel: 'x' as const, arrivedAt: completedAt - 20 * MINUTE, completedAt, queueId, agentId, dispositionCodeId: code });
      await seedWork(tx, [
        at(paris('2025-03-29T23:30:00+01:00'), resolved), // Saturday evening in Paris (22:30 UTC)
        at(paris('2025-03-30T00:30:00+01:00'), resolved), // Sunday in Paris, still Saturday in UTC
        at(paris('2025-03-30T03:30:00+02:00'), escalated), // just after the clocks went forward
        at(paris('2025-03-30T23:30:00+02:00'), resolved), // Sunday's last hour (21:30 UTC)
        at(paris('2025-03-31T00:15:00+02:00'), resolved), // Monday in Paris, Sunday in UTC
        at(paris('2025-04-02T12:00:00+02:00'), escalated), // outside the range
      ]);
    });
    const report = await ok<DispositionReport>('readDispositionReport', { from: '2025-03-29', to: '2025-03-31', granularity: 'day' });
    expect(report.timeZone).toBe('Europe/Paris');
    expect(report.buckets.map((bucket) => bucket.date)).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
    expect(series(report, 'Resolved')).toEqual({ '2025-03-29': 1, '2025-03-30': 2, '2025-03-31': 1 });
    expect(series(report, 'Escalated')).toEqual({ '2025-03-29': 0, '2025-03-30': 1, '2025-03-31': 0 });
    expect(report.buckets.map((bucket) => bucket.total)).toEqual([1, 3, 1]);
    expect(report.total).toBe(5);
    // The Sunday the clocks went forward is one day of 23 hours.
    const sunday = report.buckets[1]!;
    expect(sunday.startAt).toBe(paris('2025-03-30T00:00:00+01:00'));
    expect((sunday.endAt - sunday.startAt) / 3_600_000).toBe(23);
    expect(report.breakdown.find((row) => row.code.name === 'Resolved')).toMatchObject({ total: 4, percent: 80, byChannel: { x: 4, facebook: 0, messenger: 0 } });
    // Codes in use with nothing in the range are still listed (a row of zeros in the table).
    expect(report.codes.map((code) => code.name)).toEqual(['Escalated', 'Follow-up needed', 'Information given', 'Resolved', 'Spam / no action']);

    const weeks = await ok<DispositionReport>('readDispositionReport', { from: '2025-03-26', to: '2025-04-06', granularity: 'week' });
    expect(weeks.buckets.map((bucket) => [bucket.date, bucket.label, bucket.total])).toEqual([
      ['2025-03-26', 'Week of 24 Mar', 4], // clipped to the range: Wednesday to Sunday
      ['2025-03-31', 'Week of 31 Mar', 2],
    ]);
  });

  it('the same completions fall on other days for a desk in another zone', async () => {
    await deskWith(async (tx) => {
      const agentId = await seedAgent(tx, 'Ines');
      const queueId = await seedQueue(tx, 'Orders');
      const resolved = await codeId(tx, 'Resolved');
      await seedWork(tx, [
        { channel: 'x', arrivedAt: paris('2025-03-30T00:00:00+01:00'), completedAt: paris('2025-03-30T00:30:00+01:00'), queueId, agentId, dispositionCodeId: resolved },
      ]);
    }, 'America/New_York');
    const report = await ok<DispositionReport>('readDispositionReport', { from: '2025-03-29', to: '2025-03-30' });
    expect(series(report, 'Resolved')).toEqual({ '2025-03-29': 1, '2025-03-30': 0 }); // 18:30 on Saturday in New York
  });

  it('filters by channel, queue and agent, and keeps counting a code after it is retired', async () => {
    let escalated = 0;
    let ines = 0;
    let orders = 0;
    await deskWith(async (tx) => {
      ines = await seedAgent(tx, 'Ines');
      const omar = await seedAgent(tx, 'Omar');
      orders = await seedQueue(tx, 'Orders');
      const billing = await seedQueue(tx, 'Billing');
      const resolved = await codeId(tx, 'Resolved');
      escalated = await codeId(tx, 'Escalated');
      const day = paris('2025-06-10T10:00:00+02:00');
      await seedWork(tx, [
        { channel: 'x', arrivedAt: day, queueId: orders, agentId: ines, dispositionCodeId: resolved },
        { channel: 'messenger', arrivedAt: day, queueId: orders, agentId: omar, dispositionCodeId: escalated },
        { channel: 'facebook', arrivedAt: day, queueId: billing, agentId: ines, dispositionCodeId: escalated },
        { channel: 'messenger', arrivedAt: day, queueId: billing, agentId: omar, dispositionCodeId: resolved },
        { channel: 'x', arrivedAt: day, queueId: orders, agentId: ines, dispositionCodeId: null }, // still assigned: not counted
      ]);
    });
    const read = (filters: object) => ok<DispositionReport>('readDispositionReport', { from: '2025-06-10', to: '2025-06-10', filters });
    expect((await read({})).total).toBe(4);
    expect(series(await read({ channel: 'messenger' }), 'Resolved')).toEqual({ '2025-06-10': 1 });
    expect((await read({ channel: 'messenger' })).total).toBe(2);
    expect((await read({ queueId: orders })).total).toBe(2);
    expect((await read({ agentId: ines })).total).toBe(2);
    expect((await read({ agentId: ines, queueId: orders })).total).toBe(1);
    expect((await read({ agentId: ines, channel: 'messenger' })).total).toBe(0);

    const retired = await desk!.call('retireDispositionCode', { id: escalated }, console_);
    expect(retired).toMatchObject({ ok: true, value: { name: 'Escalated', retired: true } });
    const after = await read({});
    expect(after.total).toBe(4);
    expect(after.codes.find((code) => code.name === 'Escalated')).toEqual({ id: escalated, name: 'Escalated', retired: true });
    expect(series(after, 'Escalated')).toEqual({ '2025-06-10': 2 });
    // A retired code with nothing in the range is not a column of that report.
    const empty = await ok<DispositionReport>('readDispositionReport', { from: '2025-01-01', to: '2025-01-02' });
    expect(empty.codes.map((code) => code.name)).not.toContain('Escalated');
  });

  it('refuses a range whose end is before its start, a date that does not exist and a range over two years', async () => {
    await deskWith(async () => undefined);
    expect(await desk!.call('readDispositionReport', { from: '2025-03-10', to: '2025-03-01' }, console_)).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'the end date is before the start date (from 2025-03-10 to 2025-03-01)' },
    });
    expect(await desk!.call('exportInteractionsCsv', { from: '2025-03-10', to: '2025-03-01' }, console_)).toMatchObject({ ok: false, error: { message: /the end date is before the start date/ } });
    expect(await desk!.call('readReportSummary', { from: '2025-03-10', to: '2025-03-01' }, console_)).toMatchObject({ ok: false, error: { message: /the end date is before the start date/ } });
    expect(await desk!.call('readDispositionReport', { from: '2025-02-30', to: '2025-03-01' }, console_)).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'readDispositionReport: from is not a date written YYYY-MM-DD (for example 2025-03-30)' },
    });
    expect(await desk!.call('readDispositionReport', { from: '2020-01-01', to: '2025-01-01' }, console_)).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: /is 1828 days long: a report covers at most 732 days/ },
    });
  });
});

describe('completions from before codes existed', () => {
  it('count in a column of their own, on the day they were completed', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 5);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at)
        VALUES ('facebook', 'f1', 1, 'facebook.comment', 'inbound', 'public', 'hi', 0, 0);
      INSERT INTO interactions (id, message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 1, 'completed', 0, 0);
      INSERT INTO interaction_state_history (interaction_id, at, from_state, to_state, actor, reason)
        VALUES (1, ${paris('2025-03-30T00:30:00+01:00')}, 'assigned', 'completed', 'Ana', NULL);
    `);
    await migrate(db, loadMigrations());
    const report = await dispositionReport(db, { from: '2025-03-29', to: '2025-03-30', granularity: 'day', filters: {}, timeZone: 'Europe/Paris' });
    expect(series(report, NO_CODE_NAME)).toEqual({ '2025-03-29': 0, '2025-03-30': 1 });
    expect(report.codes.at(-1)).toEqual({ id: null, name: NO_CODE_NAME, retired: false });
    expect(report.breakdown.at(-1)).toMatchObject({ total: 1, byChannel: { facebook: 1 } });
    expect((await dispositionReport(db, { from: '2025-03-29', to: '2025-03-30', granularity: 'day', filters: { channel: 'x' }, timeZone: 'Europe/Paris' })).total).toBe(0);
    await db.close();
  });
});

describe('the summary', () => {
  it('gives volume by channel, first response and handle time (median, p90) and service level per queue', async () => {
    await deskWith(async (tx) => {
      const agentId = await seedAgent(tx, 'Ines');
      const fast = await seedQueue(tx, 'Fast lane', { percent: 80, withinMs: 5 * MINUTE });
      const resolved = await codeId(tx, 'Resolved');
      const day = paris('2025-06-10T10:00:00+02:00');
      // First responses after 1..10 minutes; accepted after 1..10 minutes; completed 30 minutes after arrival.
      await seedWork(
        tx,
        Array.from({ length: 10 }, (_, i) => ({
          channel: i < 6 ? ('x' as const) : ('messenger' as const),
          arrivedAt: day + i * MINUTE,
          acceptedAfterMs: (i + 1) * MINUTE,
          answeredAfterMs: (i + 1) * MINUTE,
          completedAt: day + i * MINUTE + 30 * MINUTE,
          queueId: fast,
          agentId,
          dispositionCodeId: resolved,
        })),
      );
    });
    const summary = await ok<ReportSummary>('readReportSummary', { from: '2025-06-10', to: '2025-06-10' });
    expect(summary.volumeByChannel).toEqual([
      { channel: 'x', interactions: 6 },
      { channel: 'facebook', interactions: 0 },
      { channel: 'messenger', interactions: 4 },
    ]);
    expect(summary.firstResponse).toEqual({ count: 10, medianMs: 5.5 * MINUTE, p90Ms: 9.1 * MINUTE });
    // Handle time: from being offered (accepted - 1 s) ... accepted at (i+1) min, done at 30 min.
    expect(summary.handleTime.count).toBe(10);
    expect(summary.handleTime.medianMs).toBe(24.5 * MINUTE);
    expect(summary.serviceLevel).toEqual([
      { queueId: expect.any(Number), queueName: 'Fast lane', answered: 10, withinTarget: 5, percent: 50, targetPercent: 80, targetWithinMs: 5 * MINUTE, met: false },
    ]);
    expect(summary.autoHandled).toEqual({ closedDeskAnswers: 0, autoLikes: 0, autoReplies: 0, total: 0 });
    const messengerOnly = await ok<ReportSummary>('readReportSummary', { from: '2025-06-10', to: '2025-06-10', filters: { channel: 'messenger' } });
    expect(messengerOnly.volumeByChannel).toEqual([{ channel: 'messenger', interactions: 4 }]);
    expect(messengerOnly.firstResponse.count).toBe(4);
    expect(messengerOnly.serviceLevel[0]).toMatchObject({ answered: 4, withinTarget: 0, percent: 0 });
  });
});

/** RFC 4180, enough to read back what the desk wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('the CSV export', () => {
  it('has one row per interaction with the right columns, and escapes what a spreadsheet would misread', async () => {
    await deskWith(async (tx) => {
      const agentId = await seedAgent(tx, 'Ines');
      const queueId = await seedQueue(tx, 'Orders');
      const resolved = await codeId(tx, 'Resolved');
      const day = paris('2025-06-10T10:00:00+02:00');
      await seedWork(tx, [
        {
          channel: 'x',
          arrivedAt: day,
          queueId,
          agentId,
          dispositionCodeId: resolved,
          contactName: '=HYPERLINK("http://evil.example","click"), Esq.',
          note: 'said "thanks",\nthen left',
          sentiment: -0.5,
          calendarOnArrival: 'open',
          answerVisibility: 'private',
        },
        { channel: 'messenger', arrivedAt: day + MINUTE, queueId, agentId, dispositionCodeId: null, contactName: '@mallory', answeredAfterMs: null, acceptedAfterMs: 20 * MINUTE },
      ]);
    });
    const result = await ok<{ fileName: string; csv: string; rows: number; truncated: boolean }>('exportInteractionsCsv', { from: '2025-06-10', to: '2025-06-10' });
    expect(result.fileName).toBe('interactions-2025-06-10-to-2025-06-10.csv');
    expect(result.rows).toBe(2);
    expect(result.truncated).toBe(false);
    // The formula-looking name is quoted (it has commas and quotes) and starts with an apostrophe.
    expect(result.csv).toContain('"\'=HYPERLINK(""http://evil.example"",""click""), Esq."');
    expect(result.csv).toContain('"said ""thanks"",\nthen left"');
    const rows = parseCsv(result.csv);
    expect(rows[0]).toEqual([
      'interaction id',
      'arrived at',
      'state',
      'channel',
      'event type',
      'contact',
      'queue',
      'agent',
      'disposition',
      'disposition note',
      'sentiment',
      'answer',
      'first response (seconds)',
      'service level met',
      'calendar on arrival',
      'completed at',
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      expect.stringMatching(/^\d+$/),
      '2025-06-10T10:00:00+02:00',
      'completed',
      'X',
      'X mention',
      '\'=HYPERLINK("http://evil.example","click"), Esq.',
      'Orders',
      'Ines',
      'Resolved',
      'said "thanks",\nthen left',
      '-0.5', // a number stays a number
      'private',
      '300',
      'yes',
      'open',
      '2025-06-10T10:10:00+02:00',
    ]);
    expect(rows[2]).toEqual([expect.stringMatching(/^\d+$/), '2025-06-10T10:01:00+02:00', 'assigned', 'Messenger', 'Messenger message', "'@mallory", 'Orders', 'Ines', '', '', '', '', '', 'no', '', '']);

    const filtered = await ok<{ fileName: string; rows: number }>('exportInteractionsCsv', { from: '2025-06-10', to: '2025-06-10', filters: { channel: 'messenger' } });
    expect(filtered).toMatchObject({ fileName: 'interactions-2025-06-10-to-2025-06-10-messenger.csv', rows: 1 });
  });
});

describe('disposition codes through the desk', () => {
  it('are added, renamed and retired with an audit entry and an event; bad names are refused', async () => {
    await deskWith(async () => undefined);
    const events: string[] = [];
    desk!.subscribe((batch) => events.push(...batch.events.map((event) => event.type)));
    const added = await ok<{ id: number; name: string }>('saveDispositionCode', { name: 'Refund issued' });
    await ok('saveDispositionCode', { id: added.id, name: 'Refund granted' });
    await ok('retireDispositionCode', { id: added.id });
    expect(await desk!.call('saveDispositionCode', { name: 'resolved' }, console_)).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'a disposition code named "Resolved" already exists' },
    });
    const listed = await ok<{ codes: Array<{ name: string }> }>('listDispositionCodes', {});
    expect(listed.codes.map((code) => code.name)).not.toContain('Refund granted');
    const all = await ok<{ codes: Array<{ name: string; retired: boolean }> }>('listDispositionCodes', { includeRetired: true });
    expect(all.codes.find((code) => code.name === 'Refund granted')).toMatchObject({ retired: true });
    const audit = await ok<{ entries: Array<{ action: string; subject: string }> }>('readAuditLog', {});
    expect(audit.entries.map((entry) => [entry.action, entry.subject]).slice(0, 3)).toEqual([
      ['disposition.retired', 'Refund granted'],
      ['disposition.renamed', 'Refund granted'],
      ['disposition.added', 'Refund issued'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter((type) => type === 'dispositionCodesChanged')).toHaveLength(3);
  });
});
