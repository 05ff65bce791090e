/**
 * The router: keeps who may take what in memory (select.ts), decides, and persists every
 * decision in one transaction before it counts. SQLite is the truth: `start()` rebuilds the
 * indexes from it, and a failed commit rebuilds them again, so memory never runs ahead of disk.
 *
 * When it decides:
 *   - an interaction enters (enqueue, after the caller's transaction), is given back, is moved,
 *     or relaxes (overflow): the longest-idle agent who may take it, if any;
 *   - an agent becomes ready, frees a slot (release, a move away) or changes skills: the first
 *     waiting interactions, in queue order, that the agent may take, until its slots are full;
 *   - `tick()`: offers not accepted in time go back to the front of their queue (and the agent
 *     becomes not ready), waiting interactions whose overflow step is due relax.
 *
 * Every public method runs one at a time (a serial queue), except `enqueue`, which runs inside
 * the caller's transaction and only writes the entry; the routing of it follows once that
 * transaction has committed (the router's reads queue behind it), or never if it rolled back.
 *
 * Interaction states: routing takes interactions in `queued`; an offer moves them to `assigned`,
 * giving back moves them to `queued` again (each with the state history). `release()` is for
 * when the interaction is completed: it frees the agent's slot and forgets the interaction; the
 * completion itself (the disposition, R11) is the caller's.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import type { Database, Sql } from '../store/db';
import { moveInteraction } from '../store/interactions';
import {
  acceptAssignmentRow,
  assignmentRowsOf,
  agentRows,
  deleteEntryRows,
  endAssignmentRow,
  entryRows,
  firstAcceptancesSince,
  insertAgentRow,
  insertAssignmentRows,
  insertEntryRow,
  insertQueueRow,
  loadRoutingRows,
  repairRouting,
  routableInteraction,
  unroutedQueuedIds,
  updateAgentDefinitionRow,
  updateAgentRuntimeRows,
  updateEntryRows,
  updateQueueRow,
  type AgentDefinitionRow,
  type AgentRow,
  type AssignmentEndName,
  type AssignmentRow,
  type EntryRow,
  type QueueDefinitionRow,
} from '../store/routing';
import { assignmentReason, explain, formatDuration } from './explain';
import {
  AgentInput,
  AgentState,
  AssignmentReason,
  DEFAULT_PRIORITY,
  EnqueueTarget,
  MoveTarget,
  QueueInput,
  WORK_KINDS,
  workKindOf,
  type Agent,
  type AgentDefinition,
  type Assignment,
  type QueueDefinition,
  type QueueEntry,
  type Queue,
  type QueueSnapshot,
  type RoutingChange,
} from './schema';
import {
  comesBefore,
  firstStepFor,
  hasFreeSlot,
  idleLonger,
  newTarget,
  RoutingIndex,
  type RoutedAgent,
  type RoutedAssignment,
  type RoutedEntry,
  type RoutingTarget,
} from './select';
import { checkId, parseOrRefuse, refuse } from './validate';

export const DEFAULT_ACCEPT_TIMEOUT_MS = 60_000;
const MAX_SLEEP_MS = 60_000;

/** Wakes the router for its next due time. Real timers by default; `manualRoutingTimers` never fires (tests call `tick()`). */
export interface RoutingTimers {
  /** Calls `callback` after `ms` of real time; returns a function that cancels it. */
  schedule(callback: () => void, ms: number): () => void;
}

