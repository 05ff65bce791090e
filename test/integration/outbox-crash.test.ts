// Exactly once across unseen outcomes: an answer cut off after the platform acted, a desk that
// died between the request and the commit (simulated, and a real SIGKILL of a child process).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { openStore } from '../../electron/core/store';
import { markOutboxSending } from '../../electron/core/store/outbox';
import { createOutbox, manualOutboxTimers, type OutboxAction } from '../../electron/core/outbox';
import type { InspectorAction } from '../../electron/sandbox/index';
import { repoRoot } from '../support/server-process';
import { tempDir } from '../support/temp';
import { actions, graphSender, item, openDeskSide, outboundMessages, startWorld, stepToNextTry, uniqueText, xSender, type DeskSide, type World } from './outbox-support';

const HOUR = 3_600_000;

let world: World;
let side: DeskSide;

beforeAll(async () => {
  world = await startWorld(83);
});
afterAll(async () => {
  await world.sandbox.close();
});
beforeEach(async () => {
  side = await openDeskSide(world);
});
afterEach(async () => {
  world.sandbox.faults.clear();
  await side.close();
});

interface Case {
  name: string;
  /** Sets the scene on the sandbox; returns the action and the inspector kind it leaves. */
  setup(text: string): Promise<{ action: OutboxAction; kind: InspectorAction['kind']; path: string; platform: 'x' | 'facebook' }>;
}

const cases: Case[] = [
  {
    name: 'X reply',
    async setup(text) {
      const tweet = await world.sandbox.customers.post({ kind: 'x.mention' });
      return { action: { kind: 'x.reply', inReplyToTweetId: tweet.id, text }, kind: 'reply', path: 'POST /2/tweets', platform: 'x' };
    },
  },
  {
    name: 'X DM',
    async setup(text) {
      const dm = await world.sandbox.customers.post({ kind: 'x.dm' });
      return { action: { kind: 'x.dm', participantId: dm.authorId, text }, kind: 'dm', path: 'POST /2/dm_conversations', platform: 'x' };
    },
  },
  {
    name: 'Facebook comment (a reply to a comment)',
    async setup(text) {
      const comment = await world.sandbox.customers.post({ kind: 'facebook.comment' });
      return { action: { kind: 'facebook.comment', objectId: comment.id, text }, kind: 'reply', path: 'POST /:comment-id/comments', platform: 'facebook' };
    },
  },
  {
    name: 'Facebook comment (a reply to a reply, which lands under the top-level comment)',
    async setup(text) {
      const reply = await world.sandbox.customers.post({ kind: 'facebook.reply' });
      return { action: { kind: 'facebook.comment', objectId: reply.id, text }, kind: 'reply', path: 'POST /:comment-id/comments', platform: 'facebook' };
    },
  },
  {
    name: 'Facebook private reply',
    async setup(text) {
      const comment = await world.sandbox.customers.post({ kind: 'facebook.comment' });
      return { action: { kind: 'facebook.private-reply', commentId: comment.id, text }, kind: 'private-reply', path: 'POST /:page-id/messages', platform: 'facebook' };
    },
  },
  {
    name: 'Messenger message',
    async setup(text) {
      const message = await world.sandbox.customers.post({ kind: 'messenger.message' });
      return { action: { kind: 'messenger.send', psid: message.authorId, text }, kind: 'messenger-send', path: 'POST /:page-id/messages', platform: 'facebook' };
    },
  },
];

function ownActions(kind: InspectorAction['kind'], text: string): InspectorAction[] {
  return actions(world, kind, text);
}

