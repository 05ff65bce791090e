/**
 * The Queues and Agents pages in a real browser against server mode, with the sandbox network's
 * customers writing in. The sandbox runs in this test process (startSandbox) and server mode uses
 * it through `--sandbox-file`, so the test makes customers post exactly when it wants (the same
 * `customers.post` the sandbox's control API calls). Needs `npm run build` first. Screenshots land
 * in test-results/screenshots/ (queues-*.png, agents-*.png).
 *
 * The tests do not assume the wall clock is within opening hours: setup saves a calendar open
 * around the clock, with no special days, and emergency mode off.
 *
 * One desk for the file, and the tests build on each other in order: empty desk, traffic with no
 * agent ready, an agent created and set ready on the Agents page, queue administration and a
 * supervisor's move, refused agent input, and a storm with the Queues page open.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../electron/sandbox';
import { openStore } from '../../electron/core/store';
import { writeSettings } from '../../electron/core/store/settings';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp';
import { launchBrowser, problemsIn, runAxe, screenshotDir, seriousOrWorse, type ConsolePage } from './browser';
import { callDesk, goTo, openConsole, screenshotWindow, withoutRefusalsOf } from './desk-page';

let browser: Browser;
let sandbox: Sandbox;
let server: ServerProcess;
const opened: ConsolePage[] = [];
const temp = tempDir('desk-queues-');

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

interface Tile {
  queueId: number | null;
  group: string | null;
  name: string;
  waiting: number;
}

async function waitForStream(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const connectors = (await callDesk<{ connectors: { connector: string; state: string; mode: string }[] }>(server, 'getConnectors', {})).value?.connectors ?? [];
    const x = connectors.find((c) => c.connector === 'x');
    if (x?.state === 'running' && x.mode === 'stream') return;
    if (Date.now() > deadline) throw new Error(`the X connector did not start streaming: ${JSON.stringify(x)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Open around the clock, no special day, no emergency: routing happens whatever the hour. */
async function alwaysOpen(): Promise<void> {
  const calendar = (await callDesk<{ calendar: Record<string, unknown> }>(server, 'getCalendar', {})).value!.calendar;
  const weekly = Object.fromEntries(WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]]));
  const saved = await callDesk(server, 'saveCalendar', { calendar: { ...calendar, weekly, specialDays: [] } });
  expect(saved.error?.message ?? '').toBe('');
  expect((await callDesk(server, 'setEmergency', { on: false })).ok).toBe(true);
}

function shotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, `${name}.png`);
}

/** The whole page as if the window were that tall: the sticky header sits where it belongs. */
async function fullPageShot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: shotPath(name), animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(viewport);
}

/** One part of the page, photographed in a window tall enough to hold the whole page. */
async function shotOf(locator: Locator, name: string): Promise<void> {
  const page = locator.page();
  const viewport = page.viewportSize()!;
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  await page.setViewportSize({ width: viewport.width, height });
  const box = (await locator.boundingBox())!;
  const pad = 8;
  await page.screenshot({
    path: shotPath(name),
    clip: { x: Math.max(0, box.x - pad), y: Math.max(0, box.y - pad), width: box.width + 2 * pad, height: box.height + 2 * pad },
    animations: 'disabled',
    caret: 'hide',
  });
  await page.setViewportSize(viewport);
}

async function expectNoSeriousAxe(page: Page, where: string): Promise<void> {
  const serious = seriousOrWorse(await runAxe(page));
  expect(serious, `${where}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

function tile(page: Page, name: string): Locator {
  return page.getByTestId('queue-tile').filter({ has: page.getByTestId('tile-name').getByText(name, { exact: true }) });
}

async function waitingOn(page: Page, name: string, count: number): Promise<void> {
  await tile(page, name).getByTestId('tile-waiting').getByText(new Intl.NumberFormat('en-GB').format(count), { exact: true }).waitFor({ timeout: 30_000 });
}

function agentRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="agent-row"][data-agent="${name}"]`);
}

