/**
 * Monitor, the contact drawer's "link contact", and Settings > Accounts, in a real browser
 * against server mode. Needs `npm run build` first. Screenshots land in test-results/screenshots/.
 *
 * The feed is seeded through the store (test/support/seed-timeline.ts), in time order like a
 * live desk receives it. Live arrivals from the sandbox are covered in monitor-live.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sampleContacts } from '../support/seed';
import { seedTimeline } from '../support/seed-timeline';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { launchBrowser, problemsIn, runAxe, screenshot, seriousOrWorse, type ConsolePage } from './browser';
import { callDesk, feedTime, goTo, openConsole, screenshotOf, screenshotWindow, withoutRefusalsOf } from './desk-page';
import { bulkContacts, feedContacts, IMG_TEXT, LINK_TEXT, SCRIPT_TEXT } from './feed-fixtures';

/** The list never holds more rows than this in the DOM, however long the feed. */
const MAX_DOM_ROWS = 60;
/** The sandbox network without simulated customers: the feed holds exactly what a test put there. */
const QUIET = ['--sandbox-traffic', 'off'];
const base = Date.UTC(2026, 10, 24, 8, 0);
const minute = 60_000;

let browser: Browser;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

// One console at a time: every open console renders every event, and there are two cores.
afterEach(async () => {
  for (const consolePage of opened.splice(0)) await consolePage.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
});

function rows(page: Page) {
  return page.getByTestId('feed-row');
}

function row(page: Page, text: string) {
  return rows(page).filter({ hasText: text });
}

/** What each row in the DOM says, top to bottom, read field by field. */
async function visibleRows(page: Page): Promise<{ channel: string; contact: string; handle: string; kind: string; state: string; time: string; text: string }[]> {
  return (await page.evaluate(`
    [...document.querySelectorAll('[data-testid="feed-row"]')]
      .map((row) => ({ row, y: row.getBoundingClientRect().top }))
      .sort((a, b) => a.y - b.y)
      .map(({ row }) => {
        const read = (id) => row.querySelector('[data-testid="' + id + '"]')?.textContent ?? '';
        return {
          channel: read('feed-channel'), contact: read('feed-contact'), handle: read('feed-handle'), kind: read('feed-kind'),
          state: read('feed-state'), time: read('feed-time'), text: read('feed-text'),
        };
      })
  `)) as { channel: string; contact: string; handle: string; kind: string; state: string; time: string; text: string }[];
}

async function feedSize(page: Page): Promise<number> {
  return Number(await page.getByTestId('feed').getAttribute('data-size'));
}

async function domRowCount(page: Page): Promise<number> {
  return (await page.evaluate('document.querySelectorAll(\'[data-testid="feed-row"]\').length')) as number;
}

/**
 * Polls an expression in the page until it is true. (page.waitForFunction would evaluate the
 * string with eval inside the page, which the console's CSP rightly forbids.)
 */
