/**
 * The selection: who gets which interaction. Pure and in memory (the router persists and
 * rebuilds it); no I/O, no clock of its own (`now` comes in).
 *
 * Two questions, both answered from indexes rather than by scanning everything:
 *
 *   - an interaction arrives (or waits long enough to relax): of the agents who are ready, have
 *     a free slot of its kind and meet its requirement, the one idle longest. Ready agents with
 *     a free slot are indexed per kind and per skill (and per group), so the candidates are the
 *     members of the smallest set among the required skills: O(candidates), not O(agents);
 *   - an agent frees a slot (or becomes ready): the first waiting interaction, in queue order,
 *     among those the agent may take. Each queue keeps its waiting interactions in one heap per
 *     kind of work and overflow step; the agent qualifies from some step on, so the answer is the
 *     best of a few heap heads per queue: O(queues x steps), not O(waiting).
 *
 * Queue order: interactions given back (agent not ready, offline, no accept) first, then higher
 * priority, then older (first entered routing), then lower interaction id. Agent order: idle
 * longest (earliest `idleSince`), then lower id.
 *
 * `scanBestAgent` and `scanBestEntry` answer the same questions by plain scans: the benchmark's
 * baseline and the tests' oracle.
 */
import { Heap } from './heap';
import { WORK_KINDS, type AgentStateName, type AssignmentReason, type Overflow, type ServiceLevel, type SkillNeed, type WorkKind } from './schema';

// ---------------------------------------------------------------------------------------------
// Overflow

export interface OverflowStep {
  /** What an agent must have at this step, most important first. */
  needs: readonly SkillNeed[];
  /** Time in the queue from which this step applies (0 for the configured requirement). */
  afterMs: number;
}

/**
 * The requirement at each overflow step. Step 0 is the queue's own. Each later step, while any
 * minimum is above 1, lowers every minimum by `levelDrop` (not below 1); then each step drops
 * the least important remaining skill, down to the most important one, which stays at level 1.
 * Step k (k >= 1) applies after `afterMs + (k - 1) * everyMs` in the queue.
 */
export function overflowSteps(needs: readonly SkillNeed[], overflow: Overflow | null): OverflowStep[] {
  const steps: OverflowStep[] = [{ needs: needs.map((need) => ({ ...need })), afterMs: 0 }];
  if (!overflow) return steps;
  let current = steps[0]!.needs;
  for (let k = 1; ; k++) {
    let next: SkillNeed[];
    if (current.some((need) => need.minLevel > 1)) next = current.map((need) => ({ skill: need.skill, minLevel: Math.max(1, need.minLevel - overflow.levelDrop) }));
    else if (current.length > 1) next = current.slice(0, -1).map((need) => ({ ...need }));
    else break;
    steps.push({ needs: next, afterMs: overflow.afterMs + (k - 1) * overflow.everyMs });
    current = next;
  }
  return steps;
}

/** The step that applies after `waitMs` in the queue. */
export function stepAfter(steps: readonly OverflowStep[], waitMs: number): number {
  let step = 0;
  while (step + 1 < steps.length && steps[step + 1]!.afterMs <= waitMs) step++;
  return step;
}

// ---------------------------------------------------------------------------------------------
// What the index holds

export interface RoutedAgent {
  id: number;
  name: string;
  skills: Map<string, number>;
  groups: Set<string>;
  capacity: Record<WorkKind, number>;
  load: Record<WorkKind, number>;
  state: AgentStateName;
  reason: string | null;
  stateSince: number;
  idleSince: number;
  /** What the agent holds now (offered or accepted). */
  holding: Set<RoutedEntry>;
  /** Whether the agent sits in the index's available sets, per kind (kept by the index). */
  listed: Record<WorkKind, boolean>;
}

export interface RoutedAssignment {
  id: number;
  agent: RoutedAgent;
  offeredAt: number;
  acceptedAt: number | null;
  by: 'routing' | 'supervisor';
  explanation: string;
  why: AssignmentReason;
}

/** A queue, or an agent group (R13): somewhere interactions wait. */
export interface RoutingTarget {
  /** `queue:<id>` or `group:<name>`. */
  key: string;
  queueId: number | null;
  group: string | null;
  name: string;
  priority: number;
  serviceLevel: ServiceLevel | null;
  overflow: Overflow | null;
  steps: readonly OverflowStep[];
  /** Waiting interactions, per kind, per overflow step. */
  waiting: Record<WorkKind, Heap<RoutedEntry>[]>;
  waitingCount: Record<WorkKind, number>;
  /** Everything in this target, waiting or assigned. */
  entries: Set<RoutedEntry>;
}

