/**
 * The Reports page in a real browser against server mode (the built bundle in a child process,
 * the sandbox without simulated customers). Completed work is seeded into the SQLite file
 * through the store's own modules before the desk starts. Needs `npm run build` first.
 * Screenshots land in test-results/screenshots/ (reports-*.png).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openStore } from '../../electron/core/store';
import { writeSettings } from '../../electron/core/store/settings';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { codeId, seedAgent, seedQueue, seedWork, type WorkSpec } from '../support/seed-reports';
import { launchBrowser, problemsIn, runAxe, screenshotDir, seriousOrWorse, type ConsolePage } from './browser';
import { callDesk, openConsole, screenshotOf } from './desk-page';

const ZONE = 'Europe/Paris';
const DAY = 86_400_000;
const MINUTE = 60_000;

let browser: Browser;
let server: ServerProcess;
const opened: ConsolePage[] = [];
/** What was seeded, to compare with what the page shows. */
const seeded = { total: 0, messenger: 0 };

async function seed(dataDir: string): Promise<void> {
  const store = await openStore(dataDir);
  try {
    await store.db.transaction(async (tx) => {
      await writeSettings(tx, { timeZone: ZONE }, 0, 'test');
      const ines = await seedAgent(tx, 'Ines Duarte');
      const omar = await seedAgent(tx, 'Omar Haddad');
      const orders = await seedQueue(tx, 'Orders');
      const billing = await seedQueue(tx, 'Billing', { percent: 90, withinMs: 5 * MINUTE });
      const codes = [await codeId(tx, 'Resolved'), await codeId(tx, 'Information given'), await codeId(tx, 'Escalated'), await codeId(tx, 'Follow-up needed')];
      const channels = ['x', 'facebook', 'messenger'] as const;
      const specs: WorkSpec[] = [];
      // Three weeks of work ending two hours ago, a few a day, spread over codes, channels, queues and agents.
      const end = Date.now() - 2 * 3_600_000;
      for (let i = 0; i < 63; i += 1) {
        const channel = channels[i % 3]!;
        specs.push({
          channel,
          arrivedAt: end - Math.floor((i * 20 * DAY) / 63) - 30 * MINUTE,
          queueId: i % 4 === 0 ? billing : orders,
          agentId: i % 2 === 0 ? ines : omar,
          dispositionCodeId: codes[(i * 7) % codes.length]!,
          acceptedAfterMs: ((i % 9) + 1) * MINUTE,
          answeredAfterMs: ((i % 7) + 2) * MINUTE,
          answerVisibility: i % 3 === 2 ? 'private' : 'public',
          sentiment: ((i % 5) - 2) / 2,
          calendarOnArrival: 'open',
          contactName: i === 0 ? '=SUM(A1:A9), "the boss"' : undefined,
          note: i === 0 ? 'line one\nline two' : undefined,
        });
        seeded.total += 1;
        if (channel === 'messenger') seeded.messenger += 1;
      }
      await seedWork(tx, specs);
    });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServerProcess({ seed, extraArgs: ['--sandbox-traffic', 'off'] });
});

afterEach(async () => {
  for (const consolePage of opened.splice(0)) await consolePage.close();
});

afterAll(async () => {
  await server?.stop();
  await browser?.close();
});

async function openReports(): Promise<ConsolePage> {
  const consolePage = await openConsole(browser, server, opened, '#/reports');
  await consolePage.page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await consolePage.page.getByTestId('report-chart').waitFor();
  return consolePage;
}

async function bars(page: Page): Promise<number> {
  return page.locator('[data-testid="report-chart"] .recharts-bar-rectangle path').count();
}

