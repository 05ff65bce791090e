/**
 * The console in a real browser against server mode (the built bundle in a child process).
 * Needs `npm run build` first. Screenshots of every page land in test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sampleContacts, seedContacts, type SeedContact, type SeedMessage } from '../support/seed';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import {
  launchBrowser,
  openConsolePage,
  problemsIn,
  runAxe,
  screenshot,
  seriousOrWorse,
  type ConsolePage,
  type Problem,
} from './browser';

const SANDBOX_TEXT = 'SANDBOX — the desk is connected to the simulated network; nothing reaches real customers.';

const consolePages = [
  { id: 'monitor', title: 'Monitor' },
  { id: 'queues', title: 'Queues' },
  { id: 'agents', title: 'Agents' },
  { id: 'agent-desk', title: 'Agent desk' },
  { id: 'calendar', title: 'Calendar' },
  { id: 'rules', title: 'Rules' },
  { id: 'reports', title: 'Reports' },
  { id: 'settings', title: 'Settings' },
] as const;

/** A contact with more messages than one history page holds, to exercise "load older". */
function longHistoryContact(): SeedContact {
  const start = Date.UTC(2026, 9, 1, 8, 0);
  const messages: SeedMessage[] = Array.from({ length: 60 }, (_, i) => {
    const inbound = i % 3 !== 2;
    return {
      platform: 'x',
      kind: inbound ? (i % 2 === 0 ? 'x.mention' : 'x.dm') : 'x.reply',
      direction: inbound ? 'inbound' : 'outbound',
      text: inbound ? `Question number ${i + 1} about my delivery` : `Answer number ${i + 1}: we are looking into it.`,
      at: start + i * 3_600_000,
    };
  });
  return {
    displayName: 'Priya Raman',
    identities: [{ platform: 'x', platformUserId: '2002', handle: 'priya_r', name: 'Priya Raman' }],
    messages,
  };
}

let browser: Browser;
let server: ServerProcess;
const open: ConsolePage[] = [];

async function consoleAt(url: string): Promise<ConsolePage> {
  const consolePage = await openConsolePage(browser);
  open.push(consolePage);
  await consolePage.page.goto(url);
  return consolePage;
}

/** Opens the console the way a user does: the address the desk printed, token and all. */
async function openConsole(): Promise<ConsolePage> {
  const consolePage = await consoleAt(server.url);
  await consolePage.page.getByTestId('desk-name').waitFor();
  await expectConnection(consolePage.page, 'Live');
  return consolePage;
}

async function expectConnection(page: Page, label: string): Promise<void> {
  await page.getByTestId('connection').filter({ hasText: label }).waitFor({ timeout: 15_000 });
}

async function expectText(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}

