/**
 * The Agent desk in a real browser against server mode, with the sandbox network in this test
 * process (server mode attaches to it with `--sandbox-file`), so the test decides exactly when a
 * customer writes. Needs `npm run build` first. Screenshots land in test-results/screenshots/
 * (agent-desk-*.png).
 *
 * The calendar is set to open around the clock and emergency off first: the tests must not depend
 * on the wall clock being inside the desk's opening hours.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twitterText from 'twitter-text';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../electron/sandbox';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp';
import { launchBrowser, openConsolePage, problemsIn, runAxe, screenshot, seriousOrWorse, type ConsolePage } from './browser';
import { callDesk, expectConnection, screenshotWindow, withoutRefusalsOf } from './desk-page';

const AGENT_KEY = 'social-care-desk.agent-desk.agent-id';

let browser: Browser;
let sandbox: Sandbox;
let server: ServerProcess;
let agentId: number;
let codeName: string;
const opened: ConsolePage[] = [];
const temp = tempDir('desk-agent-desk-');

/** Records every system notification the page shows (the real one still runs when allowed). */
const RECORD_NOTIFICATIONS = `
  (() => {
    window.__notifications = [];
    const Original = window.Notification;
    if (typeof Original !== 'function') return;
    class Recording extends Original {
      constructor(title, options) {
        window.__notifications.push({ title, body: (options && options.body) || '' });
        super(title, options);
      }
    }
    Object.defineProperty(Recording, 'permission', { get: () => Original.permission });
    Recording.requestPermission = (...args) => Original.requestPermission(...args);
    window.Notification = Recording;
  })();
`;

async function desk<T>(name: string, input: unknown): Promise<T> {
  const reply = await callDesk<T>(server, name, input);
  if (!reply.ok) throw new Error(`${name} refused: ${reply.error?.message ?? 'no reason'}`);
  return reply.value as T;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value).slice(0, 400)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The console on the Agent desk, with notifications allowed and recorded; optionally already "being" the agent. */
async function openDesk(options: { rememberAgent: boolean }): Promise<ConsolePage> {
  const consolePage = await openConsolePage(browser);
  opened.push(consolePage);
  await consolePage.context.grantPermissions(['notifications'], { origin: server.origin });
  await consolePage.context.addInitScript({ content: RECORD_NOTIFICATIONS });
  if (options.rememberAgent) await consolePage.context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(AGENT_KEY)}, ${JSON.stringify(String(agentId))});` });
  const { page } = consolePage;
  await page.goto(server.url);
  await page.getByTestId('desk-name').waitFor();
  await expectConnection(page, 'Live');
  await page.evaluate(`location.hash = '#/agent-desk'`);
  await page.getByRole('heading', { level: 1, name: 'Agent desk' }).waitFor();
  return consolePage;
}

async function setReady(): Promise<void> {
  await desk('setAgentState', { agentId, state: { state: 'ready' } });
}

/** A customer writes on the sandbox; resolves once the desk has offered it to the agent. */
async function customerWrites(kind: string, text: string, customer: string): Promise<number> {
  await sandbox.customers.post({ kind: kind as never, text, customer });
  const work = await poll(
    () => desk<{ items: { interactionId: number; text: string }[] }>('listMyWork', { agentId }),
    (value) => value.items.some((item) => item.text.includes(text)),
    `"${text}" on the agent's desk`,
  );
  return work.items.find((item) => item.text.includes(text))!.interactionId;
}

function workItem(page: Page, interactionId: number) {
  return page.locator(`[data-testid="work-item"][data-interaction-id="${interactionId}"]`);
}

