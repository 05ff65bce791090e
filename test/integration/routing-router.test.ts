/**
 * Skills-based routing against a real SQLite store: skills and levels, capacity per kind of work,
 * longest idle, priority then age, overflow, giving back (not ready, offline, no accept), restart,
 * supervisor moves, agent groups (R13), explanations, snapshots and refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock';
import type { MessageKind, Platform } from '../../electron/core/contract';
import { Router, manualRoutingTimers, type RouterOptions } from '../../electron/core/routing/router';
import type { AgentInput, EnqueueTarget, QueueInput, RoutingChange } from '../../electron/core/routing/schema';
import { openStore, type Store } from '../../electron/core/store';
import { addContact } from '../../electron/core/store/contacts';
import { interactionHistory, moveInteraction, openInteractions } from '../../electron/core/store/interactions';
import { insertNewMessages } from '../../electron/core/store/messages';
import { tempDir } from '../support/temp';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0); // a Monday, 09:00 UTC

let dir: ReturnType<typeof tempDir>;
let store: Store;
let clock: ManualClock;
let router: Router;
let changes: RoutingChange[];
let contactId: number;
let counter = 0;

beforeEach(async () => {
  dir = tempDir('desk-routing-');
  store = await openStore(dir.path);
  clock = new ManualClock(T0);
  changes = [];
  contactId = await store.db.transaction((tx) =>
    addContact(tx, { displayName: 'Zoë', identities: [{ platform: 'x', platformUserId: 'u1', handle: 'zoe', name: 'Zoë' }], at: T0 }),
  );
  router = await openRouter();
});

afterEach(async () => {
  await router.stop();
  await store.close();
  dir.remove();
});

async function openRouter(options: Partial<RouterOptions> = {}): Promise<Router> {
  const next = new Router({ db: store.db, clock, timers: manualRoutingTimers, onChange: (change) => changes.push(change), ...options });
  await next.start();
  return next;
}

const PLATFORM_OF: Record<MessageKind, Platform> = {
  'x.mention': 'x',
  'x.reply': 'x',
  'x.dm': 'x',
  'facebook.post': 'facebook',
  'facebook.comment': 'facebook',
  'facebook.reply': 'facebook',
  'facebook.private-reply': 'facebook',
  'messenger.message': 'messenger',
};

/** A new inbound message and its interaction, moved to `queued` the way the calendar gate does. */
async function queuedInteraction(kind: MessageKind = 'x.mention'): Promise<number> {
  return store.db.transaction(async (tx) => {
    counter += 1;
    const [messageId] = await insertNewMessages(tx, [
      {
        platform: PLATFORM_OF[kind],
        externalId: `m${counter}`,
        contactId,
        kind,
        direction: 'inbound',
        visibility: kind === 'x.dm' || kind === 'messenger.message' ? 'private' : 'public',
        text: `message ${counter}`,
        conversationRef: null,
        inReplyToExternalId: null,
        createdAt: clock.now(),
        receivedAt: clock.now(),
      },
    ]);
    const [id] = await openInteractions(tx, [{ messageId: messageId!, contactId }], clock.now());
    await moveInteraction(tx, { id: id!, from: 'new', to: 'queued', at: clock.now(), actor: 'calendar', reason: 'the desk is open' });
    return id!;
  });
}

async function enqueue(id: number, target: EnqueueTarget): Promise<void> {
  await store.db.transaction((tx) => router.enqueue(tx, id, target));
  await router.flush();
}

async function arrive(target: EnqueueTarget, kind: MessageKind = 'x.mention'): Promise<number> {
  const id = await queuedInteraction(kind);
  await enqueue(id, target);
  return id;
}

async function readyAgent(input: AgentInput): Promise<number> {
  const agent = await router.saveAgent(input);
  await router.setAgentState(agent.id, { state: 'ready' });
  return agent.id;
}

async function queue(input: QueueInput): Promise<number> {
  return (await router.saveQueue(input)).id;
}

const holder = (interactionId: number): string | null => {
  const assignment = router.assignment(interactionId);
  return assignment ? assignment.agentName : null;
};

async function interactionState(id: number): Promise<string> {
  return (await store.db.get<{ state: string }>('SELECT state FROM interactions WHERE id = ?', [id]))!.state;
}

