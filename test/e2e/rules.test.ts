/**
 * The Rules page in a real browser against server mode: the editor, the tester (which asks the
 * desk exactly as live traffic is decided, with the draft rule set), refusals shown word for word
 * with nothing saved, and the list of what the desk did by itself with a one-click undo, fed by
 * the sandbox network's customers (in this test process; server mode uses it through
 * `--sandbox-file`). Needs `npm run build` first. Screenshots land in test-results/screenshots/
 * (rules-*.png).
 *
 * Setup saves a calendar open around the clock, so nothing depends on the hour the tests run at.
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
import { callDesk, openConsole, withoutRefusalsOf } from './desk-page';

let browser: Browser;
let sandbox: Sandbox;
let server: ServerProcess;
const opened: ConsolePage[] = [];
const temp = tempDir('desk-rules-');

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

interface RulesView {
  ruleSet: { version: number; rules: { id: string; name: string; priority: number; action: Record<string, unknown> }[]; defaultRule: { name: string } };
}

function shotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, `${name}.png`);
}

/** The whole page as if the window were that tall: the sticky save bar sits at the bottom. */
async function fullPageShot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: shotPath(name), animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(viewport);
}

/** Parts of the page (the tester's card and the save bar, say), photographed together. */
async function shotOf(locators: Locator[], name: string): Promise<void> {
  const page = locators[0]!.page();
  const viewport = page.viewportSize()!;
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  await page.setViewportSize({ width: viewport.width, height });
  const boxes = [];
  for (const locator of locators) boxes.push((await locator.boundingBox())!);
  const top = Math.min(...boxes.map((b) => b.y));
  const left = Math.min(...boxes.map((b) => b.x));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const pad = 8;
  await page.screenshot({
    path: shotPath(name),
    clip: { x: Math.max(0, left - pad), y: Math.max(0, top - pad), width: right - left + 2 * pad, height: bottom - top + 2 * pad },
    animations: 'disabled',
    caret: 'hide',
  });
  await page.setViewportSize(viewport);
}

