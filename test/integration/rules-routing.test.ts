/**
 * Rules and routing in the desk, end to end on the sandbox (real SQLite, real HTTPS): a DM goes to
 * the DM team; praise is liked and sarcasm is not (the sandbox's inspector is the witness); an
 * auto-reply that fails is retried and arrives once; queued work waits for a ready agent and is
 * offered with a reason; queues survive a restart; bad rules and agents are refused whole.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Agent, AutoAction, CalendarView, ContactSummary, InteractionDetail, Message, OutboxItem, Queue, RoutingView, RuleDecision, RulesView, WaitingItem } from '../../electron/core/contract';
import { createDesk, type Desk } from '../../electron/core/desk';
import { FileSecretStore } from '../../electron/core/secrets';
import { startSandbox, type Sandbox } from '../../electron/sandbox';
import { tempDir } from '../support/temp';

const supervisor = { actor: 'supervisor Ana' };
let sandbox: Sandbox;
let sandboxDir: ReturnType<typeof tempDir>;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined> | T | null | undefined, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const found = await probe();
    if (found !== null && found !== undefined && found !== false) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function openDesk(): Desk {
  return createDesk({
    dataDir: dir.path,
    version: 't',
    secrets: new FileSecretStore(join(dir.path, 'secrets.json')),
    eventWindowMs: 5,
    sandbox: async () => ({ x: sandbox.x, facebook: sandbox.facebook, httpsAgent: () => sandbox.httpsAgent(), dispatcher: () => sandbox.dispatcher(), close: async () => {} }),
  });
}

beforeAll(async () => {
  sandboxDir = tempDir('desk-rules-sandbox-');
  sandbox = await startSandbox({ dataDir: sandboxDir.path, rateLimits: { multiplier: 100 } });
});
afterAll(async () => {
  await sandbox?.close();
  sandboxDir?.remove();
});

beforeEach(async () => {
  dir = tempDir();
  desk = openDesk();
  await desk.start();
  // Open around the clock: these tests are about rules and routing, not the wall clock.
  const { calendar } = await value<CalendarView>(desk.call('getCalendar', {}, supervisor));
  const allDay = [{ start: '00:00', end: '24:00' }];
  await value(desk.call('saveCalendar', { calendar: { ...calendar, weekly: { monday: allDay, tuesday: allDay, wednesday: allDay, thursday: allDay, friday: allDay, saturday: allDay, sunday: allDay } } }, supervisor));
});
afterEach(async () => {
  await desk.stop();
  dir.remove();
});

/** The interaction of a message the sandbox delivered, once the desk has decided it (or as `until` says). */
async function interactionOf(externalId: string, until: (detail: InteractionDetail) => boolean = (d) => d.decision !== null): Promise<InteractionDetail> {
  return eventually(`the interaction of ${externalId}`, async () => {
    const found = await value<{ contacts: ContactSummary[] }>(desk.call('searchContacts', { query: '' }, supervisor));
    for (const contact of found.contacts) {
      const history = await value<{ messages: Message[] }>(desk.call('getContactHistory', { contactId: contact.id }, supervisor));
      const message = history.messages.find((m) => m.externalId === externalId);
      if (!message) continue;
      const feed = await value<{ items: { messageId: number; interactionId: number | null }[] }>(desk.call('readFeed', {}, supervisor));
      const interactionId = feed.items.find((item) => item.messageId === message.id)?.interactionId;
      if (!interactionId) return null;
      const detail = await value<InteractionDetail>(desk.call('getInteraction', { interactionId }, supervisor));
      return until(detail) ? detail : null;
    }
    return null;
  });
}