async function count(table: string): Promise<number> {
  return (await store.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

describe('skills and levels', () => {
  it('gives the interaction to an agent who meets every required skill at its minimum level, and says why', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 6 }, { skill: 'spanish', minLevel: 5 }] });
    await readyAgent({ name: 'Bea', skills: { billing: 5, spanish: 9 }, capacity: { public: 3, private: 2 } }); // billing too low
    await readyAgent({ name: 'Cy', skills: { billing: 9 }, capacity: { public: 3, private: 2 } }); // no spanish
    clock.advance(2 * MINUTE);
    const ana = await readyAgent({ name: 'Ana', skills: { Billing: 8, Spanish: 6 }, capacity: { public: 3, private: 2 } });
    clock.advance(14 * MINUTE);

    const id = await arrive({ queueId: billing });
    const assignment = router.assignment(id)!;
    expect(assignment).toMatchObject({ agentId: ana, agentName: 'Ana', queueId: billing, workKind: 'public', by: 'routing', acceptedAt: null });
    expect(assignment.explanation).toBe('Ana: billing 8 ≥ 6, spanish 6 ≥ 5, idle 14 min, 0 of 3 public slots used');
    expect(assignment.why).toMatchObject({ idleMs: 14 * MINUTE, slotsUsed: 0, slots: 3, overflowStep: 0, droppedSkills: [] });
    expect(await interactionState(id)).toBe('assigned');
    const history = await interactionHistory(store.db, id);
    expect(history.at(-1)).toMatchObject({ fromState: 'queued', toState: 'assigned', actor: 'routing', reason: assignment.explanation });
    expect(changes.filter((c) => c.type === 'assignment')).toHaveLength(1);
  });

  it('leaves the interaction waiting while nobody qualifies, and routes it when a qualified agent becomes ready', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 6 }], overflow: null });
    await readyAgent({ name: 'Bea', skills: { billing: 5 }, capacity: { public: 3, private: 2 } });
    const ana = (await router.saveAgent({ name: 'Ana', skills: { billing: 7 }, capacity: { public: 3, private: 2 } })).id;
    const id = await arrive({ queueId: billing });
    expect(holder(id)).toBeNull();
    expect(await interactionState(id)).toBe('queued');
    clock.advance(MINUTE);
    await router.setAgentState(ana, { state: 'ready' });
    expect(holder(id)).toBe('Ana');
    expect(router.assignment(id)!.explanation).toBe('Ana: billing 7 ≥ 6, idle 0 s, 0 of 3 public slots used');
  });

  it('routes again when an agent learns the skill', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 6 }], overflow: null });
    const bea = await readyAgent({ name: 'Bea', skills: { billing: 5 }, capacity: { public: 3, private: 2 } });
    const id = await arrive({ queueId: billing });
    expect(holder(id)).toBeNull();
    await router.saveAgent({ id: bea, name: 'Bea', skills: { billing: 6 }, capacity: { public: 3, private: 2 } });
    expect(holder(id)).toBe('Bea');
  });
});

describe('capacity per kind of work', () => {
  it('counts public threads and private chats separately, and a freed slot takes the next one', async () => {
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    const mention = await arrive({ queueId: care }, 'x.mention');
    const comment = await arrive({ queueId: care }, 'facebook.comment');
    const dm = await arrive({ queueId: care }, 'x.dm');
    const messenger = await arrive({ queueId: care }, 'messenger.message');
    expect([holder(mention), holder(comment), holder(dm), holder(messenger)]).toEqual(['Ana', null, 'Ana', null]);
    expect(router.agent(ana)!.load).toEqual({ public: 1, private: 1 });
    expect(router.entry(dm)!.workKind).toBe('private');
    expect(router.entry(comment)!.workKind).toBe('public');

    expect(await router.release(mention)).toBe(true);
    expect(holder(comment)).toBe('Ana');
    expect(router.assignment(comment)!.explanation).toBe('Ana: no skills required, idle 0 s, 0 of 1 public slot used');
    expect(holder(messenger)).toBeNull();
    expect(router.entry(mention)).toBeNull();
    expect(await count('queue_entries')).toBe(3);
  });

  it('never offers a kind of work the agent has no capacity for', async () => {
    const care = await queue({ name: 'Care' });
    await readyAgent({ name: 'Ana', capacity: { public: 2, private: 0 } });
    const dm = await arrive({ queueId: care }, 'x.dm');
    expect(holder(dm)).toBeNull();
    const reply = await arrive({ queueId: care }, 'x.reply');
    expect(holder(reply)).toBe('Ana');
  });

  it('says how many slots were in use', async () => {
    const care = await queue({ name: 'Care' });
    await readyAgent({ name: 'Ana', capacity: { public: 3, private: 2 } });
    await arrive({ queueId: care });
    clock.advance(90_000);
    const second = await arrive({ queueId: care });
    expect(router.assignment(second)!.explanation).toBe('Ana: no skills required, idle 1 min, 1 of 3 public slots used');
  });
});

