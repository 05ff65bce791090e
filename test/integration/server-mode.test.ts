/**
 * Server mode as a user runs it: the built bundle in a child process, real HTTP and a real
 * WebSocket on 127.0.0.1. Needs `npm run build` (npm test builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { EventBatch } from '../../electron/core/contract';
import { Database } from '../../electron/core/store/db';
import { serverBundle, startServerProcess, type ServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so the test controls Host and Origin exactly. */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let server: ServerProcess;
let host: string;
let auth: Record<string, string>;

function command(name: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(server.port, { method: 'POST', path: `/api/${name}`, headers: { host, 'content-type': 'application/json', ...auth, ...headers }, body: JSON.stringify(input) });
}

beforeAll(async () => {
  server = await startServerProcess();
  host = `127.0.0.1:${server.port}`;
  auth = { authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server?.stop();
});

describe('server mode', () => {
  it('prints one ready line with a fresh token and binds 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    expect(server.token.length).toBeGreaterThanOrEqual(43);
  });

  it('answers every contract command at POST /api/<command> with the token', async () => {
    const status = await command('getStatus', {});
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { network: { mode: 'sandbox' }, store: { dataDir: server.dataDir } } });
    const saved = await command('updateSettings', { deskName: 'Night desk' });
    expect(JSON.parse(saved.body)).toMatchObject({ ok: true, value: { deskName: 'Night desk' } });
  });

  it('refuses calls without the token, with a wrong one, or with it in the wrong place (401)', async () => {
    for (const headers of [{ authorization: '' }, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${server.token}` }]) {
      const reply = await command('getSettings', {}, headers);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    const inQuery = await send(server.port, { method: 'POST', path: `/api/getSettings?token=${server.token}`, headers: { host, 'content-type': 'application/json' }, body: '{}' });
    expect(inQuery.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (403), even with the token', async () => {
    for (const badHost of ['evil.example:80', `attacker.test:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1.evil.example:${server.port}`]) {
      const reply = await command('getSettings', {}, { host: badHost });
      expect(reply.status, badHost).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const page = await send(server.port, { path: '/', headers: { host: 'evil.example' } });
    expect(page.status).toBe(403);
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`]) {
      expect((await command('getSettings', {}, { origin })).status, origin).toBe(403);
    }
    expect((await command('getSettings', {}, { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses malformed requests with a clear error and changes nothing', async () => {
    const notJson = await send(server.port, { method: 'POST', path: '/api/updateSettings', headers: { host, ...auth, 'content-type': 'application/json' }, body: '{"deskName":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'the body is not valid JSON' } });
    const form = await send(server.port, { method: 'POST', path: '/api/updateSettings', headers: { host, ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'deskName=x' });
    expect(form.status).toBe(400);
    const huge = await command('updateSettings', { deskName: 'x'.repeat(2_000_000) });
    expect(huge.status).toBe(400);
    expect(JSON.parse(huge.body).error.message).toMatch(/larger than/);
    const unknown = await command('eraseEverything', {});
    expect(unknown.status).toBe(404);
    const get = await send(server.port, { path: '/api/getSettings', headers: { host, ...auth } });
    expect(get.status).toBe(400);
    const settings = JSON.parse((await command('getSettings', {})).body);
    expect(settings.value.deskName).toBe('Night desk');
  });

  it('serves the console with a strict CSP, and no files outside it', async () => {
    const page = await send(server.port, { path: '/', headers: { host } });
    if (existsSync(join(serverBundle, '..', '..', 'dist', 'renderer', 'index.html'))) {
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
      expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    } else {
      expect(page.status).toBe(503);
    }
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/nope.js']) {
      const reply = await send(server.port, { path, headers: { host } });
      expect(reply.status, path).toBe(404);
    }
  });

  it('streams events over the WebSocket only with the token', async () => {
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, ['desk-events.v1']);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
    const foreign = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, ['desk-events.v1', `bearer.${server.token}`], { origin: 'https://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(foreign).toBe(403);

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, ['desk-events.v1', `bearer.${server.token}`], { origin: server.origin });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe('desk-events.v1');
    const received = new Promise<EventBatch>((resolve) => ws.once('message', (data) => resolve(EventBatch.parse(JSON.parse(String(data))))));
    await command('updateSettings', { timeFormat: '12h' });
    const batch = await received;
    expect(batch.events.map((e) => e.type)).toEqual(['settingsChanged', 'auditAppended', 'statusChanged']);
    ws.close();
  });

  it('keeps the token out of its log', () => {
    const log = readFileSync(join(server.dataDir, 'logs', 'desk.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(server.token);
  });
});

describe('server mode start and stop', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`closes the store cleanly on ${signal}`, async () => {
      const own = await startServerProcess();
      const dataDir = own.dataDir;
      const reply = await send(own.port, {
        method: 'POST',
        path: '/api/updateSettings',
        headers: { host: `127.0.0.1:${own.port}`, 'content-type': 'application/json', authorization: `Bearer ${own.token}` },
        body: JSON.stringify({ deskName: `Stopped by ${signal}` }),
      });
      expect(reply.status).toBe(200);
      expect(await own.stop(signal)).toBe(0);
      // A clean stop folds the WAL back: the main file alone holds everything.
      const wal = join(dataDir, 'desk.sqlite3-wal');
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
      const db = await Database.open(join(dataDir, 'desk.sqlite3'));
      expect(await db.get("SELECT value FROM settings WHERE key = 'deskName'")).toEqual({ value: JSON.stringify(`Stopped by ${signal}`) });
      await db.close();
      if (process.platform !== 'win32') expect(statSync(join(dataDir, 'desk.sqlite3')).mode & 0o777).toBe(0o600);
    });
  }

  it('refuses bad arguments and a busy port with a one-line reason', async () => {
    const dir = tempDir();
    try {
      const badPort = spawnSync(process.execPath, [serverBundle, '--port', 'eighty', '--data', dir.path], { encoding: 'utf8' });
      expect(badPort.status).toBe(2);
      expect(badPort.stdout).toBe('');
      expect(badPort.stderr).toMatch(/--port needs a number from 0 to 65535, got "eighty"/);
      const busy = spawnSync(process.execPath, [serverBundle, '--port', String(server.port), '--data', dir.path], { encoding: 'utf8' });
      expect(busy.status).toBe(2);
      expect(busy.stderr).toMatch(new RegExp(`port ${server.port} is already in use`));
    } finally {
      dir.remove();
    }
  });
});