/** A full-page shot from the top (scrolled, the sticky header would be drawn across the middle). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

async function activeTestId(page: Page): Promise<string | null> {
  return (await page.evaluate('document.activeElement?.getAttribute("data-testid") ?? null')) as string | null;
}

beforeAll(async () => {
  sandbox = await startSandbox({ dataDir: join(temp.path, 'sandbox'), rateLimits: { multiplier: 100 } });
  const description = join(temp.path, 'sandbox.json');
  writeFileSync(description, JSON.stringify({ port: sandbox.port, caPath: sandbox.caPath, x: sandbox.x, facebook: sandbox.facebook }));
  [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ extraArgs: ['--sandbox-file', description], timeoutMs: 60_000 })]);

  // Open around the clock, whatever the wall clock says.
  const { calendar } = await desk<{ calendar: { weekly: Record<string, unknown[]>; specialDays: unknown[] } }>('getCalendar', {});
  for (const day of Object.keys(calendar.weekly)) calendar.weekly[day] = [{ start: '00:00', end: '24:00' }];
  calendar.specialDays = [];
  await desk('saveCalendar', { calendar });
  await desk('setEmergency', { on: false });

  const agent = await desk<{ id: number }>('saveAgent', { name: 'Ana Costa', skills: {}, groups: ['dm-team'], capacity: { public: 3, private: 3 } });
  agentId = agent.id;
  const codes = await desk<{ codes: { id: number; name: string }[] }>('listDispositionCodes', {});
  codeName = codes.codes[0]?.name ?? (await desk<{ name: string }>('saveDispositionCode', { name: 'Resolved' })).name;
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

describe('Agent desk', () => {
  it('an agent goes ready, is told of new work, opens it, replies publicly and completes it with a disposition code', async () => {
    const consolePage = await openDesk({ rememberAgent: false });
    const { page } = consolePage;

    // Who am I: picked once, remembered by this workstation.
    await page.getByTestId('work-list').getByText('Choose who you are above').waitFor();
    expect(seriousOrWorse(await runAxe(page)), 'axe before choosing who I am').toEqual([]);
    await page.getByTestId('agent-select').selectOption(String(agentId));
    expect(await page.evaluate(`localStorage.getItem(${JSON.stringify(AGENT_KEY)})`)).toBe(String(agentId));
    await page.getByTestId('state-ready').click();
    await page.getByTestId('agent-state').filter({ hasText: /^Ready since/ }).waitFor();
    expect(await page.getByTestId('state-ready').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('work-empty').waitFor();
    expect(seriousOrWorse(await runAxe(page)), 'axe on the empty desk').toEqual([]);
    await shot(page, 'agent-desk-empty');

    // A customer writes: the work is offered, listed, and announced.
    const text = `@NorthwindCare order 7781 never arrived, it was due on Monday ${Date.now()}`;
    const interactionId = await customerWrites('x.mention', text, 'dana');
    const item = workItem(page, interactionId);
    await item.waitFor();
    expect(await item.getAttribute('data-offered')).toBe('true');
    expect(await item.getByTestId('work-wait').textContent()).toMatch(/^\d+ s$|^\d+ min/);
    const toast = page.getByTestId('work-toast').filter({ hasText: 'order 7781' });
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/^New work: X mention from /);
    await poll(
      async () => (await page.evaluate('window.__notifications')) as { title: string }[],
      (list) => list.some((n) => n.title.startsWith('New work: X mention')),
      'the system notification',
    );
    expect(seriousOrWorse(await runAxe(page)), 'axe with work listed').toEqual([]);
    await shot(page, 'agent-desk-work-listed');

    // Opening it accepts it; the conversation says why it is here.
    await item.click();
    await page.getByTestId('composer').waitFor();
    await poll(() => item.getAttribute('data-offered'), (value) => value === 'false', 'the offer to be accepted');
    await toast.waitFor({ state: 'detached' });
    expect(await page.getByTestId('why-rule').textContent()).toContain('Everything else');
    expect(await page.getByTestId('why-assignment').textContent()).toContain('Ana Costa');
    const inbound = page.getByTestId('thread-message').filter({ hasText: 'order 7781' });
    expect(await inbound.getAttribute('data-direction')).toBe('inbound');

    // The public reply, counted as X counts it.
    const reply = 'Hi! So sorry 😟 — we are chasing the courier now and will update you here.';
    await page.getByTestId('reply-public').locator('input').check();
    await page.getByTestId('reply-text').fill(reply);
    expect(await page.getByTestId('reply-count').first().getAttribute('title')).toBe(`${twitterText.parseTweet(reply).weightedLength} of 280 characters as X counts them`);
    await page.getByTestId('send-reply').click();
    const outbound = page.getByTestId('thread-message').filter({ hasText: 'chasing the courier' });
    await outbound.waitFor({ timeout: 20_000 });
    expect(await outbound.getAttribute('data-direction')).toBe('outbound');
    await outbound.locator('[data-testid="delivery"][data-state="sent"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('reply-text').inputValue()).toBe('');
    const posted = sandbox.inspector.actions().filter((action) => action.kind === 'reply' && action.text === reply);
    expect(posted).toHaveLength(1);
    expect(seriousOrWorse(await runAxe(page)), 'axe with the conversation open').toEqual([]);
    await shot(page, 'agent-desk-conversation');

    // Completing needs a disposition code.
    await page.getByTestId('open-complete').click();
    const dialog = page.getByTestId('complete-dialog');
    await dialog.getByTestId('complete-confirm').click();
    await dialog.getByTestId('disposition-missing').waitFor();
    await dialog.getByTestId('disposition-select').selectOption({ label: codeName });
    await dialog.getByTestId('disposition-note').fill('Courier chased.');
    expect(seriousOrWorse(await runAxe(page)), 'axe with the completion dialog').toEqual([]);
    await screenshotWindow(page, 'agent-desk-complete');
    await dialog.getByTestId('complete-confirm').click();
    await item.waitFor({ state: 'detached' });
    await page.getByTestId('conversation-empty').waitFor();
    expect(await page.getByTestId('agent-desk-announce').textContent()).toBe(`Completed with “${codeName}”.`);

    const detail = await desk<{ state: string }>('getInteraction', { interactionId });
    expect(detail.state).toBe('completed');
    // The reply is in the contact's history as outbound.
    const conversation = await desk<{ contact: { id: number } }>('getConversation', { interactionId });
    const history = await desk<{ messages: { direction: string; text: string }[] }>('getContactHistory', { contactId: conversation.contact.id });
    expect(history.messages.filter((m) => m.direction === 'outbound' && m.text === reply)).toHaveLength(1);

    expect(withoutRefusalsOf(await problemsIn(consolePage), [])).toEqual([]);
  });

  it('works from the keyboard alone: next, reply, send, live chat, complete, shortcut help', async () => {
    await setReady();
    const consolePage = await openDesk({ rememberAgent: true });
    const { page } = consolePage;
    await page.getByTestId('agent-state').filter({ hasText: /^Ready since/ }).waitFor();

    const first = await customerWrites('x.mention', `@NorthwindCare is the Main Street store open on Sunday? ${Date.now()}`, 'tom');
    const second = await customerWrites('messenger.message', `Hi, I was charged twice this month ${Date.now()}`, 'maria');
    await workItem(page, first).waitFor();
    await workItem(page, second).waitFor();

    // "?" shows the shortcuts; Escape closes them.
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await help.textContent()).toContain('Complete the open interaction');
    await screenshotWindow(page, 'agent-desk-shortcuts');
    await page.keyboard.press('Escape');
    await help.getByRole('heading').waitFor({ state: 'detached' });

    // J opens the first in the list (the newest: the Messenger chat), J again the next, K goes back.
    await page.keyboard.press('j');
    await page.locator(`[data-testid="conversation"][data-interaction-id="${second}"]`).waitFor();
    expect(await activeTestId(page)).toBe('work-item');
    const outline = (await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')) as string;
    expect(outline, 'the focused work item shows its focus').not.toBe('none');
    await page.keyboard.press('j');
    await page.locator(`[data-testid="conversation"][data-interaction-id="${first}"]`).waitFor();
    await page.keyboard.press('k');
    await page.locator(`[data-testid="conversation"][data-interaction-id="${second}"]`).waitFor();
    await poll(() => workItem(page, second).getAttribute('data-offered'), (value) => value === 'false', 'the chat to be accepted');

    // R writes, Ctrl+Enter sends (privately: a Messenger chat has no public side).
    await page.keyboard.press('r');
    expect(await activeTestId(page)).toBe('reply-text');
    expect(await page.getByTestId('reply-public').locator('input').isDisabled()).toBe(true);
    await page.getByTestId('messenger-window').filter({ hasText: '24-hour window' }).waitFor();
    await page.keyboard.type('Hi, I can see the double charge. I have asked billing to refund it.');
    await page.keyboard.press('Control+Enter');
    const mine = page.getByTestId('thread-message').filter({ hasText: 'asked billing to refund' });
    await mine.waitFor({ timeout: 20_000 });
    expect(await mine.getAttribute('data-direction')).toBe('outbound');
    await mine.locator('[data-testid="delivery"][data-state="sent"]').waitFor({ timeout: 20_000 });

    // Live chat: the customer answers while the chat is open.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await sandbox.customers.post({ kind: 'messenger.message', text: 'Thank you! How long will the refund take?', customer: 'maria' });
    await page.getByTestId('thread-message').filter({ hasText: 'How long will the refund take' }).waitFor({ timeout: 20_000 });
    await shot(page, 'agent-desk-live-chat');

    // Alt+C completes: the code chosen with the arrow keys, the note typed, Complete reached by Tab.
    await page.keyboard.press('Alt+c');
    const dialog = page.getByTestId('complete-dialog');
    await dialog.getByTestId('disposition-select').waitFor();
    expect(await activeTestId(page)).toBe('disposition-select');
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByTestId('disposition-select').inputValue()).not.toBe('');
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('disposition-note');
    await page.keyboard.type('Refund asked from billing.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('complete-confirm');
    await page.keyboard.press('Enter');
    await workItem(page, second).waitFor({ state: 'detached' });
    expect(await desk<{ state: string }>('getInteraction', { interactionId: second }).then((d) => d.state)).toBe('completed');

    // Focus lands on what is left; Alt+N opens it and Alt+C completes it too.
    expect(await activeTestId(page)).toBe('work-item');
    await page.keyboard.press('Alt+n');
    const openNow = page.locator('[data-testid="conversation"][data-interaction-id]');
    await openNow.waitFor();
    const next = (await openNow.getAttribute('data-interaction-id')) ?? '';
    expect(Number(next)).toBeGreaterThan(0);
    await page.keyboard.press('Alt+c');
    await dialog.getByTestId('disposition-select').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await workItem(page, Number(next)).waitFor({ state: 'detached' });

    expect(seriousOrWorse(await runAxe(page)), 'axe after the keyboard flow').toEqual([]);
    expect(withoutRefusalsOf(await problemsIn(consolePage), [])).toEqual([]);
  });

  it('refuses clearly: a reply over the X limit is held back with the reason next to the composer', async () => {
    await setReady();
    const consolePage = await openDesk({ rememberAgent: true });
    const { page } = consolePage;
    const interactionId = await customerWrites('x.mention', `@NorthwindCare the app crashes when I log in ${Date.now()}`, 'sam');
    await workItem(page, interactionId).click();
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('reply-text').fill('x'.repeat(290));
    expect(await page.getByTestId('reply-count').first().textContent()).toContain('10 over');
    await page.getByTestId('send-reply').click();
    expect(await page.getByTestId('reply-error').textContent()).toContain('Too long');
    expect(sandbox.inspector.actions().filter((action) => action.kind === 'reply' && action.text?.startsWith('xxxx'))).toHaveLength(0);

    // Canned responses: placeholders filled with the contact's name.
    await page.getByTestId('reply-text').fill('');
    const options = await page.getByTestId('canned-select').locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    await page.getByTestId('canned-select').selectOption({ index: 1 });
    await page.getByTestId('canned-insert').click();
    const inserted = await page.getByTestId('reply-text').inputValue();
    expect(inserted).not.toContain('{contact_name}');
    expect(inserted.length).toBeGreaterThan(10);

    // Move to private: two texts, one action.
    await page.getByTestId('move-to-private').click();
    await page.getByTestId('move-public-text').waitFor();
    expect(await page.getByTestId('move-public-text').inputValue()).toContain('private message');
    await shot(page, 'agent-desk-move-to-private');
    expect(withoutRefusalsOf(await problemsIn(consolePage), [])).toEqual([]);
  });
});
