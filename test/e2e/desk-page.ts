/**
 * Helpers the Monitor and Settings tests share: open the console the way a user does, call
 * the desk's HTTP API directly, move between pages, take element screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ServerProcess } from '../support/server-process';
import { openConsolePage, screenshotDir, type ConsolePage, type Problem } from './browser';

export interface DeskReply<T = unknown> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

export async function callDesk<T = unknown>(server: ServerProcess, name: string, input: unknown): Promise<DeskReply<T>> {
  const response = await fetch(`${server.origin}/api/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return (await response.json()) as DeskReply<T>;
}

export async function expectConnection(page: Page, label: string): Promise<void> {
  await page.getByTestId('connection').filter({ hasText: label }).waitFor({ timeout: 15_000 });
}

/** Opens the console at the address the desk printed, token and all, and waits until it is live. */
export async function openConsole(browser: Browser, server: ServerProcess, opened: ConsolePage[], hash = ''): Promise<ConsolePage> {
  const consolePage = await openConsolePage(browser);
  opened.push(consolePage);
  await consolePage.page.goto(server.url);
  await consolePage.page.getByTestId('desk-name').waitFor();
  await expectConnection(consolePage.page, 'Live');
  if (hash !== '') await consolePage.page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  return consolePage;
}

export async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: new RegExp(`^${title}`) }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** A screenshot of one part of the page, next to the full-page ones. */
export async function screenshotOf(locator: Locator, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // A full-page shot clipped to the element: an element screenshot taller than the window
  // would be stitched with the sticky header drawn across its middle.
  const page = locator.page();
  await page.evaluate('window.scrollTo(0, 0)');
  const box = await locator.boundingBox();
  if (box === null) throw new Error(`${name}: the element to photograph is not visible`);
  const pad = 8;
  const clip = { x: Math.max(0, box.x - pad), y: Math.max(0, box.y - pad), width: box.width + 2 * pad, height: box.height + 2 * pad };
  await page.screenshot({ path, fullPage: true, clip, animations: 'disabled', caret: 'hide' });
  return path;
}

/** What is on screen now (for modal dialogs: a full-page shot would tear the backdrop). */
export async function screenshotWindow(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/** Chrome logs every 4xx fetch as a console error; refusals a test provokes on purpose are not problems. */
export function withoutRefusalsOf(problems: Problem[], commands: string[]): Problem[] {
  return problems.filter(
    (p) => !(p.kind === 'console' && /status of (400|404|409)/.test(p.text) && commands.some((command) => p.text.includes(`/api/${command}`))),
  );
}

/** What the console should print for an instant: "08:11" on the desk's today, "24 Nov 2026, 08:11" otherwise. */
export function feedTime(ms: number, timeZone: string, now = Date.now()): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'short', day: 'numeric' });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
  if (day.format(ms) === day.format(now)) return time;
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}
