/**
 * The Calendar page and the emergency switch in a real browser against server mode (the built
 * bundle in a child process, the sandbox network without simulated customers). Needs
 * `npm run build` first. Screenshots land in test-results/screenshots/ (calendar-*.png,
 * emergency-*.png).
 *
 * One desk for the file; each test states the calendar it needs through the API first, so the
 * tests do not depend on each other's order.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { launchBrowser, openConsolePage, problemsIn, runAxe, screenshotDir, seriousOrWorse, type ConsolePage, type Problem } from './browser';

interface Range {
  start: string;
  end: string;
}
interface SpecialDay {
  id?: string;
  date: string;
  recurrence: 'none' | 'yearly';
  kind: 'closed' | 'special-hours';
  ranges?: Range[];
  name: string;
  message?: string;
}
interface Calendar {
  zone: string;
  locale: string;
  weekly: Record<'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday', Range[]>;
  specialDays: SpecialDay[];
  templates: Record<string, { x: { answerPublicMessages: string; public: string; private: string }; facebook: unknown; messenger: unknown }>;
  answerOncePerClosedPeriod: boolean;
}
interface Emergency {
  on: boolean;
  message: string;
  switchedBy: string | null;
  switchedAt: number | null;
}
interface Reply<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

let browser: Browser;
let server: ServerProcess;
let original: Calendar;
const opened: ConsolePage[] = [];

async function callDesk<T>(name: string, input: unknown): Promise<Reply<T>> {
  const response = await fetch(`${server.origin}/api/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return (await response.json()) as Reply<T>;
}

async function savedCalendar(): Promise<Calendar> {
  const reply = await callDesk<{ calendar: Calendar; emergency: Emergency }>('getCalendar', {});
  expect(reply.ok).toBe(true);
  return reply.value!.calendar;
}

async function putCalendar(calendar: Calendar): Promise<void> {
  const reply = await callDesk('saveCalendar', { calendar });
  expect(reply.error?.message ?? '').toBe('');
}

/** The console at the address the desk printed, live, on the given page. */
async function openAt(hash: string): Promise<ConsolePage> {
  const consolePage = await openConsolePage(browser);
  opened.push(consolePage);
  await consolePage.page.goto(server.url);
  await consolePage.page.getByTestId('desk-name').waitFor();
  await consolePage.page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await consolePage.page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  if (hash === '#/calendar') await consolePage.page.getByTestId('week-grid').waitFor();
  return consolePage;
}

async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: new RegExp(`^${title}`) }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

function shotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, `${name}.png`);
}

/**
 * The whole page as if the window were that tall: sticky parts (header, the save bar) sit where
 * they belong instead of where the 900-pixel window had them.
 */
async function fullPageShot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
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

/** What is on screen now: a modal dialog over the page. */
async function windowShot(page: Page, name: string): Promise<void> {
  // Out of the way, so no button shows its hover colour.
  await page.mouse.move(1, 1);
  await page.screenshot({ path: shotPath(name), animations: 'disabled', caret: 'hide' });
}

/** Chrome logs each 4xx fetch as a console error; refusals a test provokes on purpose are not problems. */
function withoutRefusals(problems: Problem[], commands: string[]): Problem[] {
  return problems.filter((p) => !(p.kind === 'console' && /status of 400/.test(p.text) && commands.some((c) => p.text.includes(`/api/${c}`))));
}