describe('the Reports page', () => {
  it('charts the completions per code, narrows to a channel, and exports CSV and PNG', async () => {
    const { page, ...rest } = await openReports();
    const consolePage = { page, ...rest };
    await expect.poll(() => page.getByTestId('breakdown-total').textContent()).toBe(String(seeded.total));
    expect(await bars(page)).toBeGreaterThan(10);
    // One row per code in use, each with its share; the seeded codes add up to the total.
    const rows = page.getByTestId('breakdown-row');
    expect(await rows.count()).toBe(5);
    await expect.poll(() => rows.filter({ hasText: 'Resolved' }).locator('td').first().textContent()).not.toBe('0');
    await expect.poll(() => page.getByTestId('figure-volume').textContent()).toBe(String(seeded.total));
    await page.mouse.move(1, 1);
    await screenshotOf(page.locator('main'), 'reports-page');

    const allBars = await bars(page);
    await page.getByLabel('Channel').selectOption('messenger');
    await expect.poll(() => page.getByTestId('breakdown-total').textContent()).toBe(String(seeded.messenger));
    await expect.poll(() => page.getByTestId('report-total').textContent()).toContain(`${seeded.messenger} completed`);
    expect(await bars(page)).toBeLessThan(allBars);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/^interactions-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-messenger\.csv$/);
    const text = readFileSync((await csv.path())!, 'utf8').replace(/^\ufeff/, '');
    const lines = text.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe(
      'interaction id,arrived at,state,channel,event type,contact,queue,agent,disposition,disposition note,sentiment,answer,first response (seconds),service level met,calendar on arrival,completed at',
    );
    expect(lines).toHaveLength(seeded.messenger + 1);
    expect(lines.slice(1).every((line) => /^\d+,\d{4}-\d{2}-\d{2}T[\d:]+[+-]\d{2}:\d{2},completed,Messenger,Messenger message,/.test(line))).toBe(true);
    await page.getByTestId('export-note').filter({ hasText: `${seeded.messenger} interactions` }).waitFor();

    // The formula-looking name and the note with a line break, in the export of every channel.
    await page.getByLabel('Channel').selectOption('');
    await expect.poll(() => page.getByTestId('breakdown-total').textContent()).toBe(String(seeded.total));
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const allText = readFileSync((await all.path())!, 'utf8');
    expect(allText).toContain('"\'=SUM(A1:A9), ""the boss"""');
    expect(allText).toContain('"line one\nline two"');

    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(png.suggestedFilename()).toMatch(/^dispositions-.*\.png$/);
    const bytes = readFileSync((await png.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(5_000);
    mkdirSync(screenshotDir, { recursive: true });
    await png.saveAs(join(screenshotDir, 'reports-chart-export.png'));

    expect(seriousOrWorse(await runAxe(page))).toEqual([]);
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('switches to weeks, and refuses an end before the start with the desk\'s message', async () => {
    const consolePage = await openReports();
    const { page } = consolePage;
    await page.getByRole('radio', { name: 'Week' }).check();
    await expect.poll(async () => (await page.getByTestId('report-total').textContent()) ?? '').toContain(`${seeded.total} completed`);
    await expect.poll(() => page.getByTestId('report-chart').locator('.recharts-xAxis-tick-labels').textContent()).toContain('Week of ');
    expect(await page.getByTestId('report-chart').locator('.recharts-xAxis-tick-labels').textContent()).not.toMatch(/\b\d{1,2} [A-Z][a-z]{2}\d/);
    await page.mouse.move(1, 1);
    await screenshotOf(page.getByTestId('disposition-card'), 'reports-weeks');
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await page.getByTestId('report-problem').filter({ hasText: 'the end date is before the start date' }).waitFor();
    await screenshotOf(page.getByTestId('report-controls'), 'reports-range-refused');
    const problems = (await problemsIn(consolePage)).filter((p) => !(p.kind === 'console' && /status of 400/.test(p.text)));
    expect(problems).toEqual([]);
  });

  it('adds, renames, retires and brings back a disposition code', async () => {
    const { page } = await openReports();
    const admin = page.getByTestId('codes-admin');
    await admin.getByLabel('New code').fill('Refund issued');
    await admin.getByRole('button', { name: 'Add' }).click();
    await admin.getByText('Added “Refund issued”.').waitFor();
    await admin.getByRole('button', { name: 'Rename Refund issued' }).click();
    await admin.getByLabel('New name for Refund issued').fill('Refund granted');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Renamed to “Refund granted”.').waitFor();
    await admin.getByLabel('New code').fill('resolved');
    await admin.getByRole('button', { name: 'Add' }).click();
    await admin.getByRole('alert').filter({ hasText: 'a disposition code named "Resolved" already exists' }).waitFor();
    await admin.getByRole('button', { name: 'Retire Escalated' }).click();
    await admin.getByRole('button', { name: 'Bring back Escalated' }).waitFor();
    // Retired, still in the report: its completions do not vanish from the past.
    await page.getByTestId('breakdown-row').filter({ hasText: 'Escalated' }).filter({ hasText: 'Retired' }).waitFor();
    await page.mouse.move(1, 1);
    await screenshotOf(admin, 'reports-codes');
    const listed = await callDesk<{ codes: Array<{ name: string }> }>(server, 'listDispositionCodes', {});
    expect(listed.value!.codes.map((code) => code.name)).toEqual(['Follow-up needed', 'Information given', 'Refund granted', 'Resolved', 'Spam / no action']);
    await admin.getByRole('button', { name: 'Bring back Escalated' }).click();
    await admin.getByRole('button', { name: 'Retire Escalated' }).waitFor();
  });
});