export interface RoutedEntry {
  interactionId: number;
  target: RoutingTarget;
  priority: number;
  kind: WorkKind;
  enteredAt: number;
  queueEnteredAt: number;
  returned: boolean;
  answeredAt: number | null;
  step: number;
  /** When the next overflow step applies (Infinity: none). */
  nextStepAt: number;
  assignment: RoutedAssignment | null;
  /** Position in its waiting heap and in the overflow heap (-1: not in it). */
  heapPos: number;
  stepPos: number;
}

export const queueKey = (queueId: number): string => `queue:${queueId}`;
export const groupKey = (group: string): string => `group:${group}`;

/** Queue order: given back first, then higher priority, then older, then lower id. */
export function comesBefore(a: RoutedEntry, b: RoutedEntry): boolean {
  if (a.returned !== b.returned) return a.returned;
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.enteredAt !== b.enteredAt) return a.enteredAt < b.enteredAt;
  return a.interactionId < b.interactionId;
}

/** Agent order: idle longest, then lower id. */
export function idleLonger(a: RoutedAgent, b: RoutedAgent): boolean {
  return a.idleSince < b.idleSince || (a.idleSince === b.idleSince && a.id < b.id);
}

export function hasFreeSlot(agent: RoutedAgent, kind: WorkKind): boolean {
  return agent.state === 'ready' && agent.load[kind] < agent.capacity[kind];
}

export function meets(agent: RoutedAgent, needs: readonly SkillNeed[]): boolean {
  for (const need of needs) {
    const level = agent.skills.get(need.skill);
    if (level === undefined || level < need.minLevel) return false;
  }
  return true;
}

/** The first overflow step at which the agent may take the target's work; null: never. */
export function firstStepFor(agent: RoutedAgent, target: RoutingTarget): number | null {
  if (target.group !== null) return agent.groups.has(target.group) ? 0 : null;
  for (let step = 0; step < target.steps.length; step++) if (meets(agent, target.steps[step]!.needs)) return step;
  return null;
}

/** May this agent take this entry at its current step (skills or group; not capacity)? */
export function qualifies(agent: RoutedAgent, entry: RoutedEntry): boolean {
  const target = entry.target;
  if (target.group !== null) return agent.groups.has(target.group);
  return meets(agent, target.steps[entry.step]!.needs);
}

const heapSlot = { get: (entry: RoutedEntry) => entry.heapPos, set: (entry: RoutedEntry, position: number) => void (entry.heapPos = position) };
const stepSlot = { get: (entry: RoutedEntry) => entry.stepPos, set: (entry: RoutedEntry, position: number) => void (entry.stepPos = position) };

function kindRecord<T>(make: () => T): Record<WorkKind, T> {
  return { public: make(), private: make() };
}

export function newTarget(fields: Pick<RoutingTarget, 'queueId' | 'group' | 'name' | 'priority' | 'serviceLevel' | 'overflow'> & { needs: readonly SkillNeed[] }): RoutingTarget {
  const steps = fields.group !== null ? [{ needs: [], afterMs: 0 }] : overflowSteps(fields.needs, fields.overflow);
  return {
    key: fields.group !== null ? groupKey(fields.group) : queueKey(fields.queueId ?? 0),
    queueId: fields.queueId,
    group: fields.group,
    name: fields.name,
    priority: fields.priority,
    serviceLevel: fields.serviceLevel,
    overflow: fields.overflow,
    steps,
    waiting: kindRecord(() => steps.map(() => new Heap<RoutedEntry>(comesBefore, heapSlot))),
    waitingCount: kindRecord(() => 0),
    entries: new Set(),
  };
}

// ---------------------------------------------------------------------------------------------
// The index

export class RoutingIndex {
  readonly agents = new Map<number, RoutedAgent>();
  readonly targets = new Map<string, RoutingTarget>();
  readonly entries = new Map<number, RoutedEntry>();
  /** Queues only, for the agent-side search. */
  private queueTargets: RoutingTarget[] = [];
  private readonly available = kindRecord(() => new Set<RoutedAgent>());
  private readonly bySkill = kindRecord(() => new Map<string, Set<RoutedAgent>>());
  private readonly byGroup = kindRecord(() => new Map<string, Set<RoutedAgent>>());
  /** Waiting entries that will relax, earliest first. */
  private readonly overflowDue = new Heap<RoutedEntry>((a, b) => a.nextStepAt < b.nextStepAt, stepSlot);