async function routingTiles(): Promise<Tile[]> {
  return (await callDesk<{ snapshot: Tile[] }>(server, 'getRouting', {})).value!.snapshot;
}

beforeAll(async () => {
  sandbox = await startSandbox({ dataDir: join(temp.path, 'sandbox'), rateLimits: { multiplier: 1000 } });
  const description = join(temp.path, 'sandbox.json');
  writeFileSync(description, JSON.stringify({ port: sandbox.port, caPath: sandbox.caPath, x: sandbox.x, facebook: sandbox.facebook }));
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServerProcess({
      extraArgs: ['--sandbox-file', description],
      timeoutMs: 60_000,
      seed: async (dataDir) => {
        // X mentions through the filtered stream: they reach the desk within a second.
        const store = await openStore(dataDir);
        try {
          await store.db.transaction((tx) => writeSettings(tx, { xStream: true, backfillHours: 0 }, Date.now(), 'test'));
        } finally {
          await store.close();
        }
      },
    }),
  ]);
  await waitForStream();
  await alwaysOpen();
}, 120_000);

// One console at a time: every open console renders every event, and there are two cores.
afterEach(async () => {
  for (const consolePage of opened.splice(0)) await consolePage.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sandbox?.close();
  temp.remove();
});

describe('Queues and Agents with the sandbox’s customers writing', () => {
  it('starts empty: the default queue with nothing waiting, no agents; accessible', async () => {
    const consolePage = await openConsole(browser, server, opened, '#/queues');
    const { page } = consolePage;
    await page.getByRole('heading', { level: 1, name: 'Queues' }).waitFor();
    await waitingOn(page, 'general', 0);
    expect(await tile(page, 'general').getByTestId('tile-oldest').textContent()).toBe('—');
    await page.getByTestId('waiting-empty').waitFor();
    await page.getByTestId('agents-board-empty').waitFor();
    await page.getByTestId('waiting-chart').waitFor();
    await expectNoSeriousAxe(page, 'Queues, empty');
    await fullPageShot(page, 'queues-empty');

    await goTo(page, 'Agents');
    await page.getByTestId('agents-empty').waitFor();
    await expectNoSeriousAxe(page, 'Agents, empty');
    await fullPageShot(page, 'agents-empty');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('the general tile rises as customers post; an agent created and set ready on the Agents page takes the work and shows busy', async () => {
    const consolePage = await openConsole(browser, server, opened, '#/queues');
    const { page } = consolePage;
    await waitingOn(page, 'general', 0);

    // No agent is ready: what customers write waits.
    for (let i = 1; i <= 3; i += 1) {
      await sandbox.customers.post({ kind: 'x.mention', customer: `queue-check-${i}`, text: `QUEUE-CHECK ${i}: where is my parcel? Order 44${i}1.` });
    }
    await waitingOn(page, 'general', 3);
    const rows = page.getByTestId('waiting-row');
    await rows.filter({ hasText: 'QUEUE-CHECK 3' }).waitFor();
    expect(await rows.count()).toBe(3);
    // The oldest wait ticks while the page is open.
    const oldest = tile(page, 'general').getByTestId('tile-oldest');
    const first = await oldest.textContent();
    for (let tries = 0; (await oldest.textContent()) === first; tries += 1) {
      if (tries > 50) throw new Error(`the oldest wait stayed at ${first}`);
      await page.waitForTimeout(100);
    }
    await expectNoSeriousAxe(page, 'Queues with work waiting');
    await fullPageShot(page, 'queues-waiting');

    // An item's whole story: the rule that decided and why, the calendar, nobody offered yet.
    await rows.filter({ hasText: 'QUEUE-CHECK 1' }).click();
    const details = page.getByTestId('interaction-details');
    await details.getByTestId('decision-rule').waitFor();
    expect(await details.getByTestId('decision-rule').textContent()).toBe('Everything else');
    expect(await details.getByTestId('decision-explanation').textContent()).toContain('Everything else');
    expect(await details.getByTestId('details-calendar').textContent()).toBe('Open');
    expect(await details.getByTestId('details-text').textContent()).toContain('QUEUE-CHECK 1');
    expect(await details.textContent()).toContain('Not offered to anyone yet.');
    await expectNoSeriousAxe(page, 'Interaction details');
    await screenshotWindow(page, 'queues-details');
    await page.keyboard.press('Escape');
    await details.getByTestId('decision-rule').waitFor({ state: 'detached' });

    // The Agents page: a new agent with skills, a group and capacity for two public threads.
    await goTo(page, 'Agents');
    await page.getByTestId('agent-new').click();
    const form = page.getByTestId('agent-form');
    await form.getByTestId('agent-name').fill('Ana Ruiz');
    await form.getByTestId('agent-add-skill').click();
    await form.getByTestId('agent-skill-name').last().fill('billing');
    await form.getByTestId('agent-skill-level').last().fill('7');
    await form.getByTestId('agent-add-skill').click();
    await form.getByTestId('agent-skill-name').last().fill('Spanish');
    await form.getByTestId('agent-skill-level').last().fill('9');
    await form.getByTestId('agent-groups-input').fill('dm-team');
    await form.getByTestId('agent-groups-input').press('Enter');
    await form.getByTestId('agent-capacity-public').fill('2');
    await form.getByTestId('agent-capacity-private').fill('0');
    await expectNoSeriousAxe(page, 'Agent form');
    await screenshotWindow(page, 'agents-form');
    await form.getByTestId('agent-save').click();
    await form.waitFor({ state: 'detached' });
    const ana = agentRow(page, 'Ana Ruiz');
    await ana.locator('[data-presence="offline"]').waitFor();
    expect(await ana.getByTestId('agent-skills').textContent()).toBe('spanish 9billing 7');

    // Still nobody ready: the work still waits.
    expect((await routingTiles()).find((t) => t.name === 'general')?.waiting).toBe(3);

    await ana.getByTestId('set-ready').click();
    // Offered two public threads at once: every slot full.
    await ana.locator('[data-presence="busy"]').waitFor({ timeout: 15_000 });
    expect(await ana.getByTestId('load-public').textContent()).toContain('2 / 2');
    await expectNoSeriousAxe(page, 'Agents with one busy');
    await fullPageShot(page, 'agents-busy');

    await goTo(page, 'Queues');
    await waitingOn(page, 'general', 1);
    const board = page.locator('[data-testid="board-row"][data-agent="Ana Ruiz"]');
    await board.locator('[data-presence="busy"]').waitFor();
    expect(await board.getByTestId('load-public').textContent()).toContain('2 / 2');
    expect(await tile(page, 'general').getByTestId('tile-agents').textContent()).toContain('1 busy');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);

    // What Ana holds, each with why it went to her; one opens with its assignment's explanation.
    await board.getByTestId('board-show-work').click();
    const work = page.getByTestId('agent-work-item');
    await work.nth(1).waitFor();
    expect(await work.count()).toBe(2);
    expect(await page.getByTestId('agent-work-why').first().textContent()).toMatch(/^Ana Ruiz: .*public slot/);
    await expectNoSeriousAxe(page, 'Agents board with work open');
    await fullPageShot(page, 'queues-agent-work');
    await work.first().click();
    await details.getByTestId('assignment-explanation').waitFor();
    expect(await details.getByTestId('assignment-explanation').textContent()).toMatch(/^Ana Ruiz: /);
    expect(await details.getByTestId('details-state').textContent()).toBe('Assigned');
    await screenshotWindow(page, 'queues-details-assigned');
    await page.keyboard.press('Escape');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('creates a queue in Queue setup and moves waiting work there; a refused move says why', async () => {
    const consolePage = await openConsole(browser, server, opened, '#/queues');
    const { page } = consolePage;
    await waitingOn(page, 'general', 1);

    await page.getByTestId('queue-new').click();
    const form = page.getByTestId('queue-form');
    await form.getByTestId('queue-name').fill('Billing');
    await form.getByTestId('queue-add-skill').click();
    await form.getByTestId('queue-skill-name').last().fill('billing');
    await form.getByTestId('queue-skill-level').last().fill('6');
    await form.getByTestId('queue-add-skill').click();
    await form.getByTestId('queue-skill-name').last().fill('spanish');
    await form.getByTestId('queue-skill-level').last().fill('4');
    await form.getByTestId('queue-priority').fill('60');
    await form.getByTestId('queue-sl-percent').fill('90');
    await form.getByTestId('queue-sl-minutes').fill('10');
    await expectNoSeriousAxe(page, 'Queue form');
    await screenshotWindow(page, 'queues-queue-form');
    await form.getByTestId('queue-save').click();
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('queue-row').filter({ hasText: 'Billing' }).filter({ hasText: 'billing ≥ 6, spanish ≥ 4' }).waitFor();
    await waitingOn(page, 'Billing', 0);

    // Moving the waiting item straight to Ana is refused: she has no free slot.
    const rows = page.getByTestId('waiting-row');
    await rows.first().click();
    const details = page.getByTestId('interaction-details');
    await details.getByTestId('move-target').waitFor();
    const anaOption = (await details.getByTestId('move-target').locator('option').allTextContents()).find((t) => t.startsWith('Ana Ruiz'));
    expect(anaOption).toBeDefined();
    await details.getByTestId('move-target').selectOption({ label: anaOption! });
    await details.getByTestId('move-submit').click();
    await details.getByTestId('move-error').waitFor();
    expect(await details.getByTestId('move-error').textContent()).toMatch(/Ana Ruiz/);
    await screenshotWindow(page, 'queues-move-refused');

    await details.getByTestId('move-target').selectOption({ label: 'Billing' });
    await details.getByTestId('move-submit').click();
    await details.getByTestId('move-result').filter({ hasText: 'Moved to Billing.' }).waitFor();
    await details.getByTestId('details-entry').filter({ hasText: 'In Billing' }).waitFor();
    await page.keyboard.press('Escape');
    await waitingOn(page, 'Billing', 1);
    await waitingOn(page, 'general', 0);

    // The tile filters the list.
    await tile(page, 'Billing').click();
    expect(await tile(page, 'Billing').getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('heading', { name: 'Waiting in Billing' }).waitFor();
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await tile(page, 'general').click();
    await page.getByTestId('waiting-empty').waitFor();
    await expectNoSeriousAxe(page, 'Queues after the move');
    await fullPageShot(page, 'queues-live');
    expect(withoutRefusalsOf(await problemsIn(consolePage), ['moveInteraction'])).toEqual([]);
  });

  it('shows the desk’s refusal next to the agent form and saves nothing (skill level 11, negative capacity)', async () => {
    const consolePage = await openConsole(browser, server, opened, '#/agents');
    const { page } = consolePage;
    const ana = agentRow(page, 'Ana Ruiz');
    await ana.waitFor();
    const agentsBefore = (await callDesk<{ agents: unknown[] }>(server, 'getRouting', {})).value!.agents;

    // A new agent with a skill level of 11 and a negative capacity.
    await page.getByTestId('agent-new').click();
    const form = page.getByTestId('agent-form');
    await form.getByTestId('agent-name').fill('Bea Lund');
    await form.getByTestId('agent-add-skill').click();
    await form.getByTestId('agent-skill-name').last().fill('billing');
    await form.getByTestId('agent-skill-level').last().fill('11');
    await form.getByTestId('agent-capacity-public').fill('-1');
    await form.getByTestId('agent-save').click();
    const refusal = form.getByTestId('agent-refusal');
    await refusal.waitFor();
    const said = (await refusal.textContent()) ?? '';
    expect(said).toContain('billing');
    expect(said).toContain('must be a whole number from 1 to 10 (got 11)');
    expect(said).toContain('must be a whole number from 0 to 20 (got -1)');
    await expectNoSeriousAxe(page, 'Agent form refused');
    await screenshotWindow(page, 'agents-refused');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });

    // Ana with a level of 11: refused too, and her level stays 7.
    await ana.getByTestId('agent-edit').click();
    const edit = page.getByTestId('agent-form');
    await edit.getByTestId('agent-skill-level').last().fill('11');
    await edit.getByTestId('agent-save').click();
    await edit.getByTestId('agent-refusal').filter({ hasText: '(got 11)' }).waitFor();
    await page.keyboard.press('Escape');

    // Nothing was saved: the page read again shows the old data.
    await page.reload();
    await page.getByTestId('desk-name').waitFor();
    await agentRow(page, 'Ana Ruiz').waitFor();
    expect(await page.locator('[data-testid="agent-row"][data-agent="Bea Lund"]').count()).toBe(0);
    expect(await agentRow(page, 'Ana Ruiz').getByTestId('agent-skills').textContent()).toBe('spanish 9billing 7');
    expect((await callDesk<{ agents: unknown[] }>(server, 'getRouting', {})).value!.agents).toEqual(agentsBefore);
    expect(withoutRefusalsOf(await problemsIn(consolePage), ['saveAgent'])).toEqual([]);
  });

  it('sets an agent not ready with a reason and back, from the Agents page', async () => {
    const consolePage = await openConsole(browser, server, opened, '#/agents');
    const { page } = consolePage;
    const ana = agentRow(page, 'Ana Ruiz');
    await ana.waitFor();
    await ana.getByTestId('set-not-ready').click();
    const dialog = page.getByTestId('not-ready-dialog');
    await dialog.getByRole('radio', { name: 'Training' }).check();
    await dialog.getByTestId('not-ready-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await ana.locator('[data-presence="not-ready"]').filter({ hasText: 'Training' }).waitFor();
    expect(await ana.getByTestId('set-not-ready').getAttribute('aria-pressed')).toBe('true');
    await shotOf(page.getByTestId('agents-card'), 'agents-not-ready');
    await ana.getByTestId('set-offline').click();
    await ana.locator('[data-presence="offline"]').waitFor();
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('follows a storm of messages with a few reads a second, not one per message', async () => {
    const consolePage = await openConsole(browser, server, opened, '#/queues');
    const { page } = consolePage;
    await waitingOn(page, 'Billing', 1);
    const before = (await routingTiles()).find((t) => t.name === 'general')?.waiting ?? 0;
    const reads: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/getRouting')) reads.push(Date.now());
    });
    const seconds = 6;
    const started = Date.now();
    const storm = sandbox.customers.schedule('storm', { ratePerSecond: 100, durationMs: seconds * 1000, mix: { 'x.mention': 1 } });
    const made = await storm.done;
    // Wait for the desk to have taken in the whole storm: its count stops moving.
    let until = -1;
    for (let still = 0; still < 8; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = (await routingTiles()).find((t) => t.name === 'general')?.waiting ?? 0;
      still = now === until ? still + 1 : 0;
      until = now;
    }
    expect(until).toBeGreaterThan(before);
    // The page catches up with what the desk counts.
    await waitingOn(page, 'general', until);
    const elapsed = (Date.now() - started) / 1000;
    const perSecond = reads.length / elapsed;
    console.log(JSON.stringify({ bench: 'queues-refresh', messages: made, seconds: Number(elapsed.toFixed(1)), getRoutingReads: reads.length, readsPerSecond: Number(perSecond.toFixed(2)) }));
    expect(reads.length).toBeGreaterThan(0);
    // The throttle allows one read every 350 ms (about 2.9 a second); never one per message.
    expect(perSecond).toBeLessThan(4);
    await fullPageShot(page, 'queues-storm');
    expect(await problemsIn(consolePage)).toEqual([]);
  }, 120_000);
});