describe('longest idle', () => {
  it('picks the agent idle longest, and an offer makes an agent the most recently busy', async () => {
    const care = await queue({ name: 'Care' });
    await readyAgent({ name: 'Bea', capacity: { public: 3, private: 2 } });
    clock.advance(MINUTE);
    await readyAgent({ name: 'Ana', capacity: { public: 3, private: 2 } });
    clock.advance(MINUTE);
    await readyAgent({ name: 'Cy', capacity: { public: 3, private: 2 } });
    clock.advance(MINUTE);
    const picks: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      picks.push(holder(await arrive({ queueId: care })));
      clock.advance(10_000);
    }
    expect(picks).toEqual(['Bea', 'Ana', 'Cy', 'Bea']);
  });

  it('counts idle from the end of the last piece of work', async () => {
    const care = await queue({ name: 'Care' });
    await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    await readyAgent({ name: 'Bea', capacity: { public: 1, private: 1 } });
    const first = await arrive({ queueId: care }); // Ana (lower id on a tie)
    clock.advance(MINUTE);
    const second = await arrive({ queueId: care }); // Bea
    expect([holder(first), holder(second)]).toEqual(['Ana', 'Bea']);
    clock.advance(MINUTE);
    await router.release(second); // Bea idle from now
    clock.advance(MINUTE);
    await router.release(first); // Ana idle from now: Bea has been idle longer
    clock.advance(MINUTE);
    expect(holder(await arrive({ queueId: care }))).toBe('Bea');
  });
});

describe('queue order', () => {
  it('serves higher priority first, then the oldest, across the queues an agent serves', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 5 }], priority: 50 });
    const tech = await queue({ name: 'Tech', skills: [{ skill: 'tech', minLevel: 5 }], priority: 60 });
    const a = await arrive({ queueId: billing });
    clock.advance(MINUTE);
    const b = await arrive({ queueId: billing });
    clock.advance(MINUTE);
    const c = await arrive({ queueId: tech }); // the queue's priority, 60
    clock.advance(MINUTE);
    const d = await arrive({ queueId: billing, priority: 80 }); // the rule's priority
    clock.advance(MINUTE);
    const e = await arrive({ queueId: billing }); // newest, priority 50
    expect(router.waiting({ queueId: billing }).map((entry) => entry.interactionId)).toEqual([d, a, b, e]);

    const ana = await readyAgent({ name: 'Ana', skills: { billing: 9, tech: 9 }, capacity: { public: 1, private: 1 } });
    const served: Array<number> = [];
    for (let i = 0; i < 5; i++) {
      const [held] = router.assignmentsOf(ana);
      served.push(held!.interactionId);
      await router.accept(held!.interactionId, ana);
      clock.advance(MINUTE);
      await router.release(held!.interactionId);
    }
    expect(served).toEqual([d, c, a, b, e]);
  });
});

describe('overflow', () => {
  it('relaxes the requirement step by step: levels down by 2 to 1, then the least important skill goes', async () => {
    const billing = await queue({
      name: 'Billing',
      skills: [{ skill: 'billing', minLevel: 6 }, { skill: 'spanish', minLevel: 5 }],
      overflow: { afterMs: 5 * MINUTE, everyMs: 5 * MINUTE, levelDrop: 2 },
    });
    await readyAgent({ name: 'Bea', skills: { billing: 4 }, capacity: { public: 3, private: 2 } });
    await readyAgent({ name: 'Cy', skills: { tech: 9 }, capacity: { public: 3, private: 2 } });
    const id = await arrive({ queueId: billing });
    const steps: number[] = [];
    for (let minutes = 5; minutes <= 20; minutes += 5) {
      clock.set(T0 + minutes * MINUTE - 1);
      expect((await router.tick()).relaxed).toBe(0);
      clock.set(T0 + minutes * MINUTE);
      const result = await router.tick();
      steps.push(router.entry(id)!.overflowStep);
      if (minutes < 20) expect(result).toEqual({ returned: 0, relaxed: 1, offered: 0 });
      else expect(result).toEqual({ returned: 0, relaxed: 1, offered: 1 });
    }
    expect(steps).toEqual([1, 2, 3, 4]);
    const assignment = router.assignment(id)!;
    expect(assignment.agentName).toBe('Bea');
    expect(assignment.explanation).toBe('Bea: billing 4 ≥ 1, idle 20 min, 0 of 3 public slots used (overflow step 4 after 20 min waiting: billing 6→1, spanish dropped)');
    expect(assignment.why).toMatchObject({ overflowStep: 4, droppedSkills: ['spanish'], skills: [{ skill: 'billing', level: 4, minLevel: 1, configuredMinLevel: 6 }] });
    const relaxed = changes.filter((c): c is Extract<RoutingChange, { type: 'waiting' }> => c.type === 'waiting' && c.cause === 'relaxed').map((c) => c.detail);
    expect(relaxed).toEqual([
      'overflow step 1 after 5 min waiting: billing ≥ 4, spanish ≥ 3',
      'overflow step 2 after 10 min waiting: billing ≥ 2, spanish ≥ 1',
      'overflow step 3 after 15 min waiting: billing ≥ 1, spanish ≥ 1',
      'overflow step 4 after 20 min waiting: billing ≥ 1',
    ]);
  });

  it('a freed agent takes the oldest relaxed interaction it now qualifies for; never without the most important skill', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 8 }], overflow: { afterMs: 2 * MINUTE, everyMs: MINUTE, levelDrop: 3 } });
    const bea = await readyAgent({ name: 'Bea', skills: { billing: 5 }, capacity: { public: 1, private: 1 } });
    await readyAgent({ name: 'Cy', skills: { tech: 10 }, capacity: { public: 5, private: 5 } });
    const busy = await arrive({ queueId: router.queues()[0]!.id }); // Bea can't: waits
    expect(holder(busy)).toBeNull();
    clock.advance(2 * MINUTE);
    await router.tick(); // billing >= 5: Bea takes it
    expect(holder(busy)).toBe('Bea');
    await router.accept(busy, bea);
    const later = await arrive({ queueId: billing });
    clock.advance(10 * MINUTE);
    await router.tick(); // relaxed to billing >= 1 at most; Cy never qualifies
    expect(router.entry(later)!.overflowStep).toBe(3);
    expect(holder(later)).toBeNull();
    await router.release(busy);
    expect(router.assignment(later)!.agentId).toBe(bea);
  });

  it('never relaxes a queue without overflow', async () => {
    const strict = await queue({ name: 'Strict', skills: [{ skill: 'legal', minLevel: 9 }], overflow: null });
    await readyAgent({ name: 'Bea', skills: { legal: 8 }, capacity: { public: 3, private: 2 } });
    const id = await arrive({ queueId: strict });
    clock.advance(24 * 60 * MINUTE);
    expect(await router.tick()).toEqual({ returned: 0, relaxed: 0, offered: 0 });
    expect(holder(id)).toBeNull();
    expect(router.nextDueAt()).toBeNull();
  });
});

