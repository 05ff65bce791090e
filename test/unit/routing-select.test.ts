/**
 * The pure selection: overflow steps, the heap, the indexes (checked against plain scans on
 * random desks), work kinds, explanations and input normalization.
 */
import { describe, expect, it } from 'vitest';
import { assignmentReason, explain, formatDuration } from '../../electron/core/routing/explain';
import { Heap } from '../../electron/core/routing/heap';
import { AgentInput, QueueInput, workKindOf, type WorkKind } from '../../electron/core/routing/schema';
import {
  newTarget,
  overflowSteps,
  RoutingIndex,
  scanBestAgent,
  scanBestEntry,
  stepAfter,
  type RoutedAgent,
  type RoutedEntry,
  type RoutingTarget,
} from '../../electron/core/routing/select';

const MINUTE = 60_000;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function agent(fields: Partial<RoutedAgent> & { id: number }): RoutedAgent {
  return {
    name: `agent ${fields.id}`,
    skills: new Map(),
    groups: new Set(),
    capacity: { public: 3, private: 2 },
    load: { public: 0, private: 0 },
    state: 'ready',
    reason: null,
    stateSince: 0,
    idleSince: 0,
    holding: new Set(),
    listed: { public: false, private: false },
    ...fields,
  };
}

function entry(fields: Partial<RoutedEntry> & { interactionId: number; target: RoutingTarget }): RoutedEntry {
  return {
    priority: 50,
    kind: 'public',
    enteredAt: 0,
    queueEnteredAt: fields.enteredAt ?? 0,
    returned: false,
    answeredAt: null,
    step: 0,
    nextStepAt: Infinity,
    assignment: null,
    heapPos: -1,
    stepPos: -1,
    ...fields,
  };
}

function queue(id: number, needs: Array<[string, number]>, overflow: { afterMs: number; everyMs: number; levelDrop: number } | null = null): RoutingTarget {
  return newTarget({
    queueId: id,
    group: null,
    name: `queue ${id}`,
    priority: 50,
    serviceLevel: { percent: 80, withinMs: 15 * MINUTE },
    overflow,
    needs: needs.map(([skill, minLevel]) => ({ skill, minLevel })),
  });
}

describe('overflow steps', () => {
  it('lowers every minimum by the drop (not below 1), then drops skills from the least important, keeping the first', () => {
    const steps = overflowSteps(
      [
        { skill: 'billing', minLevel: 6 },
        { skill: 'spanish', minLevel: 5 },
        { skill: 'vip', minLevel: 2 },
      ],
      { afterMs: 5 * MINUTE, everyMs: 3 * MINUTE, levelDrop: 2 },
    );
    expect(steps.map((s) => [s.afterMs / MINUTE, s.needs.map((n) => `${n.skill}>=${n.minLevel}`).join(' ')])).toEqual([
      [0, 'billing>=6 spanish>=5 vip>=2'],
      [5, 'billing>=4 spanish>=3 vip>=1'],
      [8, 'billing>=2 spanish>=1 vip>=1'],
      [11, 'billing>=1 spanish>=1 vip>=1'],
      [14, 'billing>=1 spanish>=1'],
      [17, 'billing>=1'],
    ]);
    expect([0, 4.99, 5, 10, 11, 16.9, 17, 1000].map((m) => stepAfter(steps, m * MINUTE))).toEqual([0, 0, 1, 2, 3, 4, 5, 5]);
  });

  it('has only the configured step without overflow, and nothing to relax without skills', () => {
    expect(overflowSteps([{ skill: 'billing', minLevel: 9 }], null)).toHaveLength(1);
    expect(overflowSteps([], { afterMs: 1000, everyMs: 1000, levelDrop: 2 })).toHaveLength(1);
    expect(overflowSteps([{ skill: 'billing', minLevel: 1 }], { afterMs: 1000, everyMs: 1000, levelDrop: 2 })).toHaveLength(1);
  });
});

