/**
 * Nothing lost, nothing doubled: server mode is killed with SIGKILL at several points of a
 * storm and restarted on the same data folder; the contact history is then compared with what
 * the sandbox's customers really sent. The sandbox runs in this test process, outside the desk,
 * so it survives the kills as a real network would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../electron/sandbox';
import { openStore } from '../../electron/core/store';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp';

let sandbox: Sandbox;
let dir: ReturnType<typeof tempDir>;
let sandboxFile: string;

beforeAll(async () => {
  dir = tempDir('desk-crash-');
  // Generous limits: this test is about crashes, not about rate limiting.
  sandbox = await startSandbox({ dataDir: join(dir.path, 'sandbox'), rateLimits: { multiplier: 1000 } });
  sandboxFile = join(dir.path, 'sandbox.json');
  writeFileSync(sandboxFile, JSON.stringify({ port: sandbox.port, caPath: sandbox.caPath, x: sandbox.x, facebook: sandbox.facebook }));
});

afterAll(async () => {
  await sandbox?.close();
  dir?.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function storedInbound(dataDir: string): Promise<string[]> {
  const store = await openStore(dataDir);
  try {
    const rows = await store.db.all<{ platform: string; external_id: string }>("SELECT platform, external_id FROM messages WHERE direction = 'inbound'");
    return rows.map((row) => `${row.platform}:${row.external_id}`);
  } finally {
    await store.close();
  }
}

async function undecided(dataDir: string): Promise<number> {
  const store = await openStore(dataDir);
  try {
    return (await store.db.get<{ n: number }>("SELECT count(*) AS n FROM interactions WHERE state = 'new'"))?.n ?? -1;
  } finally {
    await store.close();
  }
}

describe('a desk killed during a storm', () => {
  it('loses nothing and doubles nothing across SIGKILLs and restarts', async () => {
    const dataDir = join(dir.path, 'desk');
    const start = () => startServerProcess({ dataDir, extraArgs: ['--sandbox-file', sandboxFile, '--sandbox-traffic', 'off'] });
    let server: ServerProcess = await start();

    const storm = sandbox.customers.schedule('storm', { ratePerSecond: 250, durationMs: 8_000 });
    // Kill points spread over the storm at uneven gaps, so they land at different moments of
    // a poll: while fetching, while storing a batch, between batches.
    for (const gap of [1_200, 1_100, 800, 1_600]) {
      await sleep(gap);
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server.child.once('exit', resolve));
      server = await start();
    }
    const made = await storm.done;
    expect(made).toBeGreaterThan(500);

    // Let the restarted desk catch up with everything the customers sent.
    const expected = new Set(sandbox.customers.posted().map((item) => `${item.platform}:${item.id}`));
    // Counted in the desk's own file (WAL lets this test read while the desk writes): inbound
    // only, since closed-desk answers add outbound messages when this runs outside office hours.
    for (let attempt = 0; attempt < 60 && (await storedInbound(dataDir)).length < expected.size; attempt += 1) await sleep(1_000);
    // And with every message decided by the rules and the calendar (nothing left `new`).
    for (let attempt = 0; attempt < 30 && (await undecided(dataDir)) > 0; attempt += 1) await sleep(1_000);
    expect(await server.stop()).toBe(0);
    expect(await undecided(dataDir)).toBe(0);

    // What the desk posted on its own (closed-desk answers, auto-replies) went out at most once per
    // message. A like killed mid-request is simply done again (the outbox's 'redo': liking a liked
    // post changes nothing), so likes are counted, not required to be single requests.
    const acted = sandbox.inspector.actions().filter((action) => ['like', 'retweet', 'reply', 'comment', 'private-reply', 'dm', 'messenger-send'].includes(action.kind));
    const posted = acted.filter((action) => ['reply', 'comment', 'private-reply'].includes(action.kind)).map((action) => `${action.kind}:${action.targetId}`);
    const likes = acted.filter((action) => action.kind === 'like').map((action) => action.targetId);
    expect(posted.length - new Set(posted).size).toBe(0);

    const stored = await storedInbound(dataDir);
    const storedSet = new Set(stored);
    const lost = [...expected].filter((key) => !storedSet.has(key));
    const unexpected = stored.filter((key) => !expected.has(key));
    process.stdout.write(`${JSON.stringify({ test: 'crash-ingest', sent: expected.size, stored: stored.length, lost: lost.length, duplicated: stored.length - storedSet.size, kills: 4, desksOwnPosts: posted.length, likeRequests: likes.length, postsLiked: new Set(likes).size })}\n`);
    expect(lost).toEqual([]);
    expect(stored.length - storedSet.size).toBe(0);
    expect(unexpected).toEqual([]);
  });
});