describe('giving work back', () => {
  async function twoAgentsBothBusy() {
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    clock.advance(MINUTE);
    const bea = await readyAgent({ name: 'Bea', capacity: { public: 1, private: 1 } });
    clock.advance(MINUTE);
    const first = await arrive({ queueId: care }); // Ana
    const second = await arrive({ queueId: care }); // Bea
    clock.advance(MINUTE);
    const urgent = await arrive({ queueId: care, priority: 90 }); // waits
    expect([holder(first), holder(second), holder(urgent)]).toEqual(['Ana', 'Bea', null]);
    return { care, ana, bea, first, second, urgent };
  }

  it('an agent going not ready gives back what it has not accepted, to the front of the queue', async () => {
    const { care, ana, bea, first, second, urgent } = await twoAgentsBothBusy();
    await router.setAgentState(ana, { state: 'not-ready', reason: 'lunch' });
    expect(router.agent(ana)!.state).toEqual({ state: 'not-ready', reason: 'lunch' });
    expect(router.entry(first)).toMatchObject({ returned: true, assignedTo: null });
    expect(router.waiting({ queueId: care }).map((e) => e.interactionId)).toEqual([first, urgent]);
    expect(await interactionState(first)).toBe('queued');
    const history = await router.history(first);
    expect(history.map((a) => [a.agentName, a.endReason, a.endDetail])).toEqual([['Ana', 'returned', 'Ana is not ready (lunch)']]);

    await router.release(second);
    expect(holder(first)).toBe('Bea'); // the given-back one first, before the priority-90 one
    expect(router.assignmentsOf(bea).map((a) => a.interactionId)).toEqual([first]);
    expect(holder(urgent)).toBeNull();
  });

  it('accepted work stays with an agent who goes not ready; offline gives everything back', async () => {
    const { ana, first, urgent } = await twoAgentsBothBusy();
    await router.accept(first, ana);
    await router.setAgentState(ana, { state: 'not-ready', reason: 'wrap-up' });
    expect(holder(first)).toBe('Ana');
    await router.setAgentState(ana, { state: 'offline' });
    expect(holder(first)).toBeNull();
    expect(router.entry(first)!.returned).toBe(true);
    expect(router.agent(ana)!.load).toEqual({ public: 0, private: 0 });
    expect((await router.history(first)).at(-1)).toMatchObject({ endReason: 'returned', endDetail: 'Ana went offline' });
    expect(holder(urgent)).toBeNull();
  });

  it('an offer not accepted in time goes back to the front, and its agent becomes not ready', async () => {
    router = await restartWith({ acceptTimeoutMs: 30_000 });
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 2, private: 1 } });
    clock.advance(MINUTE);
    const id = await arrive({ queueId: care });
    const later = await arrive({ queueId: care, priority: 100 });
    expect([holder(id), holder(later)]).toEqual(['Ana', 'Ana']);
    await router.accept(later, ana);
    expect(router.nextDueAt()).toBe(clock.now() + 30_000);

    clock.advance(29_999);
    expect(await router.tick()).toEqual({ returned: 0, relaxed: 0, offered: 0 });
    const bea = await readyAgent({ name: 'Bea', capacity: { public: 1, private: 1 } });
    clock.advance(1);
    expect(await router.tick()).toEqual({ returned: 1, relaxed: 0, offered: 1 });
    expect(router.agent(ana)!.state).toEqual({ state: 'not-ready', reason: `did not accept interaction ${id} in time` });
    expect(holder(later)).toBe('Ana'); // accepted: stays
    expect(router.assignment(id)!.agentId).toBe(bea);
    expect((await router.history(id)).map((a) => [a.agentName, a.endReason, a.endDetail])).toEqual([
      ['Ana', 'returned', 'Ana did not accept within 30 s'],
      ['Bea', null, null],
    ]);
  });

  it('with notReadyOnMissedOffer off, the agent stays ready and may be offered it again', async () => {
    router = await restartWith({ acceptTimeoutMs: 30_000, notReadyOnMissedOffer: false });
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    const id = await arrive({ queueId: care });
    clock.advance(30_000);
    await router.tick();
    expect(router.agent(ana)!.state).toEqual({ state: 'ready' });
    expect(holder(id)).toBe('Ana'); // nobody else: offered again
    expect(router.entry(id)!.returned).toBe(true);
  });
});