describe('heap', () => {
  it('pops in order and removes any item, against a sorted list', () => {
    const next = random(7);
    interface Item {
      value: number;
      at: number;
    }
    const heap = new Heap<Item>((a, b) => a.value < b.value, { get: (i) => i.at, set: (i, p) => void (i.at = p) });
    const live = new Set<Item>();
    for (let round = 0; round < 5_000; round++) {
      const roll = next();
      if (roll < 0.55 || live.size === 0) {
        const item = { value: Math.floor(next() * 1000), at: -1 };
        heap.push(item);
        live.add(item);
      } else if (roll < 0.8) {
        const victim = [...live][Math.floor(next() * live.size)]!;
        expect(heap.remove(victim)).toBe(true);
        expect(heap.remove(victim)).toBe(false);
        live.delete(victim);
      } else {
        const top = heap.pop()!;
        expect(top.value).toBe(Math.min(...[...live].map((i) => i.value)));
        live.delete(top);
      }
      expect(heap.size).toBe(live.size);
    }
  });
});

describe('the indexes answer as plain scans do', () => {
  const SKILLS = ['billing', 'tech', 'spanish', 'french', 'vip', 'returns', 'legal', 'german'];
  const GROUPS = ['dm-team', 'night'];

  function randomDesk(seed: number) {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const index = new RoutingIndex();
    const queues: RoutingTarget[] = [];
    for (let q = 1; q <= 8; q++) {
      const needs = [...new Set([pick(SKILLS), pick(SKILLS), pick(SKILLS)].slice(0, 1 + Math.floor(next() * 3)))].map((s): [string, number] => [s, 1 + Math.floor(next() * 10)]);
      const target = queue(q, needs, next() < 0.7 ? { afterMs: (1 + Math.floor(next() * 5)) * MINUTE, everyMs: MINUTE, levelDrop: 1 + Math.floor(next() * 3) } : null);
      index.putTarget(target, 0);
      queues.push(target);
    }
    const targets = [...queues, ...GROUPS.map((g) => index.groupTarget(g))];
    const agents: RoutedAgent[] = [];
    for (let a = 1; a <= 60; a++) {
      const skills = new Map<string, number>();
      for (const skill of SKILLS) if (next() < 0.4) skills.set(skill, 1 + Math.floor(next() * 10));
      const created = agent({
        id: a,
        skills,
        groups: new Set(GROUPS.filter(() => next() < 0.2)),
        capacity: { public: Math.floor(next() * 4), private: Math.floor(next() * 3) },
        state: pick(['ready', 'ready', 'ready', 'not-ready', 'offline'] as const),
        idleSince: Math.floor(next() * 20) * 1000, // ties happen
      });
      index.addAgent(created);
      agents.push(created);
    }
    const entries: RoutedEntry[] = [];
    for (let i = 1; i <= 800; i++) {
      const enteredAt = Math.floor(next() * 30) * 10_000;
      const made = entry({
        interactionId: i,
        target: pick(targets),
        kind: pick(['public', 'private'] as const),
        priority: pick([0, 50, 50, 80]),
        enteredAt,
        queueEnteredAt: enteredAt,
        returned: next() < 0.1,
      });
      index.addEntry(made, 300_000);
      entries.push(made);
    }
    return { index, agents, entries, next, pick };
  }

  function offerInMemory(index: RoutingIndex, e: RoutedEntry, a: RoutedAgent, now: number): void {
    index.unwait(e);
    e.assignment = { id: e.interactionId, agent: a, offeredAt: now, acceptedAt: null, by: 'routing', explanation: '', why: {} as never };
    a.load[e.kind]++;
    a.idleSince = now;
    a.holding.add(e);
    index.relist(a);
  }

  for (const seed of [1, 2, 3]) {
    it(`agrees on a random desk (seed ${seed}), as work is handed out, given back and relaxed`, () => {
      const { index, agents, entries, next, pick } = randomDesk(seed);
      let now = 300_000;
      let checks = 0;
      let found = 0;
      for (let round = 0; round < 300; round++) {
        const waiting = entries.filter((e) => e.assignment === null && index.entries.has(e.interactionId));
        const e = pick(waiting);
        const viaIndex = index.bestAgentFor(e);
        expect(viaIndex).toBe(scanBestAgent(agents, e));
        const a = pick(agents);
        const best = index.bestEntryFor(a);
        expect(best).toBe(scanBestEntry(index.entries.values(), a));
        checks += 2;
        found += (viaIndex ? 1 : 0) + (best ? 1 : 0);
        now += 1_000;
        const roll = next();
        if (viaIndex && roll < 0.5) offerInMemory(index, e, viaIndex, now);
        else if (best && roll < 0.7) offerInMemory(index, best, a, now);
        else if (roll < 0.85) {
          // an agent frees a slot, or gives work back to the front
          const held = entries.filter((x) => x.assignment !== null);
          if (held.length > 0) {
            const x = pick(held);
            const holder = x.assignment!.agent;
            x.assignment = null;
            holder.load[x.kind]--;
            holder.holding.delete(x);
            index.relist(holder);
            if (next() < 0.5) {
              x.returned = true;
              index.wait(x, now);
            } else {
              index.removeEntry(x);
            }
          }
        } else if (roll < 0.95) {
          const target = pick(agents);
          index.changeAgent(target, (t) => {
            t.state = pick(['ready', 'not-ready', 'offline'] as const);
            t.skills.set(pick(SKILLS), 1 + Math.floor(next() * 10));
          });
        } else {
          now += 3 * MINUTE;
          index.relax(now);
        }
      }
      expect(checks).toBe(600);
      expect(found).toBeGreaterThan(150); // the desks are not so empty that every answer is null
      // Every agent's answer at the end, too.
      for (const a of agents) expect(index.bestEntryFor(a)).toBe(scanBestEntry(index.entries.values(), a));
    });
  }
});