  // --- agents -------------------------------------------------------------------------------

  addAgent(agent: RoutedAgent): void {
    this.agents.set(agent.id, agent);
    this.relist(agent);
  }

  /** Changes an agent's definition or state; the available sets follow. */
  changeAgent(agent: RoutedAgent, change: (agent: RoutedAgent) => void): void {
    for (const kind of WORK_KINDS) this.unlist(agent, kind);
    change(agent);
    this.relist(agent);
  }

  /** Puts the agent in (or out of) the available sets after its load or state changed. */
  relist(agent: RoutedAgent): void {
    for (const kind of WORK_KINDS) {
      const free = hasFreeSlot(agent, kind);
      if (free && !agent.listed[kind]) this.list(agent, kind);
      else if (!free && agent.listed[kind]) this.unlist(agent, kind);
    }
  }

  private list(agent: RoutedAgent, kind: WorkKind): void {
    agent.listed[kind] = true;
    this.available[kind].add(agent);
    for (const skill of agent.skills.keys()) setIn(this.bySkill[kind], skill).add(agent);
    for (const group of agent.groups) setIn(this.byGroup[kind], group).add(agent);
  }

  private unlist(agent: RoutedAgent, kind: WorkKind): void {
    if (!agent.listed[kind]) return;
    agent.listed[kind] = false;
    this.available[kind].delete(agent);
    for (const skill of agent.skills.keys()) this.bySkill[kind].get(skill)?.delete(agent);
    for (const group of agent.groups) this.byGroup[kind].get(group)?.delete(agent);
  }

  /** Whether any agent (in any state) is in this group. */
  groupExists(group: string): boolean {
    for (const agent of this.agents.values()) if (agent.groups.has(group)) return true;
    return false;
  }

  // --- queues and groups ----------------------------------------------------------------------

  /** Adds a target, or replaces one with the same key: its entries re-sort under the new rules. */
  putTarget(target: RoutingTarget, now: number): void {
    const old = this.targets.get(target.key);
    this.targets.set(target.key, target);
    this.queueTargets = [...this.targets.values()].filter((t) => t.queueId !== null);
    if (!old) return;
    for (const entry of old.entries) {
      const waiting = entry.assignment === null;
      if (waiting) this.unwait(entry);
      entry.target = target;
      target.entries.add(entry);
      if (waiting) this.wait(entry, now);
    }
  }

  groupTarget(group: string): RoutingTarget {
    const key = groupKey(group);
    let target = this.targets.get(key);
    if (!target) {
      target = newTarget({ queueId: null, group, name: group, priority: 0, serviceLevel: null, overflow: null, needs: [] });
      this.targets.set(key, target);
    }
    return target;
  }

  queueTarget(queueId: number): RoutingTarget | undefined {
    return this.targets.get(queueKey(queueId));
  }

  // --- entries --------------------------------------------------------------------------------

  /** Adds an entry; waiting unless it carries an assignment. */
  addEntry(entry: RoutedEntry, now: number): void {
    this.entries.set(entry.interactionId, entry);
    entry.target.entries.add(entry);
    if (entry.assignment === null) this.wait(entry, now);
  }

  removeEntry(entry: RoutedEntry): void {
    if (entry.assignment === null) this.unwait(entry);
    entry.target.entries.delete(entry);
    this.entries.delete(entry.interactionId);
  }

  /** Moves an entry (waiting or not) to another target; it starts there at step 0. */
  retarget(entry: RoutedEntry, target: RoutingTarget, now: number): void {
    const waiting = entry.assignment === null;
    if (waiting) this.unwait(entry);
    entry.target.entries.delete(entry);
    entry.target = target;
    target.entries.add(entry);
    if (waiting) this.wait(entry, now);
  }

  /** Puts an entry in its target's waiting heaps at the step its time in the queue gives. */
  wait(entry: RoutedEntry, now: number): void {
    const target = entry.target;
    entry.step = stepAfter(target.steps, now - entry.queueEnteredAt);
    const next = target.steps[entry.step + 1];
    entry.nextStepAt = next ? entry.queueEnteredAt + next.afterMs : Infinity;
    target.waiting[entry.kind][entry.step]!.push(entry);
    target.waitingCount[entry.kind]++;
    if (entry.nextStepAt !== Infinity) this.overflowDue.push(entry);
  }