describe('the rules on live traffic', () => {
  it('starts with the default queue and the default rules, and explains each decision with the interaction', async () => {
    const routing = await value<RoutingView>(desk.call('getRouting', {}, supervisor));
    expect(routing.queues.map((q) => q.name)).toEqual(['general']);
    const rules = await value<RulesView>(desk.call('getRules', {}, supervisor));
    expect(rules.ruleSet.defaultRule.action).toMatchObject({ type: 'route-to-queue', queue: 'general' });
    expect(rules.warnings.join(' ')).toMatch(/no agent is in the group "dm-team"/);

    const posted = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare where is my parcel? Order 5521 has not arrived', customer: 'ian:en' });
    const detail = await interactionOf(posted.id, (d) => d.state === 'queued');
    expect(detail.decision).toMatchObject({ rule: { name: 'Everything else', isDefault: true }, outcome: 'routed', route: { type: 'queue', queue: 'general' } });
    expect(detail.decision?.explanation).toMatch(/Everything else/);
    expect(detail.calendarOnArrival).toBe('open');
    expect(detail.entry).toMatchObject({ queueId: routing.queues[0]!.id, assignedTo: null, workKind: 'public' });
  });

  it('sends an X DM to the DM team and offers it to a ready member, saying why', async () => {
    const bea = await value<Agent>(desk.call('saveAgent', { name: 'Bea', skills: { billing: 4 }, groups: ['dm-team'], capacity: { public: 2, private: 2 } }, supervisor));
    await value(desk.call('saveAgent', { name: 'Cal', skills: { billing: 9 }, groups: [], capacity: { public: 2, private: 2 } }, supervisor));
    const cal = (await value<RoutingView>(desk.call('getRouting', {}, supervisor))).agents.find((a) => a.name === 'Cal')!;
    await value(desk.call('setAgentState', { agentId: cal.id, state: { state: 'ready' } }, supervisor));
    await value(desk.call('setAgentState', { agentId: bea.id, state: { state: 'ready' } }, supervisor));

    const dm = await sandbox.customers.post({ kind: 'x.dm', text: 'hi, can you check my account?', customer: 'dm-dora:en' });
    const detail = await interactionOf(dm.id, (d) => d.state === 'assigned');
    expect(detail.decision).toMatchObject({ rule: { name: 'X direct messages go to the DM team' }, route: { type: 'group', group: 'dm-team' } });
    expect(detail.assignments).toHaveLength(1);
    expect(detail.assignments[0]).toMatchObject({ agentName: 'Bea', group: 'dm-team', workKind: 'private', by: 'routing' });
    expect(detail.assignments[0]!.explanation).toMatch(/Bea: member of dm-team/);

    // The agent accepts; the group's tile counts nothing waiting.
    await value(desk.call('acceptInteraction', { interactionId: detail.id, agentId: bea.id }, { actor: 'Bea' }));

    // The customer writes again while the chat is open: it joins that conversation, not the queue.
    const followUp = await sandbox.customers.post({ kind: 'x.dm', text: 'also, my address changed', customer: 'dm-dora:en' });
    const joined = await interactionOf(followUp.id, (d) => d.state !== 'new');
    expect(joined.state).toBe('ignored');
    expect(joined.history.at(-1)?.reason).toBe(`continues the open conversation (interaction ${detail.id})`);
    expect(joined.entry).toBeNull();
    const tiles = (await value<RoutingView>(desk.call('getRouting', {}, supervisor))).snapshot;
    expect(tiles.find((t) => t.group === 'dm-team')).toMatchObject({ waiting: 0 });
  });

  it('likes praise on X once (the inspector shows it) and never a sarcastic post, and undoes a like in one click', async () => {
    const before = sandbox.inspector.actions().length;
    const praise = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare you are amazing, thank you so much for the quick help!', customer: 'pia:en' });
    const sarcasm = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare great, another outage, thanks a lot', customer: 'sam:en' });


    const liked = await interactionOf(praise.id, (d) => d.state === 'auto-handled');
    expect(liked.decision).toMatchObject({ rule: { name: 'Like praise' }, outcome: 'auto-handled', autoLike: { allowed: true } });
    await eventually('the like on the sandbox', () => sandbox.inspector.actions(before).find((a) => a.kind === 'like' && a.targetId === praise.id));

    const notLiked = await interactionOf(sarcasm.id, (d) => d.state === 'queued');
    expect(notLiked.decision?.outcome).toBe('routed');
    expect(notLiked.decision?.sentiment.score).toBeLessThan(0.35);
    // Give the outbox a moment: nothing may be sent for the sarcastic post.
    await value(desk.call('listOutbox', {}, supervisor));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sandbox.inspector.actions(before).filter((a) => a.targetId === sarcasm.id)).toEqual([]);
    expect(sandbox.inspector.actions(before).filter((a) => a.kind === 'like')).toHaveLength(1);

    // Every automatic action is listed, with undo.
    const listed = await value<{ items: AutoAction[] }>(desk.call('listAutoActions', {}, supervisor));
    expect(listed.items).toHaveLength(1);
    const like = await eventually('the like to be sent', async () => {
      const items = (await value<{ items: AutoAction[] }>(desk.call('listAutoActions', {}, supervisor))).items;
      return items[0]?.item.state === 'sent' ? items[0] : null;
    });
    expect(like).toMatchObject({ ruleName: 'Like praise', undoable: true, undoneBy: null, messageText: expect.stringContaining('amazing') });
    const undone = await value<AutoAction>(desk.call('undoAutoAction', { outboxItemId: like.item.id }, supervisor));
    expect(undone.undoable).toBe(false);
    expect(undone.undoneBy?.action).toEqual({ kind: 'x.unlike', tweetId: praise.id });
    await eventually('the unlike on the sandbox', () => sandbox.inspector.actions(before).find((a) => a.kind === 'unlike' && a.targetId === praise.id));
    expect(await desk.call('undoAutoAction', { outboxItemId: like.item.id }, supervisor)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/undone already/) } });
  });

  it('retries an auto-reply that fails and delivers it once, before its deadline', async () => {
    // The sandbox outlives each desk: let this desk take in what earlier tests posted before the rule goes on.
    const marker = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare hello', customer: 'mark:en' });
    await interactionOf(marker.id);
    const rules = await value<RulesView>(desk.call('getRules', {}, supervisor));
    const ruleSet = { ...rules.ruleSet, rules: rules.ruleSet.rules.map((rule) => (rule.id === 'acknowledge-mentions' ? { ...rule, enabled: true } : rule)) };
    const saved = await value<RulesView>(desk.call('saveRules', { ruleSet }, supervisor));
    expect(saved.ruleSet.version).toBe(rules.ruleSet.version + 1);

    const before = sandbox.inspector.actions().length;
    sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: 'POST /2/tweets', times: 1 });
    const posted = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare question about my delivery slot', customer: 'quinn:en' });
    const detail = await interactionOf(posted.id, (d) => d.state === 'queued');
    expect(detail.decision).toMatchObject({ rule: { name: 'Acknowledge X mentions' }, outcome: 'routed', sends: [{ type: 'reply', origin: 'auto-reply' }] });
    const deadlineAt = detail.decision!.sends[0]!.type === 'reply' ? detail.decision!.sends[0]!.deadlineAt : null;

    const sent = await eventually('the auto-reply to be sent after a retry', async () => {
      const items = (await value<{ items: OutboxItem[] }>(desk.call('listOutbox', {}, supervisor))).items.filter((item) => item.origin === 'auto-reply');
      return items[0]?.state === 'sent' ? items[0] : null;
    }, 400);
    expect(sent.attempts).toBe(2);
    expect(sent.lastError).toBeTruthy();
    expect(sent.deadlineAt).toBe(deadlineAt);
    const replies = sandbox.inspector.actions(before).filter((a) => a.kind === 'reply' && a.targetId === posted.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/thanks for getting in touch/);
  });
});

