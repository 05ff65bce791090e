/**
 * The Electronegativity gate (scripts/electronegativity.mjs) can fail: a window with Node in the
 * page, a weak CSP, a file the tool cannot parse each stop it; a hardened app passes; and an
 * exception needs a reason and covers only the line it names.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp';

const run = promisify(execFile);
const script = join(import.meta.dirname, '..', '..', 'scripts', 'electronegativity.mjs');

async function gate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const HARDENED_MAIN = `
const { app, BrowserWindow, session } = require('electron');
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const win = new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' } });
  win.loadFile('index.html');
});
`;
const HARDENED_PAGE = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'"></head><body></body></html>`;

describe('electronegativity gate', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('desk-electronegativity-');
  });
  afterEach(() => dir.remove());

  const app = (files: Record<string, string>): string => {
    const appDir = join(dir.path, 'app');
    mkdirSync(appDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(appDir, name), text);
    return appDir;
  };

  it('passes a hardened app', async () => {
    const result = await gate('--input', app({ 'main.js': HARDENED_MAIN, 'index.html': HARDENED_PAGE }));
    expect(result.stdout).toContain('OK: no HIGH or MEDIUM finding');
    expect(result.code).toBe(0);
  });

  it('fails a window that lets the page reach Node', async () => {
    const main = HARDENED_MAIN.replace('contextIsolation: true, sandbox: true, nodeIntegration: false', 'contextIsolation: false, sandbox: false, nodeIntegration: true');
    const result = await gate('--input', app({ 'main.js': main, 'index.html': HARDENED_PAGE }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/HIGH +CONTEXT_ISOLATION_JS_CHECK +main\.js:9/);
    expect(result.stdout).toMatch(/MEDIUM +SANDBOX_JS_CHECK/);
  });

  it('fails a CSP that allows inline script, and a file it cannot parse', async () => {
    const page = HARDENED_PAGE.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    const result = await gate('--input', app({ 'main.js': HARDENED_MAIN, 'index.html': page, 'broken.ts': 'export const a = {\n' }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/HIGH +CSP_EVALUATOR +index\.html/);
    expect(result.stdout).toMatch(/HIGH +PARSE_ERROR +broken\.ts/);
  });

  it('applies an exception only to the line it names, and only with a reason', async () => {
    const main = HARDENED_MAIN.replace("win.loadFile('index.html');", "win.loadFile('index.html');\n  require('electron').shell.openExternal(process.argv[2]);");
    const appDir = app({ 'main.js': main, 'index.html': HARDENED_PAGE });
    const exceptions = join(dir.path, 'exceptions.json');
    const write = (entry: Record<string, unknown>) => writeFileSync(exceptions, JSON.stringify({ exceptions: [entry] }));

    write({ check: 'OPEN_EXTERNAL_JS_CHECK', files: ['main.js'], match: 'openExternal(process.argv[2])', reason: 'a fixture: the argument is checked elsewhere, honestly' });
    expect((await gate('--input', appDir, '--exceptions', exceptions)).code).toBe(0);

    write({ check: 'OPEN_EXTERNAL_JS_CHECK', files: ['main.js'], match: 'openExternal(somethingElse)', reason: 'a fixture: the argument is checked elsewhere, honestly' });
    expect((await gate('--input', appDir, '--exceptions', exceptions)).code).toBe(1);

    write({ check: 'OPEN_EXTERNAL_JS_CHECK', files: ['main.js'], match: 'openExternal(process.argv[2])', reason: 'fine' });
    const noReason = await gate('--input', appDir, '--exceptions', exceptions);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('"reason" must say why');
  });
});