async function expectNoSeriousAxe(page: Page, where: string): Promise<void> {
  const serious = seriousOrWorse(await runAxe(page));
  expect(serious, `${where}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

function status(page: Page): Locator {
  return page.getByTestId('calendar-status');
}

function hoursField(page: Page, day: string, index: number, which: 'start' | 'end'): Locator {
  return page.getByTestId(`${day}-${index}-${which}`);
}

/** Drags down a day of the week grid from one time to another (both "HH:MM", on 30-minute steps). */
async function drawOnGrid(page: Page, day: string, from: string, to: string): Promise<void> {
  const column = page.locator(`.week-grid-column[data-day="${day}"]`);
  const box = (await column.boundingBox())!;
  const slotPx = box.height / 48;
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  const x = box.x + box.width / 2;
  // The middle of the first slot, then the middle of the last slot the range covers.
  await page.mouse.move(x, box.y + (minutes(from) / 30 + 0.5) * slotPx);
  await page.mouse.down();
  await page.mouse.move(x, box.y + ((minutes(to) - 30) / 30 + 0.5) * slotPx, { steps: 6 });
  await page.mouse.up();
}

const ICS_OK = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Holidays//EN',
  'BEGIN:VEVENT',
  'UID:new-year@test',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270102',
  'SUMMARY:New Year’s Day',
  'RRULE:FREQ=YEARLY',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:may-day@test',
  'DTSTART;VALUE=DATE:20270503',
  'SUMMARY:Early May bank holiday',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:thanksgiving@test',
  'DTSTART;VALUE=DATE:20261126',
  'SUMMARY:Thanksgiving',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const ICS_BROKEN = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'SUMMARY:Staff party', 'this line is not a property', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ extraArgs: ['--sandbox-traffic', 'off'] })]);
  original = await savedCalendar();
});

// One console at a time: two cores.
afterEach(async () => {
  for (const consolePage of opened.splice(0)) await consolePage.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('Calendar page', () => {
  it('edits weekly hours on the grid and in the list, adds special days, saves, and finds them all after a reload', async () => {
    await putCalendar(original);
    const consolePage = await openAt('#/calendar');
    const { page } = consolePage;
    await expect(status(page).textContent()).resolves.toContain('No unsaved changes');
    expect(await page.getByTestId('calendar-save').isDisabled()).toBe(true);

    // Draw Saturday 10:00-14:00 on the grid.
    await drawOnGrid(page, 'saturday', '10:00', '14:00');
    await page.getByRole('button', { name: /^Saturday 10:00–14:00\. Edit$/ }).waitFor();
    expect(await hoursField(page, 'saturday', 0, 'start').inputValue()).toBe('10:00');
    expect(await hoursField(page, 'saturday', 0, 'end').inputValue()).toBe('14:00');
    await expect(status(page).textContent()).resolves.toContain('Unsaved changes');

    // Leaving the page and coming back keeps the unsaved draft.
    await goTo(page, 'Settings');
    await goTo(page, 'Calendar');
    await page.getByRole('button', { name: /^Saturday 10:00–14:00\. Edit$/ }).waitFor();
    await expect(status(page).textContent()).resolves.toContain('Unsaved changes');

    // Click Monday's block and set it precisely.
    await page.getByRole('button', { name: /^Monday 09:00–17:00\. Edit$/ }).click();
    const rangeDialog = page.getByRole('dialog', { name: 'Monday opening hours' });
    await rangeDialog.waitFor();
    await rangeDialog.getByLabel('Opens at').fill('8:30');
    await rangeDialog.getByLabel('Closes at').fill('12:00');
    await rangeDialog.getByTestId('range-apply').click();
    await rangeDialog.waitFor({ state: 'hidden' });
    expect(await hoursField(page, 'monday', 0, 'start').inputValue()).toBe('08:30');
    await page.getByRole('button', { name: /^Monday 08:30–12:00\. Edit$/ }).waitFor();

    // Delete Wednesday's range from its dialog.
    await page.getByRole('button', { name: /^Wednesday 09:00–17:00\. Edit$/ }).click();
    await page.getByRole('dialog', { name: 'Wednesday opening hours' }).getByTestId('range-delete').click();
    await page.getByTestId('hours-wednesday').getByText('Closed').waitFor();

    // The list editor, by keyboard: Friday gets an evening running past midnight into Saturday.
    await page.getByTestId('friday-add').click();
    await hoursField(page, 'friday', 1, 'start').fill('22:00');
    await hoursField(page, 'friday', 1, 'end').fill('02:00');
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: /^Friday 22:00–02:00, runs into Saturday\. Edit$/ }).waitFor();
    await page.getByRole('button', { name: /^Friday 22:00–02:00, continued on Saturday until 02:00\. Edit$/ }).waitFor();
    await page.getByTestId('hours-friday').getByText('Closes Saturday 02:00').waitFor();

    // A yearly closed day and a one-off day on special hours.
    await page.getByTestId('special-add').click();
    let dialog = page.getByRole('dialog', { name: 'Add a special day' });
    await dialog.getByLabel('Date', { exact: true }).fill('2026-12-25');
    await dialog.getByLabel('Every year').check();
    await dialog.getByLabel('Name', { exact: true }).fill('Christmas Day');
    await dialog.getByLabel(/^Message/).fill('For anything urgent, call 0800 123 456.');
    await dialog.getByTestId('special-save').click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByTestId('special-add').click();
    dialog = page.getByRole('dialog', { name: 'Add a special day' });
    await dialog.getByLabel('Date', { exact: true }).fill('2026-12-24');
    await dialog.getByLabel('Open on special hours').check();
    await dialog.getByLabel('Range 1 opens').fill('10:00');
    await dialog.getByLabel('Range 1 closes').fill('13:00');
    await dialog.getByLabel('Name', { exact: true }).fill('Christmas Eve');
    await windowShot(page, 'calendar-special-day-dialog');
    await dialog.getByTestId('special-save').click();
    await dialog.waitFor({ state: 'hidden' });

    const rows = page.getByTestId('special-day');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('24 December 2026');
    expect(await rows.nth(0).textContent()).toContain('10:00–13:00');
    expect(await rows.nth(1).textContent()).toContain('Every year');
    expect(await rows.nth(1).textContent()).toContain('Christmas Day');

    await page.getByTestId('calendar-save').click();
    await status(page).filter({ hasText: /Saved at \d{2}:\d{2}/ }).waitFor();
    expect(await page.getByTestId('calendar-refusal').count()).toBe(0);

    const saved = await savedCalendar();
    expect(saved.weekly.monday).toEqual([{ start: '08:30', end: '12:00' }]);
    expect(saved.weekly.wednesday).toEqual([]);
    expect(saved.weekly.friday).toEqual([
      { start: '09:00', end: '17:00' },
      { start: '22:00', end: '02:00' },
    ]);
    expect(saved.weekly.saturday).toEqual([{ start: '10:00', end: '14:00' }]);
    expect(saved.specialDays).toEqual([
      expect.objectContaining({ date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day', message: 'For anything urgent, call 0800 123 456.' }),
      expect.objectContaining({ date: '2026-12-24', recurrence: 'none', kind: 'special-hours', ranges: [{ start: '10:00', end: '13:00' }], name: 'Christmas Eve' }),
    ]);

    await page.reload();
    await page.getByTestId('week-grid').waitFor();
    await page.getByRole('button', { name: /^Saturday 10:00–14:00\. Edit$/ }).waitFor();
    await page.getByRole('button', { name: /^Friday 22:00–02:00, continued on Saturday until 02:00\. Edit$/ }).waitFor();
    expect(await hoursField(page, 'monday', 0, 'start').inputValue()).toBe('08:30');
    expect(await hoursField(page, 'friday', 1, 'end').inputValue()).toBe('02:00');
    expect(await page.getByTestId('special-day').count()).toBe(2);
    await expect(status(page).textContent()).resolves.toContain('No unsaved changes');

    await fullPageShot(page, 'calendar-page');
    await shotOf(page.getByTestId('calendar-weekly'), 'calendar-week-grid');
    await shotOf(page.getByTestId('calendar-special'), 'calendar-special-days');
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('answers "what happens at" a moment on a special day: closed, why, and the special-day answer', async () => {
    await putCalendar({
      ...original,
      zone: 'Europe/Paris',
      specialDays: [
        { date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day', message: 'For anything urgent, call 0800 123 456.' },
        { date: '2026-12-24', recurrence: 'none', kind: 'special-hours', ranges: [{ start: '10:00', end: '13:00' }], name: 'Christmas Eve' },
      ],
    });
    const consolePage = await openAt('#/calendar');
    const { page } = consolePage;
    const tester = page.getByTestId('calendar-tester');

    await tester.getByTestId('tester-when').fill('2026-12-25T10:00');
    await tester.getByTestId('tester-kind').selectOption('x.mention');
    await tester.getByTestId('tester-contact').fill('Ana');
    await tester.getByTestId('tester-ask').click();
    const result = tester.getByTestId('tester-result');
    await result.waitFor();

    // 10:00 in Paris in winter is 09:00 UTC: the desk's own answer for that instant.
    const expected = await callDesk<{ state: string; reason: string; specialDay: string; answer: { visibility: string; text: string }; reopens: string }>(
      'whatHappensAt',
      { at: Date.UTC(2026, 11, 25, 9, 0), kind: 'x.mention', contactName: 'Ana' },
    );
    expect(expected.value).toMatchObject({ state: 'closed', reason: 'special-day', specialDay: 'Christmas Day' });
    expect(await result.getByTestId('tester-state').textContent()).toBe('Closed');
    expect(await result.getByTestId('tester-reason').textContent()).toBe('Special day: Christmas Day');
    expect(await result.getByTestId('tester-reopens').textContent()).toBe('Monday, 28 December 2026 at 09:00 (Europe/Paris)');
    const answer = result.getByTestId('tester-answer');
    expect(await answer.textContent()).toBe(expected.value!.answer.text);
    expect(await answer.getAttribute('data-visibility')).toBe('public');
    expect(expected.value!.answer.text).toContain('Hi Ana');
    expect(expected.value!.answer.text).toContain('Christmas Day');
    await shotOf(tester, 'calendar-tester');

    // 23:30 in Paris on the 24th is 22:30 UTC: still Christmas Eve there (closed after its special hours),
    // which only comes out right if the wall time was read in the desk's zone.
    await tester.getByTestId('tester-when').fill('2026-12-24T23:30');
    await tester.getByTestId('tester-kind').selectOption('messenger.message');
    await tester.getByTestId('tester-ask').click();
    await result.getByTestId('tester-reason').filter({ hasText: 'Special day: Christmas Eve' }).waitFor();
    expect(await answer.getAttribute('data-visibility')).toBe('private');
    const eve = await callDesk<{ answer: { text: string } }>('whatHappensAt', { at: Date.UTC(2026, 11, 24, 22, 30), kind: 'messenger.message', contactName: 'Ana' });
    expect(await answer.textContent()).toBe(eve.value!.answer.text);

    // An ordinary Wednesday morning is open.
    await tester.getByTestId('tester-when').fill('2026-12-02T10:00');
    await tester.getByTestId('tester-ask').click();
    await result.getByTestId('tester-state').filter({ hasText: 'Open' }).waitFor();
    expect(await result.getByTestId('tester-answer').count()).toBe(0);
    expect(await problemsIn(consolePage)).toEqual([]);
  });

  it('refuses bad input with a clear message and saves nothing: overlapping and zero-length ranges, a template over the X limit, a malformed .ics', async () => {
    await putCalendar(original);
    const before = await savedCalendar();
    const consolePage = await openAt('#/calendar');
    const { page } = consolePage;
    const refusal = page.getByTestId('calendar-refusal');

    // Overlapping ranges: flagged while typing, refused on save, the draft kept.
    await page.getByTestId('monday-add').click();
    await hoursField(page, 'monday', 1, 'start').fill('12:00');
    await hoursField(page, 'monday', 1, 'end').fill('18:00');
    expect(await hoursField(page, 'monday', 1, 'start').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('hours-monday').getByText('Overlaps Monday 09:00–17:00').waitFor();
    await page.getByTestId('calendar-save').click();
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Not saved. The desk refused the calendar');
    expect(await refusal.textContent()).toContain('monday 09:00-17:00 overlaps monday 12:00-18:00');
    expect(await page.getByTestId('weekly-problems').textContent()).toContain('overlaps');
    await expect(status(page).textContent()).resolves.toContain('Unsaved changes');
    expect(await hoursField(page, 'monday', 1, 'start').inputValue()).toBe('12:00');
    expect(await savedCalendar()).toEqual(before);
    await fullPageShot(page, 'calendar-refused-overlap');
    await page.getByTestId('calendar-discard').click();
    await expect(status(page).textContent()).resolves.toContain('No unsaved changes');

    // A range of no length.
    await hoursField(page, 'tuesday', 0, 'start').fill('10:00');
    await hoursField(page, 'tuesday', 0, 'end').fill('10:00');
    await page.getByTestId('calendar-save').click();
    await refusal.filter({ hasText: 'has no length' }).waitFor();
    expect(await refusal.textContent()).toContain('Tuesday, range 1:');
    expect(await savedCalendar()).toEqual(before);
    await page.getByTestId('calendar-discard').click();

    // An X public reply longer than X allows.
    const templates = page.getByTestId('calendar-templates');
    const xPublic = templates.getByTestId('template-outside-hours-x-public');
    const long = `Hi {contact_name}, ${'we are closed right now but will be back soon. '.repeat(6)}`;
    await xPublic.getByRole('textbox').fill(long);
    expect(await xPublic.getByTestId('template-count').textContent()).toMatch(/over the limit/);
    await page.getByTestId('calendar-save').click();
    await refusal.filter({ hasText: 'too long for an X public reply' }).waitFor();
    expect(await refusal.textContent()).toContain('Answer: Outside hours · X · public reply:');
    expect(await xPublic.getByTestId('template-problem').textContent()).toContain('too long for an X public reply');
    expect(await xPublic.getByRole('textbox').inputValue()).toBe(long);
    expect(await savedCalendar()).toEqual(before);
    await shotOf(templates, 'calendar-refused-template');
    await page.getByTestId('calendar-discard').click();

    // A malformed .ics: refused naming the line; nothing added.
    await page.getByTestId('ics-file').setInputFiles({ name: 'broken.ics', mimeType: 'text/calendar', buffer: Buffer.from(ICS_BROKEN) });
    const icsError = page.getByTestId('ics-error');
    await icsError.waitFor();
    expect(await icsError.textContent()).toMatch(/broken\.ics was not imported\..*holiday file refused: line 5/);
    expect(await page.getByTestId('special-day').count()).toBe(0);
    await expect(status(page).textContent()).resolves.toContain('No unsaved changes');
    await shotOf(page.getByTestId('calendar-special'), 'calendar-ics-refused');

    // A good one: previewed with its warning, then merged into the draft (and not saved).
    await page.getByTestId('ics-file').setInputFiles({ name: 'holidays.ics', mimeType: 'text/calendar', buffer: Buffer.from(ICS_OK) });
    const preview = page.getByTestId('ics-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('2 days to add');
    expect(await preview.textContent()).toContain('Thanksgiving');
    expect(await preview.locator('tbody tr').count()).toBe(2);
    await shotOf(page.getByTestId('calendar-special'), 'calendar-ics-preview');
    await preview.getByTestId('ics-add').click();
    expect(await page.getByTestId('special-day').count()).toBe(2);
    await expect(status(page).textContent()).resolves.toContain('Unsaved changes');
    expect((await savedCalendar()).specialDays).toEqual([]);
    await page.getByTestId('calendar-discard').click();

    expect(withoutRefusals(await problemsIn(consolePage), ['saveCalendar', 'previewIcs'])).toEqual([]);
  });

  it('has no serious or critical accessibility problems, with and without its dialogs open', async () => {
    await putCalendar({
      ...original,
      specialDays: [{ date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day', message: 'For anything urgent, call 0800 123 456.' }],
      weekly: { ...original.weekly, friday: [{ start: '09:00', end: '17:00' }, { start: '22:00', end: '02:00' }] },
    });
    const consolePage = await openAt('#/calendar');
    const { page } = consolePage;
    await expectNoSeriousAxe(page, 'calendar page');

    await page.getByRole('button', { name: /^Friday 22:00–02:00, runs into Saturday\. Edit$/ }).click();
    await page.getByRole('dialog', { name: 'Friday opening hours' }).waitFor();
    await windowShot(page, 'calendar-range-dialog');
    await expectNoSeriousAxe(page, 'range dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Edit Christmas Day' }).click();
    await page.getByRole('dialog', { name: 'Edit special day' }).waitFor();
    await expectNoSeriousAxe(page, 'special day dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: /Emergency/ }).click();
    await page.getByTestId('templates-emergency').waitFor();
    await expectNoSeriousAxe(page, 'emergency templates tab');
    expect(await problemsIn(consolePage)).toEqual([]);
  });
});

describe('Emergency switch', () => {
  it('is switched on from the header after confirming the message, shows a banner on every page, switches off, and lists both switches', async () => {
    await putCalendar(original);
    const consolePage = await openAt('#/monitor');
    const { page } = consolePage;
    const toggle = page.getByTestId('emergency-switch');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    expect(await page.getByTestId('emergency-banner').count()).toBe(0);

    await toggle.click();
    const dialog = page.getByRole('dialog', { name: 'Switch on emergency mode?' });
    await dialog.waitFor();
    const message = 'Our phone lines are down after the storm; we are on it.';
    await dialog.getByLabel('Emergency message').fill(message);
    const preview = dialog.getByTestId('emergency-preview');
    expect(await preview.textContent()).toBe(`Hi Ana, thanks for your message. ${message} We'll answer you as soon as we can.`);
    await expectNoSeriousAxe(page, 'emergency dialog');
    await windowShot(page, 'emergency-dialog');

    // Cancelling changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    expect((await callDesk<{ emergency: Emergency }>('getCalendar', {})).value!.emergency.on).toBe(false);

    await toggle.click();
    await dialog.waitFor();
    await dialog.getByLabel('Emergency message').fill(message);
    await dialog.getByTestId('emergency-confirm').click();
    const banner = page.getByTestId('emergency-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^EMERGENCY MODE — every customer gets the emergency answer; switched on by console at \d{2}:\d{2}\./);
    expect(await banner.textContent()).toContain(message);
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('desk-state').filter({ hasText: 'Emergency' }).waitFor();
    const state = (await callDesk<{ emergency: Emergency }>('getCalendar', {})).value!.emergency;
    expect(state).toMatchObject({ on: true, message, switchedBy: 'console' });
    await windowShot(page, 'emergency-banner');

    for (const title of ['Queues', 'Agent desk', 'Calendar', 'Rules', 'Reports', 'Settings', 'Monitor']) {
      await goTo(page, title);
      expect(await page.getByTestId('emergency-banner').isVisible(), `banner on ${title}`).toBe(true);
    }

    // A second window sees it too (events, not a reload).
    const other = await openAt('#/settings');
    await other.page.getByTestId('emergency-banner').waitFor();

    await toggle.click();
    const off = page.getByRole('dialog', { name: 'Switch off emergency mode?' });
    await off.waitFor();
    expect(await off.textContent()).toContain(message);
    expect(await off.textContent()).toContain('Switched on by console');
    await windowShot(page, 'emergency-off-dialog');
    await off.getByTestId('emergency-confirm-off').click();
    await banner.waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await other.page.getByTestId('emergency-banner').waitFor({ state: 'hidden' });
    await page.getByTestId('desk-state').filter({ hasNotText: 'Emergency' }).waitFor();

    await goTo(page, 'Calendar');
    const history = page.getByTestId('emergency-history');
    await history.waitFor();
    const rows = history.getByTestId('emergency-history-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/Off.*console/);
    expect(await rows.nth(1).textContent()).toMatch(/On.*console.*Our phone lines are down/);
    await shotOf(page.getByTestId('calendar-emergency'), 'emergency-history');

    const audit = await callDesk<{ entries: Array<{ subject: string }> }>('readAuditLog', { action: 'emergency.switched' });
    expect(audit.value!.entries.map((entry) => entry.subject)).toEqual(['off', 'on']);
    expect(await problemsIn(consolePage)).toEqual([]);
    expect(await problemsIn(other)).toEqual([]);
  });
});
