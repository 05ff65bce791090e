/**
 * A 100k-message overnight backlog (mentions, replies and DMs) read by the real X connector
 * from the sandbox over HTTPS (twitter-api-v2 unchanged, OAuth 1.0a signed, gzip) and stored
 * exactly once in a real SQLite store. The sandbox runs in a child process, as X runs on
 * someone else's machine: its rendering and compression do not share the desk's event loop.
 *
 * Baseline, same process: storing the very same already-fetched payloads, in the same batches,
 * straight through ingest. The ratio is what the network, paging and parsing add on top of
 * storing. Target: the whole backlog in 10 s or less.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { fetch } from 'undici';
import { systemClock } from '../../electron/core/clock';
import { createXConnector } from '../../electron/core/connectors/x';
import { ingestBatch, type IngestSource } from '../../electron/core/ingest/ingest';
import type { XCredentials } from '../../electron/core/network';
import { createSandboxDispatcher, createSandboxHttpsAgent } from '../../electron/sandbox/index';
import { createHost, openTestStore } from '../integration/connectors-support';
import type { BenchResult } from './types';

const MESSAGES = 100_000;
const TARGET_S = 10;
const SPREAD_MS = 12 * 3_600_000;

interface Remote {
  port: number;
  caPem: string;
  x: { userId: string; username: string; credentials: XCredentials };
  close(): Promise<void>;
}

/** Starts the sandbox in a child process; resolves with what the connector needs to reach it. */
async function remoteSandbox(): Promise<Remote> {
  const sandboxModule = pathToFileURL(new URL('../../electron/sandbox/index.ts', import.meta.url).pathname).href;
  const code = `
    const { startSandbox } = await import(${JSON.stringify(sandboxModule)});
    // X's limits (300 mention calls per 15 minutes) would spread 1,000 calls over 45 minutes: lifted here.
    const sandbox = await startSandbox({ seed: 42, rateLimits: { multiplier: 1000 }, customerPoolSize: 2000 });
    process.stdout.write(JSON.stringify({ port: sandbox.port, caPem: sandbox.caPem, x: sandbox.x }) + '\\n');
    process.stdin.on('end', () => sandbox.close().then(() => process.exit(0)));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}): ${stderr.slice(0, 500)}`)));
  });
  const info = JSON.parse(line) as Omit<Remote, 'close'>;
  return {
    ...info,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill(), 5_000).unref();
      }),
  };
}

async function control(remote: Remote, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`https://sandbox.local${path}`, {
    method,
    dispatcher: createSandboxDispatcher({ port: remote.port, caPem: remote.caPem }),
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

export async function backlog(): Promise<BenchResult> {
  const remote = await remoteSandbox();
  const live = await openTestStore();
  const baseline = await openTestStore();
  try {
    await control(remote, 'POST', '/schedule', { kind: 'backlog', count: MESSAGES, spreadMs: SPREAD_MS, mix: { 'x.mention': 5, 'x.reply': 2, 'x.dm': 3 } });
    let posted = 0;
    while (posted < MESSAGES) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      posted = Number((await control(remote, 'GET', '/posted?limit=1')).total);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));

    const clock = systemClock;
    const batches: Array<{ payloads: readonly unknown[]; source: IngestSource }> = [];
    const host = createHost(live.store, clock, { afterIngest: (payloads, source) => batches.push({ payloads, source }) });
    const connector = createXConnector(host, {
      credentials: remote.x.credentials,
      userId: remote.x.userId,
      username: remote.x.username,
      transport: { httpsAgent: createSandboxHttpsAgent({ port: remote.port, caPem: remote.caPem }) },
      stream: false,
      backfillSince: clock.now() - SPREAD_MS - 3_600_000,
      monthlyReadCap: 10_000_000,
    });

    const started = performance.now();
    await connector.pollNow();
    const seconds = (performance.now() - started) / 1000;
    await connector.stop();
    const stored = (await live.store.db.get<{ n: number }>('SELECT count(*) AS n FROM messages'))!.n;
    const status = host.status('x');

    const baselineStart = performance.now();
    for (const batch of batches) await ingestBatch(baseline.store.db, batch.payloads, batch.source, clock.now());
    const baselineSeconds = (performance.now() - baselineStart) / 1000;

    const ratio = seconds / baselineSeconds;
    const perSecond = Math.round(stored / seconds);
    return {
      bench: 'backlog',
      summary:
        `${stored.toLocaleString('en-US')} of ${posted.toLocaleString('en-US')} backlog messages read from the X sandbox over HTTPS and stored in ${seconds.toFixed(2)} s ` +
        `(${perSecond.toLocaleString('en-US')}/s; target ${TARGET_S} s); storing the same payloads alone takes ${baselineSeconds.toFixed(2)} s: network + parse overhead ${ratio.toFixed(2)}x`,
      figures: {
        messages: stored,
        posted,
        seconds: Number(seconds.toFixed(3)),
        events_per_s: perSecond,
        target_s: TARGET_S,
        baseline_seconds: Number(baselineSeconds.toFixed(3)),
        overhead_ratio: Number(ratio.toFixed(2)),
        batches: batches.length,
        duplicates: status.duplicatesSkipped ?? 0,
        bad_payloads: status.badPayloads ?? 0,
        lost: posted - stored,
      },
    };
  } finally {
    await live.remove();
    await baseline.remove();
    await remote.close();
  }
}