  /** Takes an entry out of the waiting heaps (it is being assigned or leaving). */
  unwait(entry: RoutedEntry): void {
    const target = entry.target;
    if (target.waiting[entry.kind][entry.step]!.remove(entry)) target.waitingCount[entry.kind]--;
    this.overflowDue.remove(entry);
  }

  /** Entries whose next overflow step is due by `now`, moved to it; returned in no order. */
  relax(now: number): RoutedEntry[] {
    const relaxed: RoutedEntry[] = [];
    for (let head = this.overflowDue.peek(); head && head.nextStepAt <= now; head = this.overflowDue.peek()) {
      this.unwait(head);
      this.wait(head, now);
      relaxed.push(head);
    }
    return relaxed;
  }

  /** The earliest time an entry relaxes (Infinity: none). */
  nextRelaxAt(): number {
    return this.overflowDue.peek()?.nextStepAt ?? Infinity;
  }

  // --- the two questions ----------------------------------------------------------------------

  /** Of the agents who may take this entry now, the one idle longest; null when nobody may. */
  bestAgentFor(entry: RoutedEntry): RoutedAgent | null {
    const kind = entry.kind;
    const target = entry.target;
    let candidates: Set<RoutedAgent> | undefined;
    let needs: readonly SkillNeed[] = [];
    if (target.group !== null) {
      candidates = this.byGroup[kind].get(target.group);
    } else {
      needs = target.steps[entry.step]!.needs;
      if (needs.length === 0) candidates = this.available[kind];
      for (const need of needs) {
        const holders = this.bySkill[kind].get(need.skill);
        if (!holders || holders.size === 0) return null;
        if (!candidates || holders.size < candidates.size) candidates = holders;
      }
    }
    if (!candidates) return null;
    let best: RoutedAgent | null = null;
    for (const agent of candidates) {
      if (best && !idleLonger(agent, best)) continue;
      if (needs.length > 0 && !meets(agent, needs)) continue;
      best = agent;
    }
    return best;
  }

  /** Of the waiting entries this agent may take now, the first in queue order; null when none. */
  bestEntryFor(agent: RoutedAgent): RoutedEntry | null {
    let best: RoutedEntry | null = null;
    for (const kind of WORK_KINDS) {
      if (!hasFreeSlot(agent, kind)) continue;
      for (const target of this.queueTargets) best = this.bestIn(target, agent, kind, best);
      for (const group of agent.groups) {
        const target = this.targets.get(groupKey(group));
        if (target) best = this.bestIn(target, agent, kind, best);
      }
    }
    return best;
  }

  private bestIn(target: RoutingTarget, agent: RoutedAgent, kind: WorkKind, best: RoutedEntry | null): RoutedEntry | null {
    if (target.waitingCount[kind] === 0) return best;
    const from = firstStepFor(agent, target);
    if (from === null) return best;
    const heaps = target.waiting[kind];
    for (let step = from; step < heaps.length; step++) {
      const head = heaps[step]!.peek();
      if (head && (!best || comesBefore(head, best))) best = head;
    }
    return best;
  }

  /** Waiting entries of a target, in queue order (for the console; O(n log n)). */
  waitingIn(target: RoutingTarget): RoutedEntry[] {
    const out: RoutedEntry[] = [];
    for (const entry of target.entries) if (entry.assignment === null) out.push(entry);
    return out.sort((a, b) => (comesBefore(a, b) ? -1 : comesBefore(b, a) ? 1 : 0));
  }
}

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

// ---------------------------------------------------------------------------------------------
// The same questions by plain scans (baseline and oracle)

export function scanBestAgent(agents: Iterable<RoutedAgent>, entry: RoutedEntry): RoutedAgent | null {
  let best: RoutedAgent | null = null;
  for (const agent of agents) {
    if (!hasFreeSlot(agent, entry.kind) || !qualifies(agent, entry)) continue;
    if (!best || idleLonger(agent, best)) best = agent;
  }
  return best;
}

export function scanBestEntry(entries: Iterable<RoutedEntry>, agent: RoutedAgent): RoutedEntry | null {
  let best: RoutedEntry | null = null;
  for (const entry of entries) {
    if (entry.assignment !== null || !hasFreeSlot(agent, entry.kind) || !qualifies(agent, entry)) continue;
    if (!best || comesBefore(entry, best)) best = entry;
  }
  return best;
}