describe('routing in the desk', () => {
  it('holds queued work until an agent with the skills is ready, and keeps the queues across a restart', async () => {
    const routing = await value<RoutingView>(desk.call('getRouting', {}, supervisor));
    const general = routing.queues[0]!;
    const first = await sandbox.customers.post({ kind: 'facebook.post', text: 'My invoice shows the wrong address', customer: 'fb-omar:en' });
    const second = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare can I change my delivery date', customer: 'tom:en' });
    await interactionOf(first.id, (d) => d.state === 'queued');
    await interactionOf(second.id, (d) => d.state === 'queued');
    const waiting = await value<{ items: WaitingItem[]; total: number }>(desk.call('listWaiting', { queueId: general.id }, supervisor));
    expect(waiting.total).toBeGreaterThanOrEqual(2);
    expect(waiting.items.map((item) => item.text)).toEqual(expect.arrayContaining([expect.stringContaining('invoice'), expect.stringContaining('delivery date')]));
    const tile = (await value<RoutingView>(desk.call('getRouting', {}, supervisor))).snapshot.find((t) => t.queueId === general.id)!;
    expect(tile.waiting).toBe(waiting.total);
    expect(tile.oldestWaitMs).not.toBeNull();

    // A restart: the waiting work is still there, in the same order.
    await desk.stop();
    desk = openDesk();
    await desk.start();
    const again = await value<{ items: WaitingItem[]; total: number }>(desk.call('listWaiting', { queueId: general.id }, supervisor));
    expect(again.items.map((item) => item.entry.interactionId)).toEqual(waiting.items.map((item) => item.entry.interactionId));

    // An agent becomes ready: the oldest is offered first, with why.
    const ana = await value<Agent>(desk.call('saveAgent', { name: 'Ana', skills: {}, groups: [], capacity: { public: 1, private: 0 } }, supervisor));
    await value(desk.call('setAgentState', { agentId: ana.id, state: { state: 'ready' } }, supervisor));
    const oldest = waiting.items[0]!.entry.interactionId;
    const offered = await eventually('the offer to Ana', async () => {
      const detail = await value<InteractionDetail>(desk.call('getInteraction', { interactionId: oldest }, supervisor));
      return detail.state === 'assigned' ? detail : null;
    });
    expect(offered.assignments[0]).toMatchObject({ agentName: 'Ana', queueId: general.id });
    expect(offered.assignments[0]!.explanation).toMatch(/^Ana: /);
    const history = await value<{ series: { key: string; points: { waiting: number }[] }[] }>(desk.call('readQueueHistory', { hours: 1 }, supervisor));
    expect(history.series.find((s) => s.key === `queue:${general.id}`)?.points.length).toBeGreaterThanOrEqual(1);
  });

  it('holds routed work while the desk is closed, counted for the Queues page, and queues it on reopening', async () => {
    await value(desk.call('setEmergency', { on: true, message: 'Back soon.' }, supervisor));
    const posted = await sandbox.customers.post({ kind: 'facebook.comment', text: 'Is my order on its way?', customer: 'fb-hal:en' });
    const held = await interactionOf(posted.id, (d) => d.state === 'waiting-for-open');
    expect(held.calendarOnArrival).toBe('emergency');
    expect(held.decision?.calendar).toMatchObject({ state: 'closed', reason: 'emergency' });
    const routing = await value<RoutingView>(desk.call('getRouting', {}, supervisor));
    expect(routing.heldUntilOpen.count).toBeGreaterThanOrEqual(1);
    await value(desk.call('setEmergency', { on: false }, supervisor));
    const queued = await interactionOf(posted.id, (d) => d.state === 'queued');
    expect(queued.entry?.queueId).toBe(routing.queues[0]!.id);
    expect((await value<RoutingView>(desk.call('getRouting', {}, supervisor))).heldUntilOpen.count).toBe(0);
  });

  it('carries the rules along when a queue is renamed', async () => {
    const general = (await value<RoutingView>(desk.call('getRouting', {}, supervisor))).queues[0]!;
    const before = await value<RulesView>(desk.call('getRules', {}, supervisor));
    const renamed = await value<Queue>(desk.call('saveQueue', { id: general.id, name: 'Front line' }, supervisor));
    expect(renamed.name).toBe('Front line');
    const after = await value<RulesView>(desk.call('getRules', {}, supervisor));
    expect(after.ruleSet.version).toBe(before.ruleSet.version + 1);
    expect(after.ruleSet.defaultRule.action).toMatchObject({ type: 'route-to-queue', queue: 'Front line' });
    expect(after.ruleSet.rules.find((rule) => rule.id === 'angry-public-posts')?.action).toMatchObject({ queue: 'Front line' });
    // New work still finds its queue.
    const posted = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare is the shop open on Sunday', customer: 'rena:en' });
    const detail = await interactionOf(posted.id, (d) => d.state === 'queued');
    expect(detail.entry?.queueId).toBe(general.id);
    expect(detail.decision?.route).toMatchObject({ queue: 'Front line' });
  });

  it('lets a supervisor move waiting work to another queue, recorded in its history', async () => {
    const billing = await value<Queue>(desk.call('saveQueue', { name: 'Billing', skills: [{ skill: 'billing', minLevel: 6 }] }, supervisor));
    const posted = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare I was billed twice this month', customer: 'vic:en' });
    const detail = await interactionOf(posted.id, (d) => d.state === 'queued');
    const entry = await value<{ queueId: number }>(desk.call('moveInteraction', { interactionId: detail.id, to: { queueId: billing.id } }, supervisor));
    expect(entry.queueId).toBe(billing.id);
    const after = await value<InteractionDetail>(desk.call('getInteraction', { interactionId: detail.id }, supervisor));
    expect(after.entry?.queueId).toBe(billing.id);
    const audit = await value<{ entries: { subject: string }[] }>(desk.call('readAuditLog', { action: 'interaction.moved' }, supervisor));
    expect(audit.entries[0]?.subject).toBe(`interaction ${detail.id}`);
  });
});