async function waitUntil(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!((await page.evaluate(expression)) as boolean)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the feed shows exactly `count` items for the current filter. */
async function waitForSize(page: Page, count: number): Promise<void> {
  await waitUntil(page, `Number(document.querySelector('[data-testid="feed"]')?.dataset.size) === ${count}`);
}

// -------------------------------------------------------------------------------------------------

describe('Monitor feed with a seeded history', () => {
  let server: ServerProcess;
  const seededCount = feedContacts.reduce((n, c) => n + c.messages.length, 0) + sampleContacts.reduce((n, c) => n + c.messages.length, 0);

  beforeAll(async () => {
    server = await startServerProcess({
      extraArgs: QUIET,
      seed: async (dataDir) => {
        await seedTimeline(dataDir, [...sampleContacts, ...feedContacts]);
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('shows each message with contact, handle, channel, type, time in the desk’s zone and state, newest first', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await page.getByRole('heading', { level: 1, name: 'Monitor' }).waitFor();
    await waitForSize(page, seededCount);

    const shown = await visibleRows(page);
    // Seeded `new` and `waiting-for-open` interactions meet the calendar gate when the desk starts:
    // queued if the default calendar has the desk open at this real moment, waiting if not.
    const gated = expect.stringMatching(/^(Queued|Waiting for open)$/);
    // Newest first: Sofia's outbound private reply (08:20) heads the list, Samantha (08:19) next.
    expect(shown[0]).toMatchObject({ channel: 'Facebook', contact: 'Sofia Rossi', kind: 'Private reply', state: 'Sent by the desk' });
    expect(shown[1]).toMatchObject({ channel: 'Messenger', contact: 'Samantha Carter', handle: '', kind: 'Message', state: gated });

    const kenji = shown.find((r) => r.contact === 'Kenji Watanabe');
    expect(kenji).toEqual({
      channel: 'X',
      contact: 'Kenji Watanabe',
      handle: '@kenji_w',
      kind: 'Mention',
      state: gated,
      time: feedTime(base + 11 * minute, 'UTC'),
      text: LINK_TEXT,
    });
    expect(shown.find((r) => r.text.startsWith('@acme my parcel'))).toMatchObject({ contact: 'Amara Okafor', handle: '@amara_ok', state: 'Queued' });
    expect(shown.find((r) => r.text.startsWith('Sending you the order'))).toMatchObject({ kind: 'Direct message', state: 'Assigned' });
    expect(shown.find((r) => r.text.startsWith('Hello, I need to change'))).toMatchObject({ contact: 'Hannah Schmidt', state: gated });
    expect(shown.find((r) => r.text.startsWith('Visited the Lisbon store'))).toMatchObject({ kind: 'Page post', state: 'Auto-handled' });

    // A link is shown as text, never as something to click or follow.
    expect(await page.getByTestId('feed').locator('a').count()).toBe(0);
    expect(await row(page, 'Kenji Watanabe').locator('.text-link').textContent()).toBe('https://track.example.com/p/5521?ref=x');

    // Times follow the desk's zone, not the workstation's.
    expect((await callDesk(server, 'updateSettings', { timeZone: 'Asia/Tokyo' })).ok).toBe(true);
    await row(page, 'Kenji Watanabe').getByTestId('feed-time').filter({ hasText: feedTime(base + 11 * minute, 'Asia/Tokyo') }).waitFor();
    expect(await row(page, 'Kenji Watanabe').getByTestId('feed-time').textContent()).toContain('17:11');
    await callDesk(server, 'updateSettings', { timeZone: 'UTC' });
    await row(page, 'Kenji Watanabe').getByTestId('feed-time').filter({ hasText: feedTime(base + 11 * minute, 'UTC') }).waitFor();

    expect(seriousOrWorse(await runAxe(page)), 'axe on Monitor').toEqual([]);
    await screenshot(page, 'monitor-feed');
    await screenshotOf(page.getByTestId('connector-panel'), 'connector-panel-compact');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('shows platform text literally: markup is text, nothing in it runs or loads', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await waitForSize(page, seededCount);

    expect(await row(page, 'Mallory Quinn').filter({ hasText: 'Is this safe?' }).getByTestId('feed-text').textContent()).toBe(SCRIPT_TEXT);
    expect(await row(page, 'Mallory Quinn').filter({ hasText: 'broken image' }).getByTestId('feed-text').textContent()).toBe(IMG_TEXT);
    // Zoë's message is the oldest: scroll down to it (only rows in view exist in the DOM).
    await page.evaluate(`(() => { const v = document.querySelector('[data-testid="feed-viewport"]'); v.scrollTop = v.scrollHeight; })()`);
    expect(await row(page, 'Zoë Martín').filter({ hasText: 'order number' }).getByTestId('feed-text').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.getByTestId('feed').locator('script, img, iframe, object').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    // Also after a filter round trip through the desk, and in the contact history.
    await page.getByTestId('feed-text-filter').fill('onerror');
    await waitForSize(page, 1);
    expect(await rows(page).getByTestId('feed-text').textContent()).toBe(IMG_TEXT);
    await rows(page).getByTestId('feed-contact').click();
    await page.getByTestId('history-contact-name').filter({ hasText: 'Mallory Quinn' }).waitFor();
    expect(await page.getByTestId('history-message').filter({ hasText: 'broken image' }).textContent()).toContain(IMG_TEXT);
    expect(await page.locator('#contact-drawer').locator('script, img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('filters by channel, event type and text, and says so when nothing matches', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await waitForSize(page, seededCount);

    const tab = (name: string) => page.getByRole('tablist', { name: 'Channel' }).getByRole('tab', { name: new RegExp(`^${name}`) });
    await tab('Messenger').click();
    expect(await tab('Messenger').getAttribute('aria-selected')).toBe('true');
    await waitForSize(page, 4);
    expect(new Set((await visibleRows(page)).map((r) => r.channel))).toEqual(new Set(['Messenger']));
    expect((await visibleRows(page)).map((r) => r.contact)).toEqual(['Samantha Carter', 'Hannah Schmidt', 'Hannah Schmidt', 'Zoë Martín']);

    // Arrow keys move between tabs, as in any tab list.
    await tab('Messenger').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await tab('Facebook').getAttribute('aria-selected')).toBe('true');
    await waitForSize(page, 5);
    expect(new Set((await visibleRows(page)).map((r) => r.channel))).toEqual(new Set(['Facebook']));

    // The type list follows the channel; a type narrows further.
    const kind = page.getByLabel('Event type');
    expect(await kind.locator('option').allTextContents()).toEqual(['All event types', 'Page post', 'Comment', 'Comment reply', 'Private reply']);
    await kind.selectOption({ label: 'Comment' });
    await waitForSize(page, 2);
    expect((await visibleRows(page)).map((r) => `${r.contact}: ${r.kind}`)).toEqual(['Lucas Ferreira: Comment', 'Björn Ek: Comment']);

    // Back to all channels: the type stays, X's types are offered again.
    await tab('All').click();
    await waitForSize(page, 2);
    await kind.selectOption({ label: 'Direct message' });
    await waitForSize(page, 1);
    expect((await visibleRows(page))[0]).toMatchObject({ contact: 'Amara Okafor', kind: 'Direct message' });
    await kind.selectOption({ label: 'All event types' });

    // Text search goes to the desk (case-insensitive) and matches live items the same way.
    await page.getByTestId('feed-text-filter').fill('REFUND');
    await waitForSize(page, 2);
    expect((await visibleRows(page)).every((r) => r.text.toLowerCase().includes('refund'))).toBe(true);
    await page.getByTestId('feed-text-filter').fill('no such words anywhere');
    await page.getByText('No message matches these filters.').waitFor();
    expect(await domRowCount(page)).toBe(0);
    await screenshot(page, 'monitor-no-match');

    await page.getByTestId('feed-text-filter').fill('');
    await waitForSize(page, seededCount);
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('opens the contact’s history from a row, and gives focus back to the row on Escape', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await waitForSize(page, seededCount);

    await row(page, 'Amara Okafor').filter({ hasText: 'Direct message' }).getByTestId('feed-text').click();
    const drawer = page.getByTestId('contact-drawer');
    await page.getByTestId('history-contact-name').filter({ hasText: 'Amara Okafor' }).waitFor();
    expect(await drawer.getByTestId('history-message').count()).toBe(2);
    expect(await drawer.getByTestId('history-message').first().textContent()).toContain('Sending you the order number privately');

    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // Keyboard: the contact's name is a button.
    const button = row(page, 'Lucas Ferreira').first().getByTestId('feed-contact');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('history-contact-name').filter({ hasText: 'Lucas Ferreira' }).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Lucas Ferreira');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('links two contacts that are the same person: one history with both platforms, in the drawer and the feed', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await waitForSize(page, seededCount);
    const auditBefore = ((await callDesk<{ entries: unknown[] }>(server, 'readAuditLog', { limit: 200 })).value?.entries ?? []).length;

    await row(page, 'Sam Carter').getByTestId('feed-contact').click();
    await page.getByTestId('history-contact-name').filter({ hasText: 'Sam Carter' }).waitFor();
    await page.getByRole('button', { name: 'Link contact…' }).click();
    const picker = page.getByTestId('merge-picker');
    await picker.getByLabel('Find the other contact').fill('carter');
    // The contact itself is not offered.
    const results = picker.getByTestId('merge-results').getByRole('button');
    await results.first().waitFor();
    expect(await results.count()).toBe(1);
    await results.filter({ hasText: 'Samantha Carter' }).click();

    const dialog = page.getByRole('dialog', { name: 'Link these two contacts?' });
    await dialog.waitFor();
    const body = (await dialog.textContent()) ?? '';
    expect(body).toContain('Sam Carter and Samantha Carter will become one contact');
    expect(body).toContain('X @samcarter');
    expect(body).toContain('Messenger Samantha Carter');
    expect(seriousOrWorse(await runAxe(page)), 'axe with the merge dialog open').toEqual([]);
    await screenshotWindow(page, 'merge-dialog');

    // Cancel changes nothing; Escape closes only the dialog.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('contact-drawer').waitFor();
    expect(((await callDesk<{ entries: unknown[] }>(server, 'readAuditLog', { limit: 200 })).value?.entries ?? []).length).toBe(auditBefore);

    await results.filter({ hasText: 'Samantha Carter' }).click();
    await dialog.getByRole('button', { name: 'Link contacts' }).click();
    await page.getByTestId('merge-done').waitFor();
    expect(await page.getByTestId('merge-done').textContent()).toContain('Samantha Carter is now part of Sam Carter');

    await page.getByTestId('history-message').nth(1).waitFor();
    const identities = (await page.getByTestId('history-identities').textContent()) ?? '';
    expect(identities).toContain('X@samcarter');
    expect(identities).toContain('MessengerSamantha Carter');
    const messages = page.getByTestId('history-message');
    expect(await messages.count()).toBe(2);
    expect(await messages.nth(0).textContent()).toContain('Messenger');
    expect(await messages.nth(0).textContent()).toContain('Hi, it is Sam from X');
    expect(await messages.nth(1).textContent()).toContain('X');
    expect(await messages.nth(1).textContent()).toContain('the app keeps logging me out');
    await screenshotWindow(page, 'merge-done');

    // The feed follows: Samantha's Messenger message is now Sam Carter's.
    await page.keyboard.press('Escape');
    await row(page, 'Hi, it is Sam from X').getByTestId('feed-contact').filter({ hasText: 'Sam Carter' }).waitFor();
    expect(await row(page, 'Samantha Carter').count()).toBe(0);

    // The desk agrees, and audited it.
    const search = await callDesk<{ contacts: { displayName: string; identities: { platform: string }[] }[] }>(server, 'searchContacts', { query: 'carter' });
    expect(search.value?.contacts.map((c) => [c.displayName, c.identities.map((i) => i.platform).sort()])).toEqual([['Sam Carter', ['messenger', 'x']]]);
    const audit = await callDesk<{ entries: { action: string; subject: string }[] }>(server, 'readAuditLog', { limit: 5 });
    expect(audit.value?.entries[0]).toMatchObject({ action: 'contacts.merged' });
    expect(await problemsIn(consolePage)).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('Monitor feed with 100,000 messages', () => {
  const TOTAL = 100_000;
  let server: ServerProcess;

  beforeAll(async () => {
    const started = Date.now();
    server = await startServerProcess({
      extraArgs: QUIET,
      timeoutMs: 60_000,
      seed: async (dataDir) => {
        await seedTimeline(dataDir, bulkContacts(TOTAL, 400, base));
      },
    });
    console.log(`seeded ${TOTAL} messages and started the desk in ${Date.now() - started} ms`);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps the DOM bounded while the whole feed is paged in by scrolling, in order, to its beginning', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await waitForSize(page, 200);
    expect(await domRowCount(page)).toBeLessThanOrEqual(MAX_DOM_ROWS);
    expect((await visibleRows(page))[0]?.text).toBe(`Bulk message ${TOTAL - 1} from customer 399`);

    await page.evaluate(`
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    `);

    // Scroll to the end again and again: every time the list nears its end it reads an older page.
    const started = Date.now();
    let maxRows = 0;
    let pages = 0;
    let size = await feedSize(page);
    while (size < TOTAL) {
      await page.evaluate(`(() => { const v = document.querySelector('[data-testid="feed-viewport"]'); v.scrollTop = v.scrollHeight; })()`);
      await waitUntil(page, `Number(document.querySelector('[data-testid="feed"]').dataset.size) > ${size}`, 15_000);
      size = await feedSize(page);
      pages += 1;
      maxRows = Math.max(maxRows, await domRowCount(page));
    }
    const pagingMs = Date.now() - started;
    expect(size).toBe(TOTAL);
    await page.getByTestId('feed-footer').filter({ hasText: 'Beginning of the feed' }).waitFor();
    await page.evaluate(`(() => { const v = document.querySelector('[data-testid="feed-viewport"]'); v.scrollTop = v.scrollHeight; })()`);
    await page.getByText('Bulk message 0 from customer 0', { exact: true }).waitFor();

    // Jump to the middle: the rows there are the right ones, and still only a window of them.
    await page.evaluate(`(() => { const v = document.querySelector('[data-testid="feed-viewport"]'); v.scrollTop = 50000 * 88; })()`);
    await page.getByText(`Bulk message ${TOTAL - 1 - 50000} from customer`, { exact: false }).first().waitFor();
    const middle = await visibleRows(page);
    const numbers = middle.map((r) => Number(/Bulk message (\d+)/.exec(r.text)?.[1]));
    expect(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] ?? 0) - 1)).toBe(true);
    maxRows = Math.max(maxRows, await domRowCount(page));
    expect(maxRows).toBeLessThanOrEqual(MAX_DOM_ROWS);
    // The whole document stays small too: no hidden copies of the list.
    const elements = (await page.evaluate('document.getElementsByTagName("*").length')) as number;
    expect(elements).toBeLessThan(3_000);

    const longest = (await page.evaluate('window.__longest')) as number;
    console.log(
      JSON.stringify({ bench: 'feed-100k-paging', messages: TOTAL, pages, pagingMs, msPerPage: Math.round(pagingMs / pages), maxDomRows: maxRows, domElements: elements, longestTaskMs: Math.round(longest) }),
    );
    await screenshot(page, 'monitor-100k');
    expect(await problemsIn(consolePage)).toEqual([]);
  }, 300_000);
});

// -------------------------------------------------------------------------------------------------

describe('Settings: accounts and connectors', () => {
  let server: ServerProcess;
  const secrets = {
    apiKey: 'KEY-ak91-zq7Xp2',
    apiSecret: 'SECRET-as33-Lm8Vr5',
    accessToken: 'TOKEN-at44-Yh2Nc9',
    accessSecret: 'TOKSEC-az55-Qw4Ej1',
    bearerToken: 'BEARER-bt66-Ud7Ks3',
  };

  beforeAll(async () => {
    server = await startServerProcess({ extraArgs: QUIET });
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function auditCount(): Promise<number> {
    return ((await callDesk<{ entries: unknown[] }>(server, 'readAuditLog', { limit: 200 })).value?.entries ?? []).length;
  }

  async function accounts(): Promise<{ platform: string; configured: boolean; secretsSet: string[] }[]> {
    return (await callDesk<{ accounts: { platform: string; configured: boolean; secretsSet: string[] }[] }>(server, 'getAccounts', {})).value?.accounts ?? [];
  }

  it('shows each connector’s state and figures, and the accounts with nothing secret in them', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await goTo(page, 'Settings');
    const section = page.getByTestId('settings-accounts');
    const panel = section.getByTestId('connector-panel');
    await panel.waitFor();
    const desk = (await callDesk<{ connectors: { connector: string; state: string; detail: string }[] }>(server, 'getConnectors', {})).value?.connectors ?? [];
    expect(desk.map((c) => c.connector).sort()).toEqual(['facebook', 'messenger', 'x']);
    for (const connector of desk) {
      const item = panel.locator(`[data-connector="${connector.connector}"]`);
      expect(await item.textContent()).toContain(connector.detail);
      for (const label of ['Last poll', 'Received', 'Duplicates skipped', 'Bad payloads', 'Read budget', 'Backfill']) {
        expect(await item.textContent()).toContain(label);
      }
    }
    expect(await section.getByTestId('account-x').textContent()).toContain('X account');
    expect(await section.getByTestId('account-facebook').textContent()).toContain('Facebook Page');
    expect(seriousOrWorse(await runAxe(page)), 'axe on Settings with accounts').toEqual([]);
    await screenshotOf(section, 'settings-accounts');
    await screenshotOf(panel, 'connector-panel');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('refuses an X account with an empty key in the desk’s words, and saves nothing', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await goTo(page, 'Settings');
    const card = page.getByTestId('account-x');
    const before = await auditCount();

    await card.getByLabel('API secret').fill(secrets.apiSecret);
    await card.getByLabel('Access token', { exact: true }).fill(secrets.accessToken);
    await card.getByLabel('Access token secret').fill(secrets.accessSecret);
    await card.getByRole('button', { name: 'Save account' }).click();

    const error = card.getByTestId('account-error');
    await error.waitFor();
    const desk = await callDesk(server, 'saveXAccount', { apiKey: '', apiSecret: 'a', accessToken: 'b', accessSecret: 'c' });
    expect(desk.error?.message).toBe('saveXAccount: apiKey must not be empty');
    expect(await error.textContent()).toContain('API key must not be empty.');
    expect(await card.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate('document.activeElement?.name')).toBe('apiKey');
    expect(seriousOrWorse(await runAxe(page)), 'axe with the refusal shown').toEqual([]);

    expect(await auditCount()).toBe(before);
    expect((await accounts()).find((a) => a.platform === 'x')).toMatchObject({ configured: false, secretsSet: [] });

    // The Page id must be numeric; the Page card says so under the field.
    const fb = page.getByTestId('account-facebook');
    await fb.getByLabel('Page id').fill('acme-page');
    await fb.getByLabel('Page access token').fill('PAGE-TOKEN-xx12');
    await fb.getByRole('button', { name: 'Save Page' }).click();
    await fb.getByTestId('account-error').filter({ hasText: 'Page id is the numeric id of the Page.' }).waitFor();
    expect((await accounts()).find((a) => a.platform === 'facebook')).toMatchObject({ configured: false });
    expect(await auditCount()).toBe(before);
    expect(withoutRefusalsOf(await problemsIn(consolePage), ['saveXAccount', 'saveFacebookAccount'])).toEqual([]);
  });

  it('stores an X account without ever showing a secret back, tests the connection, and removes it', async () => {
    const consolePage = await openConsole(browser, server, opened);
    const { page } = consolePage;
    await goTo(page, 'Settings');
    const card = page.getByTestId('account-x');

    await card.getByLabel('API key').fill(secrets.apiKey);
    await card.getByLabel('API secret').fill(secrets.apiSecret);
    await card.getByLabel('Access token', { exact: true }).fill(secrets.accessToken);
    await card.getByLabel('Access token secret').fill(secrets.accessSecret);
    await card.getByLabel(/Bearer token/).fill(secrets.bearerToken);
    // Typed secrets are not mirrored into attributes.
    const typed = (await page.content()) + ((await page.evaluate('document.documentElement.outerHTML')) as string);
    for (const value of Object.values(secrets)) expect(typed).not.toContain(value);

    await card.getByRole('button', { name: 'Save account' }).click();
    await card.getByTestId('account-saved-x').waitFor({ timeout: 15_000 });
    await card.getByText('Configured', { exact: true }).waitFor();

    // Stored: the desk says which, the page shows which, and no value appears anywhere in the DOM.
    const x = (await accounts()).find((a) => a.platform === 'x');
    expect(x).toMatchObject({ configured: true });
    expect(x?.secretsSet.sort()).toEqual(['x.access-secret', 'x.access-token', 'x.api-key', 'x.api-secret', 'x.bearer-token']);
    const summary = (await card.getByTestId('secrets-x').textContent()) ?? '';
    for (const label of ['API key: stored', 'API secret: stored', 'Access token: stored', 'Access token secret: stored', 'Bearer token: stored']) {
      expect(summary).toContain(label);
    }
    for (const name of ['apiKey', 'apiSecret', 'accessToken', 'accessSecret', 'bearerToken']) {
      expect(await card.locator(`input[name="${name}"]`).inputValue()).toBe('');
    }
    await page.reload();
    await page.getByTestId('account-x').getByText('Configured', { exact: true }).waitFor();
    const html = (await page.content()) + JSON.stringify(await page.evaluate('[...document.querySelectorAll("input")].map((i) => i.value)'));
    for (const value of Object.values(secrets)) expect(html).not.toContain(value);

    // Test connection: the page shows what the desk found, whatever that is on this machine.
    await page.getByTestId('account-x').getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('test-result-x');
    await result.waitFor({ timeout: 30_000 });
    const direct = (await callDesk<{ ok: boolean; detail: string }>(server, 'testConnection', { platform: 'x' })).value;
    expect(await result.textContent()).toContain(direct?.ok ? 'Connection works.' : 'Connection failed.');
    expect(((await result.textContent()) ?? '').length).toBeGreaterThan('Connection failed. '.length);
    await screenshotOf(page.getByTestId('account-x'), 'settings-account-x-saved');

    // The audit names the change, never a value.
    const audit = await callDesk<{ entries: { action: string; detail: unknown }[] }>(server, 'readAuditLog', { limit: 20 });
    expect(JSON.stringify(audit.value)).not.toMatch(/KEY-ak91|SECRET-as33|TOKEN-at44|TOKSEC-az55|BEARER-bt66/);

    // Remove, after a confirmation.
    await page.getByTestId('account-x').getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the X account?' });
    await dialog.waitFor();
    await screenshotWindow(page, 'remove-account-dialog');
    await dialog.getByRole('button', { name: 'Remove account' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('account-x').getByText('Not configured', { exact: true }).waitFor();
    expect((await accounts()).find((a) => a.platform === 'x')).toMatchObject({ configured: false, secretsSet: [] });
    expect(withoutRefusalsOf(await problemsIn(consolePage), [])).toEqual([]);
  });
});