describe('work kinds', () => {
  it('public threads and private chats by the message the interaction came from', () => {
    const kinds: Array<[string, WorkKind]> = [
      ['x.mention', 'public'],
      ['x.reply', 'public'],
      ['facebook.post', 'public'],
      ['facebook.comment', 'public'],
      ['facebook.reply', 'public'],
      ['x.dm', 'private'],
      ['messenger.message', 'private'],
    ];
    for (const [kind, work] of kinds) expect(workKindOf(kind), kind).toBe(work);
  });
});

describe('explanations', () => {
  it('reads like a supervisor would say it', () => {
    const billing = queue(1, [['billing', 6]]);
    const ana = agent({ id: 1, name: 'Ana', skills: new Map([['billing', 8]]), idleSince: 0, load: { public: 1, private: 0 } });
    const e = entry({ interactionId: 1, target: billing });
    const why = assignmentReason(e, ana, 14 * MINUTE + 20_000, null);
    expect(explain('Ana', why, e)).toBe('Ana: billing 8 ≥ 6, idle 14 min, 1 of 3 public slots used');
  });

  it('formats durations', () => {
    expect([0, 999, 59_999, 60_000, 14 * MINUTE + 59_000, 60 * MINUTE, 125 * MINUTE].map(formatDuration)).toEqual(['0 s', '0 s', '59 s', '1 min', '14 min', '1 h', '2 h 5 min']);
  });
});

describe('input', () => {
  it('trims names and lower-cases skills and groups', () => {
    expect(AgentInput.parse({ name: '  Ana ', skills: { ' Billing ': 8 }, groups: [' DM-Team '], capacity: { public: 3, private: 2 } })).toEqual({
      name: 'Ana',
      skills: { billing: 8 },
      groups: ['dm-team'],
      capacity: { public: 3, private: 2 },
    });
    expect(QueueInput.parse({ name: 'Billing', skills: [{ skill: 'Billing', minLevel: 6 }] })).toEqual({
      name: 'Billing',
      skills: [{ skill: 'billing', minLevel: 6 }],
      priority: 50,
      serviceLevel: { percent: 80, withinMs: 15 * MINUTE },
      overflow: { afterMs: 5 * MINUTE, everyMs: 5 * MINUTE, levelDrop: 2 },
    });
  });
});