describe('bad input is refused whole, nothing saved', () => {
  it('refuses a rule with an empty name and a rule routing to an unknown queue', async () => {
    const rules = await value<RulesView>(desk.call('getRules', {}, supervisor));
    const emptyName = { ...rules.ruleSet, rules: [...rules.ruleSet.rules, { id: 'new-rule', name: '  ', priority: 90, match: { kinds: ['x.mention'] }, action: { type: 'ignore' } }] };
    const refusedName = await desk.call('saveRules', { ruleSet: emptyName }, supervisor);
    expect(refusedName).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/name is empty/) } });

    const unknownQueue = { ...rules.ruleSet, rules: [...rules.ruleSet.rules, { id: 'vip', name: 'VIP', priority: 90, match: { keywords: { any: ['vip'] } }, action: { type: 'route-to-queue', queue: 'platinum', priority: 'high' } }] };
    const refusedQueue = await desk.call('saveRules', { ruleSet: unknownQueue }, supervisor);
    expect(refusedQueue).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/queue "platinum" does not exist/) } });

    const after = await value<RulesView>(desk.call('getRules', {}, supervisor));
    expect(after.ruleSet).toEqual(rules.ruleSet);
    expect((await value<{ entries: unknown[] }>(desk.call('readAuditLog', { action: 'rules.saved' }, supervisor))).entries).toEqual([]);
  });

  it('refuses an agent with a negative capacity or a skill level of 11, and a queue needing level 0', async () => {
    const negative = await desk.call('saveAgent', { name: 'Dee', skills: { billing: 5 }, capacity: { public: -1, private: 1 } }, supervisor);
    expect(negative).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/capacity\.public/) } });
    const eleven = await desk.call('saveAgent', { name: 'Dee', skills: { billing: 11 }, capacity: { public: 1, private: 1 } }, supervisor);
    expect(eleven).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/skills\.billing/) } });
    const empty = await desk.call('saveAgent', { name: ' ', capacity: { public: 1, private: 1 } }, supervisor);
    expect(empty).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/name/) } });
    const queue = await desk.call('saveQueue', { name: 'Legal', skills: [{ skill: 'law', minLevel: 0 }] }, supervisor);
    expect(queue).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const routing = await value<RoutingView>(desk.call('getRouting', {}, supervisor));
    expect(routing.agents).toEqual([]);
    expect(routing.queues.map((q) => q.name)).toEqual(['general']);
  });

  it('tests a rule exactly as live traffic is decided, including a draft rule set', async () => {
    const decision = await value<RuleDecision>(desk.call('testRule', { message: { text: 'I love your service, thank you!', kind: 'x.mention' } }, supervisor));
    expect(decision).toMatchObject({ rule: { name: 'Like praise' }, outcome: 'auto-handled', sends: [{ type: 'like' }] });
    const sarcastic = await value<RuleDecision>(desk.call('testRule', { message: { text: 'great, another outage, thanks a lot', kind: 'x.mention' } }, supervisor));
    expect(sarcastic.sends).toEqual([]);
    expect(sarcastic.explanation).not.toBe('');
    const rules = await value<RulesView>(desk.call('getRules', {}, supervisor));
    const draft = { ...rules.ruleSet, defaultRule: { ...rules.ruleSet.defaultRule, action: { type: 'ignore' } } };
    const withDraft = await value<RuleDecision>(desk.call('testRule', { message: { text: 'hello there', kind: 'facebook.comment' }, ruleSet: draft }, supervisor));
    expect(withDraft).toMatchObject({ rule: { isDefault: true }, outcome: 'ignored' });
    // The draft was only tested, not saved.
    expect((await value<RulesView>(desk.call('getRules', {}, supervisor))).ruleSet.defaultRule.action.type).toBe('route-to-queue');
  });
});