describe('an answer cut off after the platform acted (drop-connection mid-response)', () => {
  for (const c of cases) {
    it(`${c.name}: in doubt, found on the next try, never sent twice`, async () => {
      const outbox = side.outbox();
      await outbox.start();
      const text = uniqueText(`Cut-off answer for the ${c.name}.`);
      const scene = await c.setup(text);
      world.sandbox.faults.inject({ kind: 'drop-connection', when: 'mid-response', platform: scene.platform, path: scene.path });
      const queued = await outbox.enqueue(side.store.db, { action: scene.action, contactId: side.contactId, interactionId: null, origin: 'agent' });
      await outbox.kick();
      const doubtful = await item(outbox, queued.id);
      expect(doubtful).toMatchObject({ state: 'retrying', attempts: 1, inDoubt: true, lastError: expect.stringMatching(/dropped/) });
      expect(ownActions(scene.kind, text)).toHaveLength(1); // the platform did it

      const done = await stepToNextTry(world, outbox, queued.id);
      expect(done).toMatchObject({ state: 'sent', attempts: 2, inDoubt: false });
      const did = ownActions(scene.kind, text);
      expect(did).toHaveLength(1);
      expect(done.resultId).toBe(did[0]?.resultId);
      const stored = await outboundMessages(side);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ external_id: done.resultId, text, contact_id: side.contactId, direction: 'outbound' });
    });
  }

  it('a like in doubt is simply done again (liking twice leaves it liked)', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const tweet = await world.sandbox.customers.post({ kind: 'x.mention' });
    world.sandbox.faults.inject({ kind: 'drop-connection', when: 'mid-response', platform: 'x', path: 'POST /2/users/:id/likes' });
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.like', tweetId: tweet.id }, contactId: side.contactId, interactionId: null, origin: 'auto-like' });
    await outbox.kick();
    expect((await item(outbox, queued.id)).inDoubt).toBe(true);
    expect(await stepToNextTry(world, outbox, queued.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(world.sandbox.inspector.actions().filter((a) => a.kind === 'like' && a.targetId === tweet.id)).toHaveLength(2);
  });
});