async function callDesk(name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const response = await fetch(`${server.origin}/api/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

async function auditCount(): Promise<number> {
  const result = await callDesk('readAuditLog', { limit: 200 });
  return (result.value as { entries: unknown[] }).entries.length;
}

async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: new RegExp(`^${title}`) }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** Chrome logs every 4xx fetch as a console error; a refusal the test provoked on purpose is not a problem. */
function withoutExpectedRefusals(problems: Problem[]): Problem[] {
  return problems.filter((p) => !(p.kind === 'console' && /status of 400/.test(p.text) && p.text.includes('/api/updateSettings')));
}

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServerProcess({
      // No simulated customers: the feed shows exactly the seeded history, and screenshots stay the same.
      extraArgs: ['--sandbox-traffic', 'off'],
      seed: async (dataDir) => {
        await seedContacts(dataDir, [...sampleContacts, longHistoryContact()]);
      },
    }),
  ]);
});

afterAll(async () => {
  for (const consolePage of open) await consolePage.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('console in server mode', () => {
  it('takes the token from the address, removes it from the address bar, and survives a reload', async () => {
    const { page, ...rest } = await openConsole();
    expect(page.url()).toBe(`${server.origin}/`);
    expect(page.url()).not.toContain(server.token);
    expect(await page.evaluate("sessionStorage.getItem('social-care-desk.token')")).toBe(server.token);

    await page.reload();
    await page.getByTestId('desk-name').waitFor();
    await expectConnection(page, 'Live');
    expect(page.url()).not.toContain('token');
    expect(await problemsIn({ page, ...rest })).toEqual([]);
  });

  it('shows the desk name, state, clock, connection and the sandbox banner in the header', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    const status = (await callDesk('getStatus', {})).value as { deskName: string; deskState: { state: 'open' | 'closed' | 'emergency'; reason: string } };

    expect(await page.getByTestId('desk-name').textContent()).toBe(status.deskName);
    const pill = page.getByTestId('desk-state').first();
    // Open or closed depends on when this runs against the default Mon-Fri 09:00-17:00 calendar.
    expect(await pill.textContent()).toBe({ open: 'Open', closed: 'Closed', emergency: 'Emergency' }[status.deskState.state]);
    expect(await pill.getAttribute('title')).toBe(status.deskState.reason);
    expect(await page.getByRole('banner').textContent()).toContain(status.deskState.reason);
    expect(await page.getByTestId('desk-clock').textContent()).toMatch(/\d{2}:\d{2}:\d{2}.*UTC/);

    const banner = page.getByTestId('sandbox-banner');
    expect(await banner.textContent()).toContain(SANDBOX_TEXT);
    expect(await banner.textContent()).toContain('No real X or Facebook account is configured yet.');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('can be navigated with the keyboard alone', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    let reached = false;
    for (let i = 0; i < 12 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = ((await page.evaluate('document.activeElement?.textContent ?? ""')) as string).startsWith('Calendar');
    }
    expect(reached).toBe(true);
    // Focus must be visible: the focused link draws an outline.
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('page-title');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('renames the desk: the header follows through the event stream, the audit log records it, a reload keeps it', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    const before = (await page.getByTestId('desk-name').textContent()) ?? '';
    const newName = `North Desk ${Date.now() % 10_000}`;

    await goTo(page, 'Settings');
    const name = page.getByLabel('Desk name');
    await name.fill(newName);
    await page.getByRole('button', { name: 'Save changes' }).click();

    await expectText(page, 'desk-name', newName);
    await expectText(page, 'settings-status', 'Saved');
    const firstRow = page.getByTestId('audit-table').locator('tbody tr').first();
    await firstRow.filter({ hasText: 'settings.updated' }).waitFor();
    expect(await firstRow.textContent()).toContain(`Desk name: ${before} → ${newName}`);
    expect(await firstRow.textContent()).toContain('console');

    await page.reload();
    await expectText(page, 'desk-name', newName);
    expect(await page.getByLabel('Desk name').inputValue()).toBe(newName);
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('shows the desk’s refusal of an empty name inline and saves nothing', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    const nameBefore = (await page.getByTestId('desk-name').textContent()) ?? '';
    const entriesBefore = await auditCount();

    await goTo(page, 'Settings');
    const name = page.getByLabel('Desk name');
    await name.fill('   ');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const error = page.getByTestId('settings-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Desk name must not be empty');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('desk-name').textContent()).toBe(nameBefore);
    expect(seriousOrWorse(await runAxe(page)), 'axe with the error shown').toEqual([]);
    await screenshot(page, 'settings-refused');

    expect(await auditCount()).toBe(entriesBefore);
    await page.reload();
    await expectText(page, 'desk-name', nameBefore);
    expect(await page.getByLabel('Desk name').inputValue()).toBe(nameBefore);
    expect(withoutExpectedRefusals(await problemsIn(consolePage))).toEqual([]);
  });

  it('edits the connection settings: how far back to fetch, and X’s filtered stream', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    await goTo(page, 'Settings');
    const settings = (await callDesk('getSettings', {})).value as { backfillHours: number; xStream: boolean };
    const hours = page.getByLabel('How far back to fetch on first connection');
    const stream = page.getByLabel('Use X’s filtered stream');
    expect(await hours.inputValue()).toBe(String(settings.backfillHours));
    expect(await stream.isChecked()).toBe(settings.xStream);
    const entriesBefore = await auditCount();

    // Out of range: the desk refuses in its own words, under the field, and keeps the old value.
    await hours.fill('1000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const error = page.getByTestId('settings-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('How far back to fetch on first connection is more than 30 days (720 hours).');
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    expect(await auditCount()).toBe(entriesBefore);
    expect(((await callDesk('getSettings', {})).value as { backfillHours: number }).backfillHours).toBe(settings.backfillHours);

    // Not a number at all: said before asking the desk.
    await hours.fill('two days');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await error.filter({ hasText: 'must be a whole number of hours' }).waitFor();

    await hours.fill('48');
    await stream.check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page, 'settings-status', 'Saved');
    expect((await callDesk('getSettings', {})).value).toMatchObject({ backfillHours: 48, xStream: true });
    const firstRow = page.getByTestId('audit-table').locator('tbody tr').first();
    await firstRow.filter({ hasText: 'How far back to fetch on first connection' }).waitFor();
    expect(await firstRow.textContent()).toContain(`How far back to fetch on first connection: ${settings.backfillHours} → 48`);
    expect(await firstRow.textContent()).toContain('Use X’s filtered stream: off → on');

    await page.reload();
    expect(await page.getByLabel('How far back to fetch on first connection').inputValue()).toBe('48');
    expect(await page.getByLabel('Use X’s filtered stream').isChecked()).toBe(true);
    expect(withoutExpectedRefusals(await problemsIn(consolePage))).toEqual([]);

    await callDesk('updateSettings', { backfillHours: settings.backfillHours, xStream: settings.xStream });
  });

  it('follows a change made elsewhere (another client) without a reload', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    await goTo(page, 'Settings');
    await page.getByTestId('audit-table').waitFor();
    const rowsBefore = await page.getByTestId('audit-table').locator('tbody tr').count();

    const result = await callDesk('updateSettings', { deskName: 'Harbour Desk', timeZone: 'Europe/Paris', timeFormat: '12h' });
    expect(result.ok).toBe(true);

    await expectText(page, 'desk-name', 'Harbour Desk');
    await expectText(page, 'desk-clock', 'Europe/Paris');
    expect(await page.getByTestId('desk-clock').textContent()).toMatch(/\d{2}:\d{2}:\d{2} (am|pm)/i);
    await page.getByTestId('audit-table').locator('tbody tr').nth(rowsBefore).waitFor();
    expect(await page.getByLabel('Desk name').inputValue()).toBe('Harbour Desk');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
    expect(await page.getByRole('radio', { name: /12-hour/ }).isChecked()).toBe(true);
    expect(await problemsIn(consolePage)).toEqual([]);

    // Back to defaults so the screenshots of later runs look the same.
    await callDesk('updateSettings', { deskName: 'Social Care Desk', timeZone: 'UTC', timeFormat: '24h' });
    await expectText(page, 'desk-name', 'Social Care Desk');
  });

  // After the settings tests, so the Settings screenshot shows a filled audit log.
  it('reaches every page from the navigation, each accessible, with a screenshot', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    for (const target of consolePages) {
      await goTo(page, target.title);
      expect(new URL(page.url()).hash).toBe(`#/${target.id}`);
      const link = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: new RegExp(`^${target.title}`) });
      expect(await link.getAttribute('aria-current')).toBe('page');
      // The shell stays on every page.
      await page.getByTestId('desk-name').waitFor();
      await page.getByTestId('sandbox-banner').waitFor();
      if (target.id === 'monitor') {
        // the connectors and the feed of the seeded history.
        expect(await page.getByTestId('connector-panel').getByTestId('connector').count()).toBe(3);
        await page.getByTestId('feed-row').filter({ hasText: 'Priya Raman' }).first().waitFor();
        expect(await page.getByTestId('feed-row').first().textContent()).toContain('number 60');
      } else if (target.id === 'agent-desk') {
        // who is at this workstation and their work (none chosen on a fresh console).
        await page.getByTestId('agent-bar').waitFor();
        await page.getByTestId('work-list').waitFor();
      } else if (target.id === 'queues' || target.id === 'agents' || target.id === 'rules') {
        // the queue tiles, the agents table, the rules in the order they are tried.
        await page.getByTestId(target.id === 'queues' ? 'queue-tiles' : target.id === 'agents' ? 'agents-card' : 'rule-list').waitFor();
      } else if (target.id === 'reports') {
        // the report's controls and its chart (or the empty state of a fresh desk).
        await page.getByTestId('report-controls').waitFor();
        await page.getByTestId('report-chart').or(page.getByTestId('report-chart-empty')).first().waitFor();
      } else if (target.id === 'calendar') {
        // the week grid of the desk's hours.
        await page.getByTestId('week-grid').waitFor();
      } else {
        await page.getByTestId('audit-table').or(page.getByText('No changes recorded yet')).first().waitFor();
        await page.getByTestId('data-dir').waitFor();
        await page.getByTestId('settings-accounts').getByTestId('connector-panel').waitFor();
        await page.getByTestId('account-x').waitFor();
      }
      expect(seriousOrWorse(await runAxe(page)), `axe on ${target.title}`).toEqual([]);
      await screenshot(page, target.id);
    }
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('finds a contact and shows their history across platforms, newest first, as text', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    const search = page.getByLabel('Find contact');
    await search.fill('zoe');
    const drawer = page.getByRole('complementary', { name: 'Find contact' });
    const zoe = drawer.getByRole('button', { name: /Zoë Martín/ });
    await zoe.waitFor();
    expect(seriousOrWorse(await runAxe(page)), 'axe with search results open').toEqual([]);
    await screenshot(page, 'contact-search');
    await zoe.click();

    await page.getByTestId('history-contact-name').filter({ hasText: 'Zoë Martín' }).waitFor();
    const messages = page.getByTestId('history-message');
    expect(await messages.count()).toBe(3);
    const newest = (await messages.nth(0).textContent()) ?? '';
    expect(newest).toContain('Messenger');
    expect(newest).toContain('Inbound');
    expect(newest).toContain('Private');
    // Platform text is shown as text, never parsed as markup.
    expect(newest).toContain('<script>alert(1)</script>');
    expect(await page.locator('#contact-drawer script').count()).toBe(0);
    const reply = (await messages.nth(1).textContent()) ?? '';
    expect(reply).toContain('Outbound');
    expect(reply).toContain('Public');
    expect(await messages.nth(2).textContent()).toContain('my order #5521 never arrived');
    expect(seriousOrWorse(await runAxe(page)), 'axe with the history open').toEqual([]);
    await screenshot(page, 'contact-history');

    // Paging: a long history arrives a page at a time.
    await search.fill('priya');
    await drawer.getByRole('button', { name: /Priya Raman/ }).click();
    await page.getByTestId('history-contact-name').filter({ hasText: 'Priya Raman' }).waitFor();
    expect(await messages.count()).toBe(50);
    expect(await messages.nth(0).textContent()).toContain('number 60');
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await page.getByText('Beginning of this contact’s history').waitFor();
    expect(await messages.count()).toBe(60);
    expect(await messages.nth(59).textContent()).toContain('number 1 ');

    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement?.id')).toBe('contact-search');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('says so plainly when a contact search finds nothing', async () => {
    const consolePage = await openConsole();
    const { page } = consolePage;
    await page.getByLabel('Find contact').fill('nobody-by-this-name');
    await page.getByText('No contact matches “nobody-by-this-name”.').waitFor();
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('has a problem recorder that really notices CSP violations (so the checks above are not vacuous)', async () => {
    const consolePage = await openConsole();
    await consolePage.page.evaluate(
      "document.head.appendChild(Object.assign(document.createElement('script'), { textContent: 'window.injected = 1' }))",
    );
    expect(await consolePage.page.evaluate('window.injected')).toBeUndefined();
    const problems = await problemsIn(consolePage);
    expect(problems.some((p) => p.kind === 'csp' && p.text.startsWith('script-src'))).toBe(true);
  });

  it('explains what to do when opened without a token', async () => {
    const consolePage = await consoleAt(`${server.origin}/`);
    const { page } = consolePage;
    await page.getByRole('heading', { name: /Open the console from the desk’s link/ }).waitFor();
    expect(seriousOrWorse(await runAxe(page))).toEqual([]);
    await screenshot(page, 'no-token');
    expect(await problemsIn(consolePage)).toEqual([]);
  });
});

describe('console when the desk goes away', () => {
  it('shows "reconnecting" while the desk is down, and a clear message when a restarted desk rejects the old link', async () => {
    const first = await startServerProcess();
    let second: ServerProcess | null = null;
    try {
      const consolePage = await consoleAt(first.url);
      const { page } = consolePage;
      await expectConnection(page, 'Live');

      await first.stop();
      await expectConnection(page, 'Reconnecting…');
      await screenshot(page, 'reconnecting');

      // A restart mints a new token; the console must stop retrying and say what to do.
      second = await startServerProcess({ dataDir: first.dataDir, extraArgs: ['--port', String(first.port)] });
      await page.getByRole('heading', { name: 'This console link is no longer valid' }).waitFor({ timeout: 30_000 });
      expect(seriousOrWorse(await runAxe(page))).toEqual([]);
      await screenshot(page, 'link-rejected');
    } finally {
      await first.stop();
      await second?.stop();
    }
  });
});