export const realRoutingTimers: RoutingTimers = {
  schedule(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export const manualRoutingTimers: RoutingTimers = { schedule: () => () => undefined };

export interface RouterOptions {
  db: Database;
  clock: Clock;
  logger?: Logger;
  /** Called after each committed change, in order. */
  onChange?: (change: RoutingChange) => void;
  /** How long an agent has to accept an offer (default 60 s); then it goes back to the front of its queue. */
  acceptTimeoutMs?: number;
  /** An agent who lets an offer time out becomes not ready, so the work does not bounce back to them (default true). */
  notReadyOnMissedOffer?: boolean;
  /** The desk's IANA zone: "today" for the service level (default UTC). */
  zone?: string;
  timers?: RoutingTimers;
}

export interface TickResult {
  /** Offers given back because they were not accepted in time. */
  returned: number;
  /** Waiting interactions whose requirement relaxed one or more steps. */
  relaxed: number;
  /** Offers made. */
  offered: number;
}

/** A commit found an interaction no longer in the state routing left it (changed outside): rebuild and retry. */
class StaleInteraction extends Error {
  override name = 'StaleInteraction';
}

interface Batch {
  now: number;
  /** Memory was changed: a failure must rebuild it. */
  mutated: boolean;
  writes: Array<(tx: Sql) => Promise<void>>;
  moves: Array<{ id: number; from: 'queued' | 'assigned'; to: 'queued' | 'assigned'; actor: string; reason: string }>;
  ends: Array<{ id: number; reason: AssignmentEndName; detail: string }>;
  offers: Array<{ entry: RoutedEntry; assignment: RoutedAssignment }>;
  accepts: RoutedAssignment[];
  agents: Set<RoutedAgent>;
  entries: Set<RoutedEntry>;
  deleted: Set<number>;
  entryTriggers: Set<RoutedEntry>;
  agentTriggers: Set<RoutedAgent>;
  changes: RoutingChange[];
}

function newBatch(now: number): Batch {
  return {
    now,
    mutated: false,
    writes: [],
    moves: [],
    ends: [],
    offers: [],
    accepts: [],
    agents: new Set(),
    entries: new Set(),
    deleted: new Set(),
    entryTriggers: new Set(),
    agentTriggers: new Set(),
    changes: [],
  };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export class Router {
  private index = new RoutingIndex();
  private nextAssignmentId = 1;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<number>();
  private pumpQueued = false;
  private started = false;
  private stopped = false;
  private cancelTimer: (() => void) | null = null;
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private acceptTimeoutMs: number;
  private readonly notReadyOnMissedOffer: boolean;
  private zone: string;
  private readonly timers: RoutingTimers;

  constructor(private readonly options: RouterOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.acceptTimeoutMs = options.acceptTimeoutMs ?? DEFAULT_ACCEPT_TIMEOUT_MS;
    this.notReadyOnMissedOffer = options.notReadyOnMissedOffer ?? true;
    this.zone = options.zone ?? 'UTC';
    this.timers = options.timers ?? realRoutingTimers;
    if (!Number.isInteger(this.acceptTimeoutMs) || this.acceptTimeoutMs < 1_000) throw new Error(`acceptTimeoutMs must be a whole number of ms, at least 1000 (got ${this.acceptTimeoutMs})`);
    if (!DateTime.fromMillis(0, { zone: this.zone }).isValid) throw new Error(`routing: ${this.zone} is not an IANA time zone`);
  }

  // ---------------------------------------------------------------------------------------------
  // Life

  /**
   * Loads agents, queues, waiting and assigned interactions from the store and rebuilds the
   * indexes; drops entries of interactions that left routing while the router was not looking;
   * then routes what can be routed now (agents ready, work waiting).
   */
  start(): Promise<void> {
    return this.serial(async () => {
      if (this.started) return;
      this.index = await this.rebuild(this.clock.now());
      const unrouted = await unroutedQueuedIds(this.db, 1);
      if (unrouted.length > 0) this.logger.warn('some queued interactions have no routing entry (enqueue them)', { first: unrouted[0] });
      this.started = true;
    }).then(() =>
      this.op((batch) => {
        for (const entry of this.index.entries.values()) if (entry.assignment === null) batch.entryTriggers.add(entry);
        for (const agent of this.index.agents.values()) batch.agentTriggers.add(agent);
      }),
    );
  }

  /** Stops the timer and waits for the change in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.serial(async () => undefined);
  }

  /** Waits until every interaction enqueued so far (in committed transactions) has been routed. */
  /** The desk's offer timeout changed: offers made from now on (and those open) use it. */
  setAcceptTimeout(ms: number): void {
    if (Number.isInteger(ms) && ms >= 1_000) {
      this.acceptTimeoutMs = ms;
      this.schedulePump();
    }
  }

  /** The desk's zone changed: "today" for the service level follows it. */
  setZone(zone: string): void {
    if (DateTime.fromMillis(0, { zone }).isValid) this.zone = zone;
  }

  async flush(): Promise<void> {
    await this.serial(async () => undefined);
  }

  // ---------------------------------------------------------------------------------------------
  // Agents and queues

  /** Creates (no id) or changes (id) an agent; a new agent starts offline. Refuses bad input, unknown ids and taken names. */
  async saveAgent(input: unknown): Promise<Agent> {
    const definition = parseOrRefuse(AgentInput, input, 'agent refused');
    return this.serial(async () => {
      this.mustHaveStarted('agent refused');
      const other = [...this.index.agents.values()].find((agent) => agent.id !== definition.id && sameName(agent.name, definition.name));
      if (other) refuse('conflict', `agent refused: the name "${definition.name}" is already taken (agent ${other.id})`);
      if (definition.id === undefined) return this.createAgent(definition);
      const agent = this.index.agents.get(definition.id) ?? refuse('not_found', `agent refused: there is no agent ${definition.id}`);
      return this.op((batch) => {
        const id = agent.id;
        batch.writes.push(async (tx) => {
          if (!(await updateAgentDefinitionRow(tx, id, agentDefinitionRow(definition), batch.now))) throw new Error(`agent ${id} vanished from the store`);
        });
        this.changeDefinition(batch, agent, definition);
        return this.agentView(agent);
      }, false);
    });
  }

  /** Ready, not ready (with a reason) or offline. Not ready gives back offers not yet accepted; offline gives back everything. */
  async setAgentState(agentId: number, state: unknown): Promise<Agent> {
    const id = checkId(agentId, 'agent state refused', 'agentId');
    const next = parseOrRefuse(AgentState, state, 'agent state refused');
    return this.op((batch) => {
      const agent = this.index.agents.get(id) ?? refuse('not_found', `agent state refused: there is no agent ${id}`);
      this.changeState(batch, agent, next);
      return this.agentView(agent);
    });
  }

  /** Picks up an agent written to the store by someone else (definition and state); null if it does not exist. */
  async onAgentChanged(agentId: number): Promise<Agent | null> {
    const id = checkId(agentId, 'agent refused', 'agentId');
    return this.op(async (batch) => {
      const stored = await agentRows(this.db, id);
      if (!stored) return null;
      let agent = this.index.agents.get(id);
      const definition = {
        id,
        name: stored.agent.name,
        skills: Object.fromEntries(stored.skills.map((s) => [s.skill, s.level])),
        groups: stored.groups,
        capacity: { public: stored.agent.public_capacity, private: stored.agent.private_capacity },
      };
      if (!agent) {
        agent = routedAgent(stored.agent, stored.skills, stored.groups);
        this.index.addAgent(agent);
        batch.mutated = true;
        batch.changes.push({ type: 'agent', agent: this.agentView(agent) });
        batch.agentTriggers.add(agent);
        return this.agentView(agent);
      }
      this.changeDefinition(batch, agent, definition);
      const state: AgentState =
        stored.agent.state === 'not-ready' ? { state: 'not-ready', reason: stored.agent.not_ready_reason ?? 'not ready' } : { state: stored.agent.state };
      this.changeState(batch, agent, state);
      return this.agentView(agent);
    });
  }

  /** Creates (no id) or changes (id) a queue. Waiting interactions re-sort under the new requirement. */
  async saveQueue(input: unknown): Promise<Queue> {
    const definition = parseOrRefuse(QueueInput, input, 'queue refused');
    return this.serial(async () => {
      this.mustHaveStarted('queue refused');
      const other = [...this.index.targets.values()].find((t) => t.queueId !== null && t.queueId !== definition.id && sameName(t.name, definition.name));
      if (other) refuse('conflict', `queue refused: the name "${definition.name}" is already taken (queue ${other.queueId})`);
      if (definition.id === undefined) {
        const now = this.clock.now();
        const id = await this.db.transaction((tx) => insertQueueRow(tx, queueDefinitionRow(definition), now));
        const target = queueTarget(id, definition);
        this.index.putTarget(target, now);
        const queue = queueView(target);
        this.emit([{ type: 'queue', queue }]);
        return queue;
      }
      const queueId = definition.id;
      if (!this.index.queueTarget(queueId)) refuse('not_found', `queue refused: there is no queue ${queueId}`);
      return this.op((batch) => {
        batch.writes.push(async (tx) => {
          if (!(await updateQueueRow(tx, queueId, queueDefinitionRow(definition), batch.now))) throw new Error(`queue ${queueId} vanished from the store`);
        });
        const target = queueTarget(queueId, definition);
        batch.mutated = true;
        this.index.putTarget(target, batch.now);
        for (const entry of target.entries) if (entry.assignment === null) batch.entryTriggers.add(entry);
        const queue = queueView(target);
        batch.changes.push({ type: 'queue', queue });
        return queue;
      }, false);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Work

  /**
   * Puts a `queued` interaction in a queue (with the rule's priority, or the queue's) or an
   * agent group (R13), inside the caller's transaction: call it where the interaction becomes
   * `queued`. Routing follows after that transaction commits. Refuses an unknown queue or group,
   * an unknown interaction, one not `queued`, one already in routing; writes nothing then.
   */
  async enqueue(tx: Sql, interactionId: number, target: EnqueueTarget): Promise<QueueEntry> {
    const what = 'enqueue refused';
    const id = checkId(interactionId, what, 'interactionId');
    const where = parseOrRefuse(EnqueueTarget, target, what);
    this.mustHaveStarted(what);
    let queueId: number | null = null;
    let group: string | null = null;
    let priority = where.priority ?? DEFAULT_PRIORITY;
    if ('queueId' in where) {
      const queue = this.index.queueTarget(where.queueId) ?? refuse('not_found', `${what}: there is no queue ${where.queueId}`);
      queueId = where.queueId;
      priority = where.priority ?? queue.priority;
    } else {
      if (!this.index.groupExists(where.group)) refuse('not_found', `${what}: no agent is in the group "${where.group}"`);
      group = where.group;
    }
    const interaction = (await routableInteraction(tx, id)) ?? refuse('not_found', `${what}: there is no interaction ${id}`);
    if (interaction.entered > 0) refuse('conflict', `${what}: interaction ${id} is already in routing`);
    if (interaction.state !== 'queued') refuse('conflict', `${what}: interaction ${id} is ${interaction.state}, not queued`);
    const now = this.clock.now();
    const workKind = workKindOf(interaction.kind);
    await insertEntryRow(tx, { interactionId: id, queueId, group, priority, workKind, enteredAt: now });
    this.pending.add(id);
    this.schedulePump();
    return { interactionId: id, queueId, group, priority, workKind, enteredAt: now, queueEnteredAt: now, returned: false, overflowStep: 0, assignedTo: null };
  }

  /** The agent takes the offered interaction. Accepting twice is harmless. */
  async accept(interactionId: number, agentId: number): Promise<Assignment> {
    const what = 'accept refused';
    const id = checkId(interactionId, what, 'interactionId');
    const agentIdChecked = checkId(agentId, what, 'agentId');
    return this.op((batch) => {
      const entry = this.index.entries.get(id) ?? refuse('not_found', `${what}: interaction ${id} is not in routing`);
      const assignment = entry.assignment ?? refuse('conflict', `${what}: interaction ${id} is waiting, not offered to anyone`);
      if (assignment.agent.id !== agentIdChecked) {
        const other = this.index.agents.get(agentIdChecked);
        refuse('conflict', `${what}: interaction ${id} is offered to ${assignment.agent.name}, not ${other ? other.name : `agent ${agentIdChecked}`}`);
      }
      if (assignment.acceptedAt === null) {
        batch.mutated = true;
        assignment.acceptedAt = batch.now;
        entry.answeredAt ??= batch.now;
        batch.accepts.push(assignment);
        batch.entries.add(entry);
        batch.changes.push({ type: 'assignment', assignment: this.assignmentView(entry, assignment, null) });
      }
      return this.assignmentView(entry, assignment, null);
    });
  }

  /**
   * The interaction is done (completed): its agent's slot frees and the interaction leaves
   * routing (a waiting one simply leaves its queue). False when it was not in routing.
   */
  async release(interactionId: number): Promise<boolean> {
    const id = checkId(interactionId, 'release refused', 'interactionId');
    return this.op((batch) => {
      const entry = this.index.entries.get(id);
      if (!entry) return false;
      batch.mutated = true;
      if (entry.assignment) this.endAssignment(batch, entry, 'completed', 'completed');
      this.index.removeEntry(entry);
      batch.deleted.add(id);
      batch.changes.push({ type: 'left', interactionId: id });
      return true;
    });
  }

  /**
   * A supervisor moves an interaction: to another queue or group (it waits there from now, at
   * the target's priority unless one is given), or straight to a ready agent with a free slot of
   * its kind (skills are the supervisor's call). An agent holding it loses it.
   */
  async move(interactionId: number, to: unknown, actor: string): Promise<QueueEntry> {
    const what = 'move refused';
    const id = checkId(interactionId, what, 'interactionId');
    const where = parseOrRefuse(MoveTarget, to, what);
    if (typeof actor !== 'string' || actor.trim().length === 0) refuse('bad_input', `${what}: say who moves it (actor)`);
    const who = actor.trim();
    return this.op((batch) => {
      const entry = this.index.entries.get(id) ?? refuse('not_found', `${what}: interaction ${id} is not in routing`);
      const from = entry.target.name;
      if ('agentId' in where) {
        const agent = this.index.agents.get(where.agentId) ?? refuse('not_found', `${what}: there is no agent ${where.agentId}`);
        if (entry.assignment?.agent === agent) refuse('conflict', `${what}: interaction ${id} is already with ${agent.name}`);
        if (agent.state !== 'ready') refuse('conflict', `${what}: ${agent.name} is ${agent.state === 'not-ready' ? `not ready (${agent.reason})` : 'offline'}`);
        if (!hasFreeSlot(agent, entry.kind)) refuse('conflict', `${what}: ${agent.name} has no free ${entry.kind} slot (${agent.load[entry.kind]} of ${agent.capacity[entry.kind]} used)`);
        batch.mutated = true;
        if (entry.assignment) this.endAssignment(batch, entry, 'moved', `moved by ${who} to ${agent.name}`, who);
        this.offer(batch, entry, agent, who);
        return this.entryView(entry);
      }
      let target: RoutingTarget;
      if ('queueId' in where) {
        target = this.index.queueTarget(where.queueId) ?? refuse('not_found', `${what}: there is no queue ${where.queueId}`);
      } else {
        if (!this.index.groupExists(where.group)) refuse('not_found', `${what}: no agent is in the group "${where.group}"`);
        target = this.index.groupTarget(where.group);
      }
      batch.mutated = true;
      if (entry.assignment) this.endAssignment(batch, entry, 'moved', `moved by ${who} to ${target.name}`, who);
      this.index.unwait(entry);
      entry.priority = where.priority ?? (target.queueId !== null ? target.priority : DEFAULT_PRIORITY);
      entry.queueEnteredAt = batch.now;
      entry.returned = false;
      this.index.retarget(entry, target, batch.now);
      batch.entries.add(entry);
      batch.entryTriggers.add(entry);
      batch.changes.push({ type: 'waiting', entry: this.entryView(entry), cause: 'moved', detail: `moved by ${who} from ${from} to ${target.name}` });
      return this.entryView(entry);
    });
  }

  /** Gives back offers not accepted in time, relaxes what waited long enough, and routes. */
  tick(): Promise<TickResult> {
    return this.op((batch) => {
      const result: TickResult = { returned: 0, relaxed: 0, offered: 0 };
      const deadline = batch.now - this.acceptTimeoutMs;
      const missed: RoutedEntry[] = [];
      for (const agent of this.index.agents.values()) {
        for (const entry of agent.holding) if (entry.assignment && entry.assignment.acceptedAt === null && entry.assignment.offeredAt <= deadline) missed.push(entry);
      }
      missed.sort((a, b) => a.assignment!.offeredAt - b.assignment!.offeredAt || a.interactionId - b.interactionId);
      for (const entry of missed) {
        const assignment = entry.assignment;
        if (!assignment || assignment.acceptedAt !== null) continue; // given back already (its agent went not ready)
        const agent = assignment.agent;
        batch.mutated = true;
        this.giveBack(batch, entry, `${agent.name} did not accept within ${formatDuration(this.acceptTimeoutMs)}`);
        result.returned++;
        if (this.notReadyOnMissedOffer && agent.state === 'ready') {
          this.changeState(batch, agent, { state: 'not-ready', reason: `did not accept interaction ${entry.interactionId} in time` });
        }
      }
      const relaxed = this.index.relax(batch.now);
      for (const entry of relaxed) {
        batch.mutated = true;
        batch.entryTriggers.add(entry);
        const step = entry.target.steps[entry.step]!;
        batch.changes.push({
          type: 'waiting',
          entry: this.entryView(entry),
          cause: 'relaxed',
          detail: `overflow step ${entry.step} after ${formatDuration(step.afterMs)} waiting: ${describeNeeds(step.needs)}`,
        });
      }
      result.relaxed = relaxed.length;
      this.dispatch(batch);
      result.offered = batch.offers.length;
      return result;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  agents(): Agent[] {
    return [...this.index.agents.values()].sort((a, b) => a.id - b.id).map((agent) => this.agentView(agent));
  }

  agent(agentId: number): Agent | null {
    const agent = this.index.agents.get(agentId);
    return agent ? this.agentView(agent) : null;
  }

  queues(): Queue[] {
    return [...this.index.targets.values()]
      .filter((t) => t.queueId !== null)
      .sort((a, b) => (a.queueId ?? 0) - (b.queueId ?? 0))
      .map(queueView);
  }

  /** An interaction in routing (waiting or assigned); null when it is not. */
  entry(interactionId: number): QueueEntry | null {
    const entry = this.index.entries.get(interactionId);
    return entry ? this.entryView(entry) : null;
  }

  /** What waits in a queue or group, in the order it will be served. */
  waiting(where: { queueId: number } | { group: string }): QueueEntry[] {
    const target = 'queueId' in where ? this.index.queueTarget(where.queueId) : this.index.targets.get(`group:${where.group.trim().toLowerCase()}`);
    return target ? this.index.waitingIn(target).map((entry) => this.entryView(entry)) : [];
  }

  /** The open assignment of an interaction; null when it waits or is not in routing. */
  assignment(interactionId: number): Assignment | null {
    const entry = this.index.entries.get(interactionId);
    return entry?.assignment ? this.assignmentView(entry, entry.assignment, null) : null;
  }

  /** What an agent holds now, oldest offer first. */
  assignmentsOf(agentId: number): Assignment[] {
    const agent = this.index.agents.get(agentId);
    if (!agent) return [];
    return [...agent.holding]
      .map((entry) => this.assignmentView(entry, entry.assignment!, null))
      .sort((a, b) => a.offeredAt - b.offeredAt || a.id - b.id);
  }

  /** Every assignment an interaction has had, oldest first (from the store). */
  async history(interactionId: number): Promise<Assignment[]> {
    const rows = await assignmentRowsOf(this.db, interactionId);
    return rows.map((row) => this.assignmentFromRow(row));
  }

  /** Every queue, then every agent group with work, as the console's queue view shows them. */
  snapshot(): Promise<QueueSnapshot[]> {
    return this.serial(async () => {
      const now = this.clock.now();
      const since = DateTime.fromMillis(now, { zone: this.zone }).startOf('day').toMillis();
      const answered = new Map((await firstAcceptancesSince(this.db, since)).map((row) => [row.queue_id, row]));
      const targets = [...this.index.targets.values()].sort((a, b) =>
        a.queueId !== null && b.queueId !== null ? a.queueId - b.queueId : a.queueId !== null ? -1 : b.queueId !== null ? 1 : a.name.localeCompare(b.name),
      );
      return targets.map((target) => this.targetSnapshot(target, now, target.queueId !== null ? answered.get(target.queueId) : undefined));
    });
  }

  /**
   * Interactions in `queued` with no routing entry, oldest first: queued before routing existed,
   * or by a caller that did not enqueue them. The gate's sweep can enqueue them.
   */
  unrouted(limit = 200): Promise<number[]> {
    return unroutedQueuedIds(this.db, limit);
  }

  /** When the router next has something to do on its own (an offer's deadline, an overflow step); null: nothing. */
  nextDueAt(): number | null {
    let due = this.index.nextRelaxAt();
    for (const agent of this.index.agents.values()) {
      for (const entry of agent.holding) {
        const assignment = entry.assignment;
        if (assignment && assignment.acceptedAt === null) due = Math.min(due, assignment.offeredAt + this.acceptTimeoutMs);
      }
    }
    return Number.isFinite(due) ? due : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Deciding

  /** Routes the batch's triggers: entries first (queue order, longest-idle agent), then agents (idle longest first, until full). */
  private dispatch(batch: Batch): void {
    const entries = [...batch.entryTriggers]
      .filter((entry) => entry.assignment === null && this.index.entries.get(entry.interactionId) === entry)
      .sort((a, b) => (comesBefore(a, b) ? -1 : 1));
    batch.entryTriggers.clear();
    for (const entry of entries) {
      if (entry.assignment !== null) continue;
      const agent = this.index.bestAgentFor(entry);
      if (agent) this.offer(batch, entry, agent, null);
    }
    const agents = [...batch.agentTriggers].filter((agent) => agent.state === 'ready').sort((a, b) => (idleLonger(a, b) ? -1 : 1));
    batch.agentTriggers.clear();
    for (const agent of agents) {
      for (let entry = this.index.bestEntryFor(agent); entry; entry = this.index.bestEntryFor(agent)) this.offer(batch, entry, agent, null);
    }
  }

  private offer(batch: Batch, entry: RoutedEntry, agent: RoutedAgent, movedBy: string | null): void {
    batch.mutated = true;
    const why = assignmentReason(entry, agent, batch.now, movedBy);
    const assignment: RoutedAssignment = {
      id: this.nextAssignmentId++,
      agent,
      offeredAt: batch.now,
      acceptedAt: null,
      by: movedBy === null ? 'routing' : 'supervisor',
      explanation: explain(agent.name, why, entry),
      why,
    };
    this.index.unwait(entry);
    entry.assignment = assignment;
    agent.load[entry.kind]++;
    agent.idleSince = batch.now;
    agent.holding.add(entry);
    this.index.relist(agent);
    batch.offers.push({ entry, assignment });
    batch.moves.push({ id: entry.interactionId, from: 'queued', to: 'assigned', actor: movedBy ?? 'routing', reason: assignment.explanation });
    batch.agents.add(agent);
    batch.changes.push({ type: 'assignment', assignment: this.assignmentView(entry, assignment, null) });
  }

  /** Ends an entry's open assignment; the agent's slot frees (and the agent looks for more work). */
  private endAssignment(batch: Batch, entry: RoutedEntry, reason: AssignmentEndName, detail: string, actor = 'routing'): void {
    const assignment = entry.assignment;
    if (!assignment) return;
    batch.mutated = true;
    const agent = assignment.agent;
    entry.assignment = null;
    agent.load[entry.kind]--;
    agent.holding.delete(entry);
    if (reason === 'completed') agent.idleSince = batch.now;
    this.index.relist(agent);
    batch.ends.push({ id: assignment.id, reason, detail });
    if (reason !== 'completed') batch.moves.push({ id: entry.interactionId, from: 'assigned', to: 'queued', actor, reason: detail });
    batch.agents.add(agent);
    batch.agentTriggers.add(agent);
    batch.changes.push({ type: 'assignment', assignment: this.assignmentView(entry, assignment, { at: batch.now, reason, detail }) });
  }

  /** Back to the front of its queue. */
  private giveBack(batch: Batch, entry: RoutedEntry, detail: string): void {
    this.endAssignment(batch, entry, 'returned', detail);
    entry.returned = true;
    this.index.wait(entry, batch.now);
    batch.entries.add(entry);
    batch.entryTriggers.add(entry);
    batch.changes.push({ type: 'waiting', entry: this.entryView(entry), cause: 'returned', detail });
  }

  private changeState(batch: Batch, agent: RoutedAgent, next: AgentState): void {
    const reason = next.state === 'not-ready' ? next.reason : null;
    if (agent.state === next.state && agent.reason === reason) return;
    batch.mutated = true;
    const wasReady = agent.state === 'ready';
    this.index.changeAgent(agent, (a) => {
      a.state = next.state;
      a.reason = reason;
      a.stateSince = batch.now;
      if (next.state === 'ready' && !wasReady) a.idleSince = batch.now;
    });
    batch.agents.add(agent);
    if (next.state !== 'ready') {
      const why = next.state === 'offline' ? `${agent.name} went offline` : `${agent.name} is not ready (${reason})`;
      const giveBack = [...agent.holding].filter((entry) => next.state === 'offline' || entry.assignment?.acceptedAt === null);
      giveBack.sort((a, b) => a.assignment!.offeredAt - b.assignment!.offeredAt || a.interactionId - b.interactionId);
      for (const entry of giveBack) this.giveBack(batch, entry, why);
    } else {
      batch.agentTriggers.add(agent);
    }
    batch.changes.push({ type: 'agent', agent: this.agentView(agent) });
  }

  private changeDefinition(batch: Batch, agent: RoutedAgent, definition: AgentDefinition): void {
    batch.mutated = true;
    this.index.changeAgent(agent, (a) => {
      a.name = definition.name;
      a.skills = new Map(Object.entries(definition.skills));
      a.groups = new Set(definition.groups);
      a.capacity = { public: definition.capacity.public, private: definition.capacity.private };
    });
    batch.agentTriggers.add(agent);
    batch.changes.push({ type: 'agent', agent: this.agentView(agent) });
  }

  private async createAgent(definition: AgentDefinition): Promise<Agent> {
    const now = this.clock.now();
    const id = await this.db.transaction((tx) => insertAgentRow(tx, agentDefinitionRow(definition), now));
    const agent = routedAgent(
      { id, name: definition.name, public_capacity: definition.capacity.public, private_capacity: definition.capacity.private, state: 'offline', not_ready_reason: null, state_since: now, idle_since: now },
      Object.entries(definition.skills).map(([skill, level]) => ({ skill, level })),
      definition.groups,
    );
    this.index.addAgent(agent);
    const view = this.agentView(agent);
    this.emit([{ type: 'agent', agent: view }]);
    return view;
  }

  // ---------------------------------------------------------------------------------------------
  // Running and committing

  /** Runs `task` after every task before it has settled. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * One change: `work` decides in memory and records what to write; the batch's triggers are
   * routed; everything commits in one transaction; then the changes are reported. A failure
   * rebuilds the memory from the store (and a stale interaction retries once).
   */
  private op<T>(work: (batch: Batch) => T | Promise<T>, queued = true): Promise<T> {
    const run = async (): Promise<T> => {
      this.mustHaveStarted('routing');
      for (let attempt = 0; ; attempt++) {
        const batch = newBatch(this.clock.now());
        try {
          const result = await work(batch);
          this.dispatch(batch);
          await this.commit(batch);
          this.emit(batch.changes);
          this.reschedule();
          return result;
        } catch (error) {
          if (batch.mutated || error instanceof StaleInteraction) this.index = await this.rebuild(this.clock.now());
          if (error instanceof StaleInteraction && attempt === 0) {
            this.logger.warn('routing found an interaction changed outside it; rebuilt and retrying', { error: error.message });
            continue;
          }
          throw error;
        }
      }
    };
    return queued ? this.serial(run) : run();
  }

  private async commit(batch: Batch): Promise<void> {
    if (!batch.mutated && batch.writes.length === 0) return;
    const entryRowsToWrite = [...batch.entries].filter((entry) => !batch.deleted.has(entry.interactionId));
    await this.db.transaction(async (tx) => {
      for (const write of batch.writes) await write(tx);
      for (const end of batch.ends) {
        if (!(await endAssignmentRow(tx, { id: end.id, at: batch.now, reason: end.reason, detail: end.detail }))) throw new StaleInteraction(`assignment ${end.id} was already ended`);
      }
      // In order: giving back (assigned -> queued) may come before offering again (queued -> assigned).
      for (const move of batch.moves) {
        if (!(await moveInteraction(tx, { id: move.id, from: move.from, to: move.to, at: batch.now, actor: move.actor, reason: move.reason }))) {
          throw new StaleInteraction(`interaction ${move.id} is no longer ${move.from}`);
        }
      }
      await insertAssignmentRows(
        tx,
        batch.offers.map(({ entry, assignment }) => ({
          id: assignment.id,
          interaction_id: entry.interactionId,
          agent_id: assignment.agent.id,
          queue_id: entry.target.queueId,
          group_name: entry.target.group,
          work_kind: entry.kind,
          entered_at: entry.enteredAt,
          offered_at: assignment.offeredAt,
          offered_by: assignment.by,
          explanation: assignment.explanation,
          why: JSON.stringify(assignment.why),
        })),
      );
      for (const assignment of batch.accepts) await acceptAssignmentRow(tx, assignment.id, assignment.acceptedAt ?? batch.now);
      await updateEntryRows(
        tx,
        entryRowsToWrite.map((entry) => ({
          interactionId: entry.interactionId,
          queueId: entry.target.queueId,
          group: entry.target.group,
          priority: entry.priority,
          queueEnteredAt: entry.queueEnteredAt,
          returned: entry.returned,
          answeredAt: entry.answeredAt,
        })),
      );
      await deleteEntryRows(tx, [...batch.deleted]);
      await updateAgentRuntimeRows(
        tx,
        [...batch.agents].map((agent) => ({ id: agent.id, state: agent.state, reason: agent.reason, stateSince: agent.stateSince, idleSince: agent.idleSince })),
        batch.now,
      );
    });
  }

  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    // The reads in here queue behind the caller's transaction: they see the entry committed, or
    // not at all if it rolled back.
    void this.op(async (batch) => {
      this.pumpQueued = false;
      const ids = [...this.pending];
      this.pending.clear();
      const rows = await entryRows(this.db, ids);
      for (const row of rows) {
        if (this.index.entries.has(row.interaction_id)) continue;
        const target = row.queue_id !== null ? this.index.queueTarget(row.queue_id) : this.index.groupTarget(row.group_name ?? '');
        if (!target) continue; // its queue is gone: the next start logs it
        const entry = routedEntry(row, target);
        batch.mutated = true;
        this.index.addEntry(entry, batch.now);
        batch.entryTriggers.add(entry);
        batch.changes.push({ type: 'waiting', entry: this.entryView(entry), cause: 'entered', detail: `entered ${target.name}` });
      }
    }).catch((error: unknown) => this.logger.error('routing new interactions failed', { error }));
  }

  private reschedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped) return;
    const due = this.nextDueAt();
    if (due === null) return;
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, due - this.clock.now()));
    this.cancelTimer = this.timers.schedule(() => {
      this.cancelTimer = null;
      this.tick().catch((error: unknown) => this.logger.error('routing tick failed', { error }));
    }, wait);
  }

  private emit(changes: readonly RoutingChange[]): void {
    const listener = this.options.onChange;
    if (!listener) return;
    for (const change of changes) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error('a routing change listener failed', { error });
      }
    }
  }

  private mustHaveStarted(what: string): void {
    if (!this.started) refuse('unavailable', `${what}: routing has not started`);
    if (this.stopped) refuse('unavailable', `${what}: routing has stopped`);
  }

  /** Repairs what changes made outside routing left inconsistent, then rebuilds the indexes from the store. */
  private async rebuild(now: number): Promise<RoutingIndex> {
    const repaired = await this.db.transaction((tx) => repairRouting(tx, now));
    if (repaired.dropped + repaired.requeued + repaired.ended > 0) this.logger.info('routing repaired entries changed outside it', { ...repaired });
    return this.build(now);
  }

  private async build(now: number): Promise<RoutingIndex> {
    const rows = await loadRoutingRows(this.db);
    const index = new RoutingIndex();
    const skillsOf = groupBy(rows.agentSkills, (row) => row.agent_id);
    const groupsOf = groupBy(rows.agentGroups, (row) => row.agent_id);
    for (const row of rows.agents) {
      index.addAgent(routedAgent(row, skillsOf.get(row.id) ?? [], (groupsOf.get(row.id) ?? []).map((g) => g.group_name)));
    }
    const needsOf = groupBy(rows.queueSkills, (row) => row.queue_id);
    for (const row of rows.queues) {
      const overflow =
        row.overflow_after_ms !== null && row.overflow_every_ms !== null && row.overflow_level_drop !== null
          ? { afterMs: row.overflow_after_ms, everyMs: row.overflow_every_ms, levelDrop: row.overflow_level_drop }
          : null;
      index.putTarget(
        newTarget({
          queueId: row.id,
          group: null,
          name: row.name,
          priority: row.priority,
          serviceLevel: { percent: row.service_level_percent, withinMs: row.service_level_within_ms },
          overflow,
          needs: (needsOf.get(row.id) ?? []).map((need) => ({ skill: need.skill, minLevel: need.min_level })),
        }),
        now,
      );
    }
    const open = new Map(rows.openAssignments.map((row) => [row.interaction_id, row]));
    for (const row of rows.entries) {
      const target = row.queue_id !== null ? index.queueTarget(row.queue_id) : index.groupTarget(row.group_name ?? '');
      if (!target) continue;
      const entry = routedEntry(row, target);
      const assignment = open.get(row.interaction_id);
      const agent = assignment ? index.agents.get(assignment.agent_id) : undefined;
      if (assignment && agent) {
        entry.assignment = {
          id: assignment.id,
          agent,
          offeredAt: assignment.offered_at,
          acceptedAt: assignment.accepted_at,
          by: assignment.offered_by,
          explanation: assignment.explanation,
          why: parseWhy(assignment.why),
        };
        index.changeAgent(agent, (a) => {
          a.load[entry.kind]++;
          a.holding.add(entry);
        });
      }
      index.addEntry(entry, now);
    }
    this.nextAssignmentId = rows.lastAssignmentId + 1;
    return index;
  }

  // ---------------------------------------------------------------------------------------------
  // Views

  private agentView(agent: RoutedAgent): Agent {
    return {
      id: agent.id,
      name: agent.name,
      skills: Object.fromEntries([...agent.skills].sort(([a], [b]) => a.localeCompare(b))),
      groups: [...agent.groups].sort(),
      capacity: { ...agent.capacity },
      load: { ...agent.load },
      state: agent.state === 'not-ready' ? { state: 'not-ready', reason: agent.reason ?? 'not ready' } : { state: agent.state },
      stateSince: agent.stateSince,
      idleSince: agent.idleSince,
    };
  }

  private entryView(entry: RoutedEntry): QueueEntry {
    return {
      interactionId: entry.interactionId,
      queueId: entry.target.queueId,
      group: entry.target.group,
      priority: entry.priority,
      workKind: entry.kind,
      enteredAt: entry.enteredAt,
      queueEnteredAt: entry.queueEnteredAt,
      returned: entry.returned,
      overflowStep: entry.step,
      assignedTo: entry.assignment?.agent.id ?? null,
    };
  }

  private assignmentView(entry: RoutedEntry, assignment: RoutedAssignment, end: { at: number; reason: AssignmentEndName; detail: string } | null): Assignment {
    return {
      id: assignment.id,
      interactionId: entry.interactionId,
      agentId: assignment.agent.id,
      agentName: assignment.agent.name,
      queueId: entry.target.queueId,
      group: entry.target.group,
      workKind: entry.kind,
      offeredAt: assignment.offeredAt,
      acceptedAt: assignment.acceptedAt,
      endedAt: end?.at ?? null,
      endReason: end?.reason ?? null,
      endDetail: end?.detail ?? null,
      by: assignment.by,
      explanation: assignment.explanation,
      why: assignment.why,
    };
  }

  private assignmentFromRow(row: AssignmentRow): Assignment {
    return {
      id: row.id,
      interactionId: row.interaction_id,
      agentId: row.agent_id,
      agentName: this.index.agents.get(row.agent_id)?.name ?? `agent ${row.agent_id}`,
      queueId: row.queue_id,
      group: row.group_name,
      workKind: row.work_kind,
      offeredAt: row.offered_at,
      acceptedAt: row.accepted_at,
      endedAt: row.ended_at,
      endReason: row.end_reason,
      endDetail: row.end_detail,
      by: row.offered_by,
      explanation: row.explanation,
      why: parseWhy(row.why),
    };
  }

  private targetSnapshot(target: RoutingTarget, now: number, answered: { answered: number; within: number } | undefined): QueueSnapshot {
    let waiting = 0;
    let oldest: number | null = null;
    let lateUnanswered = 0;
    for (const entry of target.entries) {
      if (entry.assignment !== null) continue;
      waiting++;
      if (oldest === null || entry.enteredAt < oldest) oldest = entry.enteredAt;
      if (target.serviceLevel && entry.answeredAt === null && now - entry.enteredAt > target.serviceLevel.withinMs) lateUnanswered++;
    }
    const counted = (answered?.answered ?? 0) + lateUnanswered;
    let agentsReady = 0;
    let agentsBusy = 0;
    let agentsNotReady = 0;
    for (const agent of this.index.agents.values()) {
      if (agent.state === 'offline' || firstStepFor(agent, target) !== 0) continue;
      if (agent.state === 'not-ready') agentsNotReady++;
      else if (WORK_KINDS.some((kind) => hasFreeSlot(agent, kind))) agentsReady++;
      else agentsBusy++;
    }
    return {
      queueId: target.queueId,
      group: target.group,
      name: target.name,
      waiting,
      oldestWaitMs: oldest === null ? null : Math.max(0, now - oldest),
      serviceLevelToday: target.serviceLevel && counted > 0 ? Math.round((1000 * (answered?.within ?? 0)) / counted) / 10 : null,
      serviceLevelTarget: target.serviceLevel,
      agentsReady,
      agentsBusy,
      agentsNotReady,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Rows to memory

function routedAgent(row: AgentRow, skills: ReadonlyArray<{ skill: string; level: number }>, groups: readonly string[]): RoutedAgent {
  return {
    id: row.id,
    name: row.name,
    skills: new Map(skills.map((s) => [s.skill, s.level])),
    groups: new Set(groups),
    capacity: { public: row.public_capacity, private: row.private_capacity },
    load: { public: 0, private: 0 },
    state: row.state,
    reason: row.not_ready_reason,
    stateSince: row.state_since,
    idleSince: row.idle_since,
    holding: new Set(),
    listed: { public: false, private: false },
  };
}

function routedEntry(row: EntryRow, target: RoutingTarget): RoutedEntry {
  return {
    interactionId: row.interaction_id,
    target,
    priority: row.priority,
    kind: row.work_kind,
    enteredAt: row.entered_at,
    queueEnteredAt: row.queue_entered_at,
    returned: row.returned === 1,
    answeredAt: row.answered_at,
    step: 0,
    nextStepAt: Infinity,
    assignment: null,
    heapPos: -1,
    stepPos: -1,
  };
}

function queueTarget(id: number, definition: QueueDefinition): RoutingTarget {
  return newTarget({
    queueId: id,
    group: null,
    name: definition.name,
    priority: definition.priority,
    serviceLevel: definition.serviceLevel,
    overflow: definition.overflow,
    needs: definition.skills,
  });
}

function queueView(target: RoutingTarget): Queue {
  return {
    id: target.queueId ?? 0,
    name: target.name,
    skills: target.steps[0]!.needs.map((need) => ({ skill: need.skill, minLevel: need.minLevel })),
    priority: target.priority,
    serviceLevel: target.serviceLevel ?? { percent: 80, withinMs: 900_000 },
    overflow: target.overflow,
  };
}

function agentDefinitionRow(definition: AgentDefinition): AgentDefinitionRow {
  return {
    name: definition.name,
    publicCapacity: definition.capacity.public,
    privateCapacity: definition.capacity.private,
    skills: Object.entries(definition.skills),
    groups: definition.groups,
  };
}

function queueDefinitionRow(definition: QueueDefinition): QueueDefinitionRow {
  return {
    name: definition.name,
    priority: definition.priority,
    serviceLevelPercent: definition.serviceLevel.percent,
    serviceLevelWithinMs: definition.serviceLevel.withinMs,
    overflow: definition.overflow,
    skills: definition.skills,
  };
}

function describeNeeds(needs: ReadonlyArray<{ skill: string; minLevel: number }>): string {
  return needs.length === 0 ? 'no skills required' : needs.map((need) => `${need.skill} ≥ ${need.minLevel}`).join(', ');
}

function parseWhy(json: string): AssignmentReason {
  return AssignmentReason.parse(JSON.parse(json));
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}
