/**
 * The browser side of the e2e tests: the system Chromium driven by playwright-core, a console
 * page that records every CSP violation, page error and console error, an axe-core run, and
 * screenshots into test-results/screenshots/.
 *
 * These files compile without the DOM library (see the root tsconfig), so code that runs in
 * the page is passed as strings.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { repoRoot } from '../support/server-process';

export const CHROMIUM = process.env.DESK_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Problem {
  kind: 'csp' | 'pageerror' | 'console';
  text: string;
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong in the page so far. */
  problems: Problem[];
  close(): Promise<void>;
}

/**
 * CSP violations are reported to the page as events; this records them where the test can read
 * them. Injected by the browser (not as an inline script), so the CSP under test does not apply.
 */
const RECORD_CSP_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
  });
`;

export async function openConsolePage(browser: Browser): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'en-GB' });
  await context.addInitScript({ content: RECORD_CSP_VIOLATIONS });
  const page = await context.newPage();
  const problems: Problem[] = [];
  page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.message }));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push({ kind: 'console', text: `${message.text()} @ ${message.location().url}` });
  });
  return { context, page, problems, close: () => context.close() };
}

/** CSP violations recorded in the current document, plus problems collected from the page. */
export async function problemsIn(consolePage: ConsolePage): Promise<Problem[]> {
  const csp = (await consolePage.page.evaluate('window.__cspViolations ?? []')) as string[];
  return [...consolePage.problems, ...csp.map((text): Problem => ({ kind: 'csp', text }))];
}

// ---------------------------------------------------------------------------------------------
// axe-core

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe on the page as it is now. The source is evaluated through the DevTools protocol,
 * which the page's CSP does not govern, so nothing has to be loosened for the audit.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const loaded = (await page.evaluate('typeof window.axe')) as string;
  if (loaded !== 'object') await page.evaluate(axeSource);
  return (await page.evaluate(`
    axe.run(document, { resultTypes: ['violations'] }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      })),
    )
  `)) as AxeViolation[];
}

export function seriousOrWorse(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// ---------------------------------------------------------------------------------------------

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // Animations (the "fresh row" highlight, the reconnect pulse) would make shots differ run to run.
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}