async function restartWith(options: Partial<RouterOptions>): Promise<Router> {
  await router.stop();
  return openRouter(options);
}

describe('restart', () => {
  it('a new router on the same SQLite file has the same agents, queues, waiting order and assignments', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 5 }], priority: 40, serviceLevel: { percent: 90, withinMs: 10 * MINUTE } });
    const ana = await readyAgent({ name: 'Ana', skills: { billing: 7 }, groups: ['dm-team'], capacity: { public: 1, private: 1 } });
    const accepted = await arrive({ queueId: billing });
    await router.accept(accepted, ana);
    const offered = await arrive({ queueId: billing }, 'x.dm');
    clock.advance(MINUTE);
    const waiting = [await arrive({ queueId: billing }), await arrive({ queueId: billing, priority: 70 }), await arrive({ group: 'dm-team' }, 'messenger.message')];
    const before = {
      agents: router.agents(),
      queues: router.queues(),
      waiting: router.waiting({ queueId: billing }),
      group: router.waiting({ group: 'dm-team' }),
      held: router.assignmentsOf(ana),
    };
    await router.stop();
    await store.close();

    clock.advance(10_000);
    store = await openStore(dir.path);
    router = await openRouter();
    expect(router.agents()).toEqual(before.agents);
    expect(router.queues()).toEqual(before.queues);
    expect(router.waiting({ queueId: billing })).toEqual(before.waiting);
    expect(router.waiting({ group: 'dm-team' })).toEqual(before.group);
    expect(router.assignmentsOf(ana)).toEqual(before.held);
    expect(before.waiting.map((e) => e.interactionId)).toEqual([waiting[1], waiting[0]]);

    // It goes on where it stopped: the offer times out, the accepted one frees a slot.
    clock.set(T0 + MINUTE + DEFAULT_TIMEOUT);
    await router.tick();
    expect(router.entry(offered)!.returned).toBe(true);
    await router.setAgentState(ana, { state: 'ready' });
    expect(holder(offered)).toBe('Ana'); // given back: front of the queue
    await router.release(accepted);
    expect(holder(waiting[1]!)).toBe('Ana'); // priority 70 before the older priority-40 one
  });

  it('drops what left routing behind its back and puts orphaned assigned interactions back in their queue', async () => {
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 2, private: 1 } });
    const done = await arrive({ queueId: care });
    const other = await arrive({ queueId: care });
    await router.stop();
    // Completed without release; and an assignment lost (an older desk, a hand edit).
    await store.db.run("UPDATE interactions SET state = 'completed' WHERE id = ?", [done]);
    await store.db.run("UPDATE assignments SET ended_at = 1, end_reason = 'completed' WHERE interaction_id = ?", [other]);
    router = await openRouter();
    expect(router.entry(done)).toBeNull();
    expect(await store.db.get('SELECT end_reason FROM assignments WHERE interaction_id = ?', [done])).toEqual({ end_reason: 'completed' });
    // `other` went back to queued, and routing offered it again at start.
    expect(holder(other)).toBe('Ana');
    expect(router.agent(ana)!.load.public).toBe(1);
    expect((await interactionHistory(store.db, other)).map((h) => h.toState)).toEqual(['new', 'queued', 'assigned', 'queued', 'assigned']);
  });
});

const DEFAULT_TIMEOUT = 60_000;