describe('a desk that died between the request and the commit', () => {
  for (const c of cases) {
    it(`${c.name}: a new runner on the same database finds it and marks it sent`, async () => {
      const first = side.outbox();
      const text = uniqueText(`Crash answer for the ${c.name}.`);
      const scene = await c.setup(text);
      const queued = await first.enqueue(side.store.db, { action: scene.action, contactId: side.contactId, interactionId: null, origin: 'agent' });
      // What the dead desk got done: the intent committed, then the request went through.
      world.clock.advance(1000);
      expect(await markOutboxSending(side.store.db, queued.id, world.clock.now())).toBe(true);
      const done = await (scene.platform === 'x' ? xSender(world) : graphSender(world)).send(scene.action);
      expect(ownActions(scene.kind, text)).toHaveLength(1);

      world.clock.advance(5 * 60_000);
      const second = side.outbox();
      await second.start();
      await second.kick();
      expect(await item(second, queued.id)).toMatchObject({ state: 'sent', attempts: 2, resultId: done.resultId, inDoubt: false });
      expect(ownActions(scene.kind, text)).toHaveLength(1);
      expect((await outboundMessages(side)).map((m) => m.external_id)).toEqual([done.resultId]);
    });
  }

  it('when the request never went out, the new runner finds nothing and sends it once', async () => {
    const first = side.outbox();
    const tweet = await world.sandbox.customers.post({ kind: 'x.mention' });
    const text = uniqueText('Never left the building.');
    const queued = await first.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: tweet.id, text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    expect(await markOutboxSending(side.store.db, queued.id, world.clock.now())).toBe(true);
    const second = side.outbox();
    await second.start();
    await second.kick();
    expect(await item(second, queued.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(ownActions('reply', text)).toHaveLength(1);
  });

  it('past its deadline: found means sent; not found means failed, and nothing goes out late', async () => {
    const first = side.outbox();
    const [a, b] = [await world.sandbox.customers.post({ kind: 'x.mention' }), await world.sandbox.customers.post({ kind: 'x.mention' })];
    const [textA, textB] = [uniqueText('Made it.'), uniqueText('Did not make it.')];
    const landed = await first.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: a.id, text: textA }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const lost = await first.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: b.id, text: textB }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await markOutboxSending(side.store.db, landed.id, world.clock.now());
    await markOutboxSending(side.store.db, lost.id, world.clock.now());
    await xSender(world).send({ kind: 'x.reply', inReplyToTweetId: a.id, text: textA });

    world.clock.advance(3 * HOUR);
    const second = side.outbox();
    await second.start();
    await second.kick();
    expect((await item(second, landed.id)).state).toBe('sent');
    expect(await item(second, lost.id)).toMatchObject({ state: 'failed', reason: 'Not sent: the deadline passed (last problem: The desk stopped while this was being sent; it looks on the platform for it before trying again.).' });
    expect(ownActions('reply', textA)).toHaveLength(1);
    expect(ownActions('reply', textB)).toEqual([]);
  });

  it('two items with the same text to the same target are not both claimed by one post', async () => {
    const first = side.outbox();
    const message = await world.sandbox.customers.post({ kind: 'messenger.message' });
    const text = uniqueText('Same words twice.');
    const action: OutboxAction = { kind: 'messenger.send', psid: message.authorId, text };
    const one = await first.enqueue(side.store.db, { action, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const two = await first.enqueue(side.store.db, { action, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await markOutboxSending(side.store.db, one.id, world.clock.now());
    await markOutboxSending(side.store.db, two.id, world.clock.now());
    await graphSender(world).send(action); // only one of them got out before the crash
    const second = side.outbox();
    await second.start();
    await second.kick();
    const [a, b] = [await item(second, one.id), await item(second, two.id)];
    expect([a.state, b.state]).toEqual(['sent', 'sent']);
    expect(a.resultId).not.toBe(b.resultId);
    expect(ownActions('messenger-send', text)).toHaveLength(2);
  });
});

describe('a real crash: SIGKILL between the platform answer and the commit', () => {
  it('a restarted desk finds the reply on X and does not post it again', async () => {
    const dir = tempDir('desk-outbox-kill-');
    const setup = await openDeskSide(world, dir);
    const tweet = await world.sandbox.customers.post({ kind: 'x.mention' });
    const text = uniqueText('Posted just before the lights went out.');
    const queued = await setup.outbox().enqueue(setup.store.db, { action: { kind: 'x.reply', inReplyToTweetId: tweet.id, text }, contactId: setup.contactId, interactionId: null, origin: 'agent' });
    await setup.store.close();

    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'integration', 'outbox-crash-child.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        OUTBOX_CHILD: JSON.stringify({ dataDir: dir.path, port: world.sandbox.port, caPem: world.sandbox.caPem, credentials: world.sandbox.x.credentials, clockMs: world.clock.now() }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      void exited.then(() => reject(new Error(`the child exited before sending; stderr:\n${stderr}`)));
    });
    expect(line).toMatch(/^sent \d+$/);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const resultId = line.slice('sent '.length);
    expect(ownActions('reply', text).map((a) => a.resultId)).toEqual([resultId]);

    const store = await openStore(dir.path);
    try {
      expect(await store.db.get('SELECT state, attempts FROM outbox WHERE id = ?', [queued.id])).toEqual({ state: 'sending', attempts: 1 });
      expect(await store.db.get("SELECT count(*) AS n FROM messages WHERE direction = 'outbound'")).toEqual({ n: 0 });
      const restarted = createOutbox({ db: store.db, clock: world.clock, senders: { x: xSender(world) }, timers: manualOutboxTimers });
      await restarted.start();
      await restarted.kick();
      expect(await item(restarted, queued.id)).toMatchObject({ state: 'sent', attempts: 2, resultId });
      await restarted.stop();
      expect(ownActions('reply', text)).toHaveLength(1);
      expect(await store.db.all("SELECT external_id, contact_id, kind FROM messages WHERE direction = 'outbound'")).toEqual([{ external_id: resultId, contact_id: setup.contactId, kind: 'x.reply' }]);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
