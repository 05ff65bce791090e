/**
 * Routing's commands and events (R8, R13, R17): agents and their state, queues, what waits and
 * why each assignment went where it did, and a supervisor's moves.
 */
import { z } from 'zod';
import { Agent, AgentInput, AgentState, Assignment, MoveTarget, Queue, QueueEntry, QueueInput, QueueSnapshot, RoutingChange } from '../routing/schema';
import { RuleDecision } from '../rules/schema';
import { DeskState, EpochMs, Empty, Id, InteractionState, Limit, Message, type CommandSpec, type EventSpec } from './words';

export {
  Agent,
  AgentCapacity,
  AgentInput,
  AgentState,
  Assignment,
  AssignmentReason,
  MoveTarget,
  Queue,
  QueueEntry,
  QueueInput,
  QueueSnapshot,
  RoutingChange,
  ServiceLevel,
  Overflow,
  WorkKind,
  SKILL_LEVEL_MIN,
  SKILL_LEVEL_MAX,
  MAX_CAPACITY,
  DEFAULT_PRIORITY,
  DEFAULT_SERVICE_LEVEL,
  DEFAULT_OVERFLOW,
} from '../routing/schema';
export type { AgentStateName } from '../routing/schema';

export const RoutingView = z.strictObject({
  now: EpochMs,
  agents: z.array(Agent),
  queues: z.array(Queue),
  /** Every agent group some agent belongs to, or some rule routes to. */
  groups: z.array(z.string()),
  /** One tile per queue and per agent group that has members or waiting work. */
  snapshot: z.array(QueueSnapshot),
  /** Work held while the desk is closed (R5-R7): it enters its queue when the desk reopens. */
  heldUntilOpen: z.strictObject({ count: z.number().int().nonnegative(), oldestAt: EpochMs.nullable() }),
});
export type RoutingView = z.infer<typeof RoutingView>;

/** One interaction waiting (or assigned) in routing, with what a supervisor needs to read it. */
export const WaitingItem = z.strictObject({
  entry: QueueEntry,
  contactId: Id,
  contactName: z.string(),
  platform: z.enum(['x', 'facebook', 'messenger']),
  kind: z.string(),
  text: z.string(),
  /** The name of the agent it is offered to or held by. */
  agentName: z.string().nullable(),
});
export type WaitingItem = z.infer<typeof WaitingItem>;

/** Waiting per queue over time, sampled each minute; the chart on the Queues page. */
export const QueueHistory = z.strictObject({
  from: EpochMs,
  to: EpochMs,
  series: z.array(z.strictObject({ key: z.string(), name: z.string(), points: z.array(z.strictObject({ at: EpochMs, waiting: z.number().int().nonnegative() })) })),
});
export type QueueHistory = z.infer<typeof QueueHistory>;

export const InteractionStateChange = z.strictObject({ at: EpochMs, from: InteractionState.nullable(), to: InteractionState, actor: z.string(), reason: z.string().nullable() });

/** One interaction with the whole story: its message, the rule's decision, the calendar then, routing. */
export const InteractionDetail = z.strictObject({
  id: Id,
  state: InteractionState,
  createdAt: EpochMs,
  contact: z.strictObject({ id: Id, displayName: z.string() }),
  message: Message,
  /** What the rules decided, and why (null for interactions older than the rules). */
  decision: RuleDecision.nullable(),
  calendarOnArrival: DeskState.nullable(),
  entry: QueueEntry.nullable(),
  /** Every offer of it to an agent, oldest first, each saying why that agent. */
  assignments: z.array(Assignment),
  history: z.array(InteractionStateChange),
});
export type InteractionDetail = z.infer<typeof InteractionDetail>;

export const routingCommands = {
  getRouting: {
    summary: 'Agents (state, load, skills), queues, agent groups, and a tile per queue: waiting, oldest wait, service level today, agents ready / busy / not ready.',
    input: Empty,
    output: RoutingView,
  },
  saveAgent: {
    summary: 'Creates (no id) or changes an agent: name, skills with levels 1-10, groups, capacity per kind of work. A new agent starts offline. Audited.',
    input: AgentInput,
    output: Agent,
  },
  setAgentState: {
    summary: 'Ready, not ready (with a reason) or offline. Going not ready gives back offers not yet accepted; offline gives back everything.',
    input: z.strictObject({ agentId: Id, state: AgentState }),
    output: Agent,
  },
  saveQueue: {
    summary: 'Creates (no id) or changes a queue: required skills with minimum levels (most important first), priority, service-level target, overflow. Audited.',
    input: QueueInput,
    output: Queue,
  },
  listWaiting: {
    summary: 'The interactions in one queue or agent group (or all), in the order they will be taken: given back first, then priority, then age.',
    input: z.strictObject({ queueId: Id.optional(), group: z.string().max(64).optional(), limit: Limit(500, 100) }),
    output: z.strictObject({ items: z.array(WaitingItem), total: z.number().int().nonnegative() }),
  },
  readQueueHistory: {
    summary: 'How many waited in each queue and group, minute by minute, over the last hours.',
    input: z.strictObject({ hours: z.number().int().min(1).max(48).default(4) }),
    output: QueueHistory,
  },
  getInteraction: {
    summary: 'One interaction: its message, the rule that decided and why, the calendar on arrival, where it waits and each assignment with why that agent, and its state history.',
    input: z.strictObject({ interactionId: Id }),
    output: InteractionDetail,
  },
  moveInteraction: {
    summary: 'A supervisor moves an interaction to another queue or group (it waits there from now) or straight to a ready agent with a free slot. Recorded in its history.',
    input: z.strictObject({ interactionId: Id, to: MoveTarget }),
    output: QueueEntry,
  },
  acceptInteraction: {
    summary: 'The agent accepts work offered to them (before the accept timeout gives it back).',
    input: z.strictObject({ interactionId: Id, agentId: Id }),
    output: Assignment,
  },
} as const satisfies Record<string, CommandSpec>;

export const routingEvents = {
  routingChanged: { summary: 'Routing changed: something entered or left a queue, was offered, accepted or given back; an agent or queue changed.', payload: RoutingChange },
} as const satisfies Record<string, EventSpec>;