describe('supervisor moves', () => {
  it('moves a waiting interaction to another queue, where it waits at that queue\u2019s priority', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 5 }] });
    const tech = await queue({ name: 'Tech', skills: [{ skill: 'tech', minLevel: 5 }], priority: 70 });
    const id = await arrive({ queueId: billing });
    clock.advance(MINUTE);
    const entry = await router.move(id, { queueId: tech }, 'Sam');
    expect(entry).toMatchObject({ queueId: tech, priority: 70, queueEnteredAt: T0 + MINUTE, enteredAt: T0, returned: false });
    expect(changes.at(-1)).toMatchObject({ type: 'waiting', cause: 'moved', detail: 'moved by Sam from Billing to Tech' });
    await readyAgent({ name: 'Tia', skills: { tech: 6 }, capacity: { public: 1, private: 1 } });
    expect(holder(id)).toBe('Tia');
  });

  it('moves an assigned interaction straight to an agent, whose explanation names the supervisor; the first agent takes the next', async () => {
    const care = await queue({ name: 'Care', skills: [{ skill: 'billing', minLevel: 5 }] });
    await readyAgent({ name: 'Ana', skills: { billing: 9 }, capacity: { public: 1, private: 1 } });
    const cy = await readyAgent({ name: 'Cy', capacity: { public: 1, private: 1 } }); // no billing: supervisor's call
    const id = await arrive({ queueId: care });
    const next = await arrive({ queueId: care });
    expect([holder(id), holder(next)]).toEqual(['Ana', null]);
    clock.advance(MINUTE);
    const entry = await router.move(id, { agentId: cy }, 'Sam');
    expect(entry.assignedTo).toBe(cy);
    expect(router.assignment(id)).toMatchObject({ by: 'supervisor', explanation: 'Cy: moved here by Sam, idle 1 min, 0 of 1 public slot used' });
    expect(holder(next)).toBe('Ana');
    expect((await router.history(id)).map((a) => [a.agentName, a.endReason, a.endDetail])).toEqual([
      ['Ana', 'moved', 'moved by Sam to Cy'],
      ['Cy', null, null],
    ]);
    const states = (await interactionHistory(store.db, id)).map((h) => `${h.toState}:${h.actor}`);
    expect(states).toEqual(['new:ingest', 'queued:calendar', 'assigned:routing', 'queued:Sam', 'assigned:Sam']);
  });

  it('refuses a move to an agent who is not ready or full, and to an unknown queue, agent or group', async () => {
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    const bea = (await router.saveAgent({ name: 'Bea', capacity: { public: 1, private: 1 } })).id;
    const id = await arrive({ queueId: care });
    const other = await arrive({ queueId: care });
    await expect(router.move(other, { agentId: ana }, 'Sam')).rejects.toThrow('move refused: Ana has no free public slot (1 of 1 used)');
    await expect(router.move(other, { agentId: bea }, 'Sam')).rejects.toThrow('move refused: Bea is offline');
    await expect(router.move(id, { agentId: ana }, 'Sam')).rejects.toThrow(`move refused: interaction ${id} is already with Ana`);
    await expect(router.move(id, { queueId: 99 }, 'Sam')).rejects.toThrow('move refused: there is no queue 99');
    await expect(router.move(id, { agentId: 99 }, 'Sam')).rejects.toThrow('move refused: there is no agent 99');
    await expect(router.move(id, { group: 'nobody' }, 'Sam')).rejects.toThrow('move refused: no agent is in the group "nobody"');
    await expect(router.move(999, { queueId: care }, 'Sam')).rejects.toThrow('move refused: interaction 999 is not in routing');
    await expect(router.move(id, { queueId: care }, ' ')).rejects.toThrow('move refused: say who moves it (actor)');
    expect(holder(id)).toBe('Ana');
  });
});

describe('changes made outside the router', () => {
  it('picks up an agent changed in the store: state, skills and capacity', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 5 }], overflow: null });
    const ana = await readyAgent({ name: 'Ana', skills: { billing: 6 }, capacity: { public: 1, private: 1 } });
    const id = await arrive({ queueId: billing });
    const waiting = await arrive({ queueId: billing });
    await store.db.run("UPDATE agents SET state = 'offline', public_capacity = 2 WHERE id = ?", [ana]);
    expect(await router.onAgentChanged(ana)).toMatchObject({ state: { state: 'offline' }, capacity: { public: 2, private: 1 }, load: { public: 0, private: 0 } });
    expect([holder(id), holder(waiting)]).toEqual([null, null]);
    await store.db.run("UPDATE agents SET state = 'ready' WHERE id = ?", [ana]);
    await router.onAgentChanged(ana);
    expect([holder(id), holder(waiting)]).toEqual(['Ana', 'Ana']);
    expect(await router.onAgentChanged(404)).toBeNull();
  });

  it('lists queued interactions that were never enqueued', async () => {
    const care = await queue({ name: 'Care' });
    const lost = await queuedInteraction();
    const routed = await arrive({ queueId: care });
    expect(await router.unrouted()).toEqual([lost]);
    expect(routed).toBeGreaterThan(lost);
  });
});