async function expectNoSeriousAxe(page: Page, where: string): Promise<void> {
  const serious = seriousOrWorse(await runAxe(page));
  expect(serious, `${where}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

async function savedRules(): Promise<RulesView['ruleSet']> {
  return (await callDesk<RulesView>(server, 'getRules', {})).value!.ruleSet;
}

async function openRules(): Promise<ConsolePage> {
  const consolePage = await openConsole(browser, server, opened, '#/rules');
  await consolePage.page.getByTestId('rule-list').waitFor();
  return consolePage;
}

function ruleItem(page: Page, id: string): Locator {
  return page.locator(`[data-testid="rule-item"][data-rule="${id}"]`);
}

/** Types a message into the tester and asks the desk. */
async function ask(page: Page, text: string, kind = 'x.mention'): Promise<Locator> {
  const tester = page.getByTestId('rules-tester');
  await tester.getByTestId('tester-text').fill(text);
  await tester.getByTestId('tester-kind').selectOption(kind);
  const before = await tester.getByTestId('tester-result').count();
  await tester.getByTestId('tester-run').click();
  const result = tester.getByTestId('tester-result');
  if (before > 0) await tester.getByTestId('tester-run').filter({ hasText: 'What would the desk do?' }).waitFor();
  await result.getByTestId('decision-explanation').waitFor();
  return result;
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
  const calendar = (await callDesk<{ calendar: Record<string, unknown> }>(server, 'getCalendar', {})).value!.calendar;
  const weekly = Object.fromEntries(WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]]));
  expect((await callDesk(server, 'saveCalendar', { calendar: { ...calendar, weekly, specialDays: [] } })).error?.message ?? '').toBe('');
  expect((await callDesk(server, 'setEmergency', { on: false })).ok).toBe(true);
}, 120_000);

afterEach(async () => {
  for (const consolePage of opened.splice(0)) await consolePage.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sandbox?.close();
  temp.remove();
});

describe('Rules page', () => {
  it('lists the rules in the order they are tried, with the default rule last; accessible', async () => {
    const consolePage = await openRules();
    const { page } = consolePage;
    const saved = await savedRules();
    const names = await page.getByTestId('rule-item-name').allTextContents();
    expect(names.map((n) => n.replace(/off$/, ''))).toEqual([...saved.rules].sort((a, b) => a.priority - b.priority).map((r) => r.name));
    expect(await page.getByTestId('rule-item-default').textContent()).toContain(saved.defaultRule.name);
    await page.getByTestId('rules-auto-actions').getByText('Nothing yet.').waitFor();
    await expectNoSeriousAxe(page, 'Rules');
    await fullPageShot(page, 'rules-page');

    // Each rule opens in the editor; the default rule has a name and an action only.
    await ruleItem(page, 'like-praise').click();
    expect(await page.getByTestId('rule-name').inputValue()).toBe('Like praise');
    expect(await page.getByTestId('rule-action-type').inputValue()).toBe('like-retweet');
    await page.getByTestId('rule-item-default').click();
    await page.locator('[data-testid="rule-editor"][data-rule="default"]').waitFor();
    expect(await page.getByTestId('rule-delete').count()).toBe(0);
    await expectNoSeriousAxe(page, 'Rules, default rule');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('the tester explains a decision: praise is liked, sarcasm is not, and it says why', async () => {
    const consolePage = await openRules();
    const { page } = consolePage;

    const praise = await ask(page, 'I love your service, thank you!');
    expect(await praise.getByTestId('decision-rule').textContent()).toBe('Like praise');
    expect(await praise.getByTestId('decision-action').getAttribute('data-action')).toBe('like-retweet');
    expect(await praise.locator('[data-testid="decision-send"][data-send="like"]').count()).toBe(1);
    expect(await praise.getByTestId('decision-outcome').textContent()).toBe('Handled by the desk');
    expect(Number((await praise.getByTestId('sentiment-score').textContent())!.replace('−', '-'))).toBeGreaterThanOrEqual(0.6);
    expect(await praise.getByTestId('decision-sentiment').textContent()).toContain('love');
    expect(await praise.getByTestId('decision-autolike').getAttribute('data-allowed')).toBe('true');
    expect(await praise.getByTestId('decision-explanation').textContent()).toContain('Like praise');
    await expectNoSeriousAxe(page, 'Tester, praise');
    await shotOf([page.getByTestId('rules-tester')], 'rules-tester-praise');

    const sarcasm = await ask(page, 'great, another outage, thanks a lot');
    expect(await sarcasm.getByTestId('decision-rule').textContent()).not.toBe('Like praise');
    expect(await sarcasm.locator('[data-testid="decision-send"][data-send="like"]').count()).toBe(0);
    // Why: the sarcasm turned the praising words against the post.
    const sentiment = (await sarcasm.getByTestId('decision-sentiment').textContent()) ?? '';
    expect(sentiment).toContain('sarcasm');
    expect(await sarcasm.getByTestId('sentiment-score').textContent()).toMatch(/^−/);
    await shotOf([page.getByTestId('rules-tester')], 'rules-tester-sarcasm');

    // Praise that asks a question: the like rule matches but is passed over, with the reason.
    const question = await ask(page, 'Thank you so much, love the new app?');
    expect(await question.getByTestId('decision-rule').textContent()).not.toBe('Like praise');
    expect(await question.getByTestId('decision-passed-over').textContent()).toContain('Like praise');
    expect(await question.getByTestId('decision-passed-over').textContent()).toContain('question');
    expect(await question.getByTestId('decision-autolike').getAttribute('data-allowed')).toBe('false');
    await shotOf([page.getByTestId('rules-tester')], 'rules-tester-passed-over');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('tests the draft: a new unsaved rule decides in the tester, and reordering swaps priorities', async () => {
    const consolePage = await openRules();
    const { page } = consolePage;
    const before = await savedRules();

    await page.getByTestId('rule-add').click();
    const editor = page.getByTestId('rule-editor');
    await editor.getByTestId('rule-name').fill('Refunds first');
    await editor.getByTestId('rule-priority').fill('5');
    await editor.getByTestId('keywords-any-input').fill('refund');
    await editor.getByTestId('keywords-any-input').press('Enter');
    await editor.getByTestId('keywords-any-input').fill('money back');
    await editor.getByTestId('keywords-any-input').press('Enter');
    expect(await editor.getByTestId('keywords-any').getByTestId('chip').allTextContents()).toEqual(['refund', 'money back']);
    await page.getByTestId('rules-status').filter({ hasText: 'Unsaved changes' }).waitFor();
    // Priority 5: tried first.
    expect(await page.getByTestId('rule-item-name').first().textContent()).toBe('Refunds first');
    await expectNoSeriousAxe(page, 'Rules, new rule');
    await fullPageShot(page, 'rules-draft');

    const result = await ask(page, 'I want a refund for order 88, please');
    expect(await result.getByTestId('decision-rule').textContent()).toBe('Refunds first');
    expect(await result.getByTestId('decision-keywords').textContent()).toBe('refund');
    expect(await result.textContent()).toContain('Decided with your unsaved rules');

    // Reorder: "Like praise" one place earlier swaps its priority with the rule before it.
    await ruleItem(page, 'like-praise').click();
    const praisePriority = before.rules.find((r) => r.id === 'like-praise')!.priority;
    const earlier = [...before.rules].sort((a, b) => a.priority - b.priority).filter((r) => r.priority < praisePriority).at(-1)!;
    // The editor shows "Like praise" before it is moved (a click re-renders; do not race it).
    await expect.poll(() => page.getByTestId('rule-priority').inputValue()).toBe(String(praisePriority));
    await page.getByTestId('rule-move-up').click();
    await expect.poll(() => page.getByTestId('rule-priority').inputValue()).toBe(String(earlier.priority));
    await expect.poll(() => ruleItem(page, earlier.id).locator('.rule-item-priority').textContent()).toBe(String(praisePriority));

    // Nothing was saved.
    await page.getByTestId('rules-discard').click();
    await page.getByTestId('rules-status').filter({ hasText: 'No unsaved changes' }).waitFor();
    expect(await savedRules()).toEqual(before);
    expect(await page.locator('[data-testid="rule-item"]').filter({ hasText: 'Refunds first' }).count()).toBe(0);
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('shows the desk’s refusal whole and saves nothing (empty rule name, unknown queue); a good change saves', async () => {
    const consolePage = await openRules();
    const { page } = consolePage;
    const before = await savedRules();

    // An empty name.
    await ruleItem(page, 'spam').click();
    await page.getByTestId('rule-name').fill('');
    await page.getByTestId('rules-save').click();
    const refusal = page.getByTestId('rules-refusal-message');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('the name is empty');
    await expectNoSeriousAxe(page, 'Rules refused');
    await shotOf([page.getByTestId('rules-card'), page.getByTestId('rules-save-bar')], 'rules-refused-name');
    await page.getByTestId('rules-discard').click();
    await page.getByTestId('rules-status').filter({ hasText: 'No unsaved changes' }).waitFor();

    // A queue that does not exist: the editor warns, the desk refuses.
    await ruleItem(page, 'angry-public-posts').click();
    await page.getByTestId('rule-target').fill('nowhere');
    await page.getByText('No queue is called “nowhere”').waitFor();
    await page.getByTestId('rules-save').click();
    await refusal.filter({ hasText: 'queue "nowhere" does not exist' }).waitFor();
    await shotOf([page.getByTestId('rules-card'), page.getByTestId('rules-save-bar')], 'rules-refused-queue');

    // Read again: the old rules, untouched.
    await page.reload();
    await page.getByTestId('rule-list').waitFor();
    await ruleItem(page, 'angry-public-posts').click();
    expect(await page.getByTestId('rule-target').inputValue()).toBe('general');
    await ruleItem(page, 'spam').click();
    expect(await page.getByTestId('rule-name').inputValue()).toBe(before.rules.find((r) => r.id === 'spam')!.name);
    expect(await savedRules()).toEqual(before);

    // A change the desk accepts: saved, the version grows, and it is there after a reload.
    await page.getByTestId('rule-name').fill('Spam and giveaways');
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-status').filter({ hasText: 'Saved at' }).waitFor();
    const after = await savedRules();
    expect(after.version).toBe(before.version + 1);
    expect(after.rules.find((r) => r.id === 'spam')!.name).toBe('Spam and giveaways');
    await page.reload();
    await ruleItem(page, 'spam').filter({ hasText: 'Spam and giveaways' }).waitFor();
    expect(withoutRefusalsOf(await problemsIn(consolePage), ['saveRules'])).toEqual([]);
  });

  it('lists what the desk liked by itself and undoes it in one click', async () => {
    const consolePage = await openRules();
    const { page } = consolePage;
    const seen = sandbox.inspector.actions().length;
    await sandbox.customers.post({ kind: 'x.mention', customer: 'fan-1', text: 'I love your service, thank you! AUTO-LIKE-CHECK' });
    const row = page.getByTestId('auto-action-row').filter({ hasText: 'AUTO-LIKE-CHECK' });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Liked');
    expect(await row.textContent()).toContain('Like praise');
    await row.getByTestId('auto-undo').waitFor({ timeout: 30_000 });
    await row.getByTestId('auto-state').filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
    await expectNoSeriousAxe(page, 'Automatic actions');
    await shotOf([page.getByTestId('rules-auto-actions')], 'rules-auto-actions');

    await row.getByTestId('auto-undo').click();
    await row.getByTestId('auto-undone').waitFor();
    await row.getByTestId('auto-undone').filter({ hasText: /^Undone$/ }).waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('auto-undo').count()).toBe(0);
    const actions = sandbox.inspector.actions(seen).map((a) => a.kind);
    expect(actions).toContain('like');
    expect(actions).toContain('unlike');
    await shotOf([page.getByTestId('rules-auto-actions')], 'rules-auto-actions-undone');
    expect(await problemsIn(consolePage)).toEqual([]);
  });
});