describe('agent groups (R13)', () => {
  it('sends work for a group to its members only, idle longest first', async () => {
    await readyAgent({ name: 'Ana', capacity: { public: 3, private: 3 } });
    clock.advance(MINUTE);
    await readyAgent({ name: 'Dee', groups: ['DM-Team'], capacity: { public: 3, private: 3 } });
    clock.advance(MINUTE);
    const id = await arrive({ group: 'dm-team' }, 'x.dm');
    expect(router.assignment(id)).toMatchObject({ agentName: 'Dee', group: 'dm-team', queueId: null });
    expect(router.assignment(id)!.explanation).toBe('Dee: member of dm-team, idle 1 min, 0 of 3 private slots used');
  });
});

describe('accepting and releasing', () => {
  it('accepts only the offered agent; release frees the slot and forgets the interaction', async () => {
    const care = await queue({ name: 'Care' });
    const ana = await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    const bea = (await router.saveAgent({ name: 'Bea', capacity: { public: 1, private: 1 } })).id;
    const id = await arrive({ queueId: care });
    const waiting = await arrive({ queueId: care });
    await expect(router.accept(id, bea)).rejects.toThrow(`accept refused: interaction ${id} is offered to Ana, not Bea`);
    await expect(router.accept(waiting, ana)).rejects.toThrow(`accept refused: interaction ${waiting} is waiting, not offered to anyone`);
    clock.advance(5_000);
    const accepted = await router.accept(id, ana);
    expect(accepted.acceptedAt).toBe(T0 + 5_000);
    expect((await router.accept(id, ana)).acceptedAt).toBe(T0 + 5_000);
    expect(await router.release(id)).toBe(true);
    expect(await router.release(id)).toBe(false);
    expect((await router.history(id))[0]).toMatchObject({ endReason: 'completed', acceptedAt: T0 + 5_000 });
    expect(holder(waiting)).toBe('Ana');
  });
});

describe('enqueue', () => {
  it('routes nothing when the caller\u2019s transaction rolls back', async () => {
    const care = await queue({ name: 'Care' });
    await readyAgent({ name: 'Ana', capacity: { public: 1, private: 1 } });
    const id = await queuedInteraction();
    await expect(
      store.db.transaction(async (tx) => {
        await router.enqueue(tx, id, { queueId: care });
        throw new Error('the rule engine changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    await router.flush();
    expect(router.entry(id)).toBeNull();
    expect(await count('queue_entries')).toBe(0);
    await enqueue(id, { queueId: care });
    expect(holder(id)).toBe('Ana');
  });

  it('refuses an unknown queue, group or interaction, one not queued, one already in routing; nothing is saved', async () => {
    const care = await queue({ name: 'Care' });
    const id = await queuedInteraction();
    const tryEnqueue = (interactionId: number, target: unknown) =>
      store.db.transaction((tx) => router.enqueue(tx, interactionId, target as EnqueueTarget));
    await expect(tryEnqueue(id, { queueId: 99 })).rejects.toThrow('enqueue refused: there is no queue 99');
    await expect(tryEnqueue(id, { group: 'nobody' })).rejects.toThrow('enqueue refused: no agent is in the group "nobody"');
    await expect(tryEnqueue(id, { queueId: care, priority: 101 })).rejects.toThrow('enqueue refused: priority: must be a whole number from 0 to 100 (got 101)');
    await expect(tryEnqueue(12345, { queueId: care })).rejects.toThrow('enqueue refused: there is no interaction 12345');
    await store.db.run("UPDATE interactions SET state = 'ignored' WHERE id = ?", [id]);
    await expect(tryEnqueue(id, { queueId: care })).rejects.toThrow(`enqueue refused: interaction ${id} is ignored, not queued`);
    await store.db.run("UPDATE interactions SET state = 'queued' WHERE id = ?", [id]);
    expect(await count('queue_entries')).toBe(0);
    await enqueue(id, { queueId: care });
    await expect(tryEnqueue(id, { queueId: care })).rejects.toThrow(`enqueue refused: interaction ${id} is already in routing`);
    expect(await count('queue_entries')).toBe(1);
  });
});

describe('refusals', () => {
  const capacity = { public: 3, private: 2 };

  it('refuses bad agents and queues with a clear message and saves nothing', async () => {
    await expect(router.saveAgent({ name: '', capacity })).rejects.toThrow('agent refused: name: must not be empty');
    await expect(router.saveAgent({ name: '   ', capacity })).rejects.toThrow('agent refused: name: must not be empty');
    await expect(router.saveAgent({ name: 'Ana', skills: { billing: 11 }, capacity })).rejects.toThrow('agent refused: skills.billing: must be a whole number from 1 to 10 (got 11)');
    await expect(router.saveAgent({ name: 'Ana', capacity: { public: -1, private: 2 } })).rejects.toThrow('agent refused: capacity.public: must be a whole number from 0 to 20 (got -1)');
    await expect(router.saveAgent({ name: 'Ana', skills: { billing: 0 }, capacity: { public: 1, private: -3 } })).rejects.toThrow(
      'agent refused: skills.billing: must be a whole number from 1 to 10 (got 0); capacity.private: must be a whole number from 0 to 20 (got -3)',
    );
    expect(await count('agents')).toBe(0);
    expect(await count('agent_skills')).toBe(0);

    const ana = await router.saveAgent({ name: 'Ana', skills: { billing: 8 }, capacity });
    await expect(router.saveAgent({ name: 'ana', capacity })).rejects.toThrow(`agent refused: the name "ana" is already taken (agent ${ana.id})`);
    const bea = await router.saveAgent({ name: 'Bea', capacity });
    await expect(router.saveAgent({ id: bea.id, name: 'ANA', capacity })).rejects.toThrow(`agent refused: the name "ANA" is already taken (agent ${ana.id})`);
    await expect(router.saveAgent({ id: 99, name: 'Cy', capacity })).rejects.toThrow('agent refused: there is no agent 99');
    expect(await store.db.all('SELECT name FROM agents ORDER BY id')).toEqual([{ name: 'Ana' }, { name: 'Bea' }]);
    await expect(router.setAgentState(ana.id, { state: 'not-ready' })).rejects.toThrow('agent state refused: reason: must say why');
    await expect(router.setAgentState(ana.id, { state: 'lunch' })).rejects.toThrow('agent state refused: state: must be ready, not-ready (with a reason) or offline');
    await expect(router.setAgentState(99, { state: 'ready' })).rejects.toThrow('agent state refused: there is no agent 99');

    await expect(router.saveQueue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 11 }] })).rejects.toThrow(
      'queue refused: skills.0.minLevel: must be a whole number from 1 to 10 (got 11)',
    );
    await expect(router.saveQueue({ name: '' })).rejects.toThrow('queue refused: name: must not be empty');
    const billing = await router.saveQueue({ name: 'Billing' });
    await expect(router.saveQueue({ name: 'billing ' })).rejects.toThrow(`queue refused: the name "billing" is already taken (queue ${billing.id})`);
    await expect(router.saveQueue({ id: 42, name: 'Tech' })).rejects.toThrow('queue refused: there is no queue 42');
    expect(await count('queues')).toBe(1);
    expect(await count('queue_skills')).toBe(0);
  });

  it('refuses through DeskFailure codes the transports understand', async () => {
    await expect(router.saveAgent({ name: '', capacity })).rejects.toMatchObject({ name: 'DeskFailure', code: 'bad_input' });
    await router.saveAgent({ name: 'Ana', capacity });
    await expect(router.saveAgent({ name: 'Ana', capacity })).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.db.transaction((tx) => router.enqueue(tx, 1, { queueId: 7 }))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('snapshot', () => {
  it('counts waiting, the oldest wait, the service level today and the agents of each queue', async () => {
    const billing = await queue({ name: 'Billing', skills: [{ skill: 'billing', minLevel: 5 }], serviceLevel: { percent: 80, withinMs: 10 * MINUTE } });
    const ana = await readyAgent({ name: 'Ana', skills: { billing: 6 }, capacity: { public: 1, private: 0 } });
    await readyAgent({ name: 'Bea', skills: { billing: 6 }, capacity: { public: 1, private: 1 } });
    const cy = await readyAgent({ name: 'Cy', skills: { billing: 9 }, capacity: { public: 1, private: 1 } });
    await router.setAgentState(cy, { state: 'not-ready', reason: 'training' });
    await router.saveAgent({ name: 'Dee', skills: { billing: 9 }, capacity: { public: 1, private: 1 } }); // offline: not counted

    const fast = await arrive({ queueId: billing }); // Ana
    await router.accept(fast, ana);
    clock.advance(MINUTE);
    const slow = await arrive({ queueId: billing }); // Bea, accepted after 12 min
    clock.advance(12 * MINUTE);
    await router.accept(slow, router.assignment(slow)!.agentId);
    const waiting = await arrive({ queueId: billing });
    clock.advance(11 * MINUTE); // past the target, never answered
    const [snapshot] = await router.snapshot();
    expect(snapshot).toEqual({
      queueId: billing,
      group: null,
      name: 'Billing',
      waiting: 1,
      oldestWaitMs: 11 * MINUTE,
      serviceLevelToday: 33.3, // 1 within 10 min, of 2 answered + 1 waiting past the target
      serviceLevelTarget: { percent: 80, withinMs: 10 * MINUTE },
      agentsReady: 1, // Bea has a free private slot
      agentsBusy: 1, // Ana: her one public slot is full, no private slots
      agentsNotReady: 1,
    });
    expect(router.entry(waiting)!.assignedTo).toBeNull();
  });
});
