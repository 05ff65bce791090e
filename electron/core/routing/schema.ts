/**
 * Routing's runtime schemas: agents (skills, groups, capacity, state), queues (required skills,
 * priority, service level, overflow), the interactions waiting in them, assignments with their
 * explanation, queue snapshots and the changes the router reports.
 *
 * This module is zod only (no Node, no DOM) so the contract can re-export it and the console can
 * check a form before sending it. The checks that need the desk's data (duplicate names, unknown
 * queues) live in validate.ts and router.ts.
 *
 * Words:
 *   - skill names and group names are trimmed and lower-cased ("Billing " is "billing");
 *   - a level runs from 1 (beginner) to 10 (expert);
 *   - priority runs from 0 to 100, higher first; an interaction without one takes its queue's;
 *   - capacity is per kind of work: how many public threads and how many private chats an agent
 *     holds at once (offered or accepted); the two pools are separate, 0 means "none of that kind".
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Limits

export const SKILL_LEVEL_MIN = 1;
export const SKILL_LEVEL_MAX = 10;
export const MAX_CAPACITY = 20;
export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 100;
export const DEFAULT_PRIORITY = 50;
const MAX_NAME = 80;
const MAX_SKILL_NAME = 40;
const MAX_SKILLS_PER_AGENT = 50;
const MAX_SKILLS_PER_QUEUE = 10;
const MAX_GROUPS_PER_AGENT = 20;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_SERVICE_LEVEL = { percent: 80, withinMs: 15 * MINUTE } as const;
/** Relax after 5 minutes in the queue, then every 5 minutes, 2 levels at a time. */
export const DEFAULT_OVERFLOW = { afterMs: 5 * MINUTE, everyMs: 5 * MINUTE, levelDrop: 2 } as const;

const idMessage = (issue: { input?: unknown }) => `must be a positive whole number (got ${shown(issue.input)})`;
const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));
const Id = z.number({ error: idMessage }).int({ error: idMessage }).positive({ error: idMessage });
const Instant = z.number().int().nonnegative();


/** A whole number in [min, max]; the message says the range and what came. */
function wholeNumber(min: number, max: number) {
  const message = (issue: { input?: unknown }) => `must be a whole number from ${min} to ${max} (got ${shown(issue.input)})`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

// ---------------------------------------------------------------------------------------------
// Words

export const WorkKind = z.enum(['public', 'private']);
export type WorkKind = z.infer<typeof WorkKind>;
export const WORK_KINDS: readonly WorkKind[] = WorkKind.options;

/**
 * The kind of work an inbound message makes: public threads (X mentions and replies, Facebook
 * visitor posts, comments and replies) or private chats (X DMs, Messenger).
 */
export function workKindOf(kind: string): WorkKind {
  return kind === 'x.dm' || kind === 'messenger.message' || kind === 'facebook.private-reply' ? 'private' : 'public';
}

function normalizedName(value: string): string {
  return value.trim().toLowerCase();
}

/** A skill or group name: trimmed, lower-cased, 1 to 40 characters. */
export const SkillName = z
  .string({ error: 'must be a name' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'must not be empty' })
  .max(MAX_SKILL_NAME, { error: `must be at most ${MAX_SKILL_NAME} characters` });
export const GroupName = SkillName;

export const SkillLevel = wholeNumber(SKILL_LEVEL_MIN, SKILL_LEVEL_MAX);
export const Capacity = wholeNumber(0, MAX_CAPACITY);
export const Priority = wholeNumber(PRIORITY_MIN, PRIORITY_MAX);

const DisplayName = z
  .string({ error: 'must be a name' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(MAX_NAME, { error: `must be at most ${MAX_NAME} characters` });

// ---------------------------------------------------------------------------------------------
// Agents

/** Skill -> level, e.g. { billing: 8, spanish: 5 }. Names are normalized; a name given twice is refused. */
export const AgentSkills = z
  .record(z.string(), SkillLevel)
  .superRefine((skills, ctx) => {
    const seen = new Map<string, string>();
    for (const key of Object.keys(skills)) {
      const name = normalizedName(key);
      if (name.length === 0) ctx.addIssue({ code: 'custom', path: [key], message: 'a skill needs a name' });
      else if (name.length > MAX_SKILL_NAME) ctx.addIssue({ code: 'custom', path: [key], message: `a skill name is at most ${MAX_SKILL_NAME} characters` });
      else if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [key], message: `is the same skill as ${shown(seen.get(name))}` });
      seen.set(name, key);
    }
    if (seen.size > MAX_SKILLS_PER_AGENT) ctx.addIssue({ code: 'custom', message: `at most ${MAX_SKILLS_PER_AGENT} skills per agent` });
  })
  .transform((skills) => Object.fromEntries(Object.entries(skills).map(([key, level]) => [normalizedName(key), level])));

export const AgentCapacity = z.strictObject({ public: Capacity, private: Capacity });
export type AgentCapacity = z.infer<typeof AgentCapacity>;

/** Refuses a name listed twice (names are already normalized). */
function uniqueNames(names: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [index], message: `${shown(name)} is listed twice` });
    seen.add(name);
  });
}

/** What a form sends to create (no id) or change (id) an agent. A new agent starts offline. */
export const AgentInput = z.strictObject({
  id: Id.optional(),
  name: DisplayName,
  skills: AgentSkills.default({}),
  groups: z
    .array(GroupName)
    .max(MAX_GROUPS_PER_AGENT, { error: `at most ${MAX_GROUPS_PER_AGENT} groups per agent` })
    .superRefine(uniqueNames)
    .default([]),
  capacity: AgentCapacity,
});
export type AgentInput = z.input<typeof AgentInput>;
export type AgentDefinition = z.output<typeof AgentInput>;

/** Ready takes work; not ready (with a reason: break, training, a missed offer) and offline do not. */
export const AgentState = z.discriminatedUnion(
  'state',
  [
    z.strictObject({ state: z.literal('ready') }),
    z.strictObject({
      state: z.literal('not-ready'),
      reason: z.string({ error: 'must say why' }).trim().min(1, { error: 'must say why' }).max(200, { error: 'must be at most 200 characters' }),
    }),
    z.strictObject({ state: z.literal('offline') }),
  ],
  { error: 'must be ready, not-ready (with a reason) or offline' },
);
export type AgentState = z.infer<typeof AgentState>;
export type AgentStateName = AgentState['state'];

export const Agent = z.strictObject({
  id: Id,
  name: z.string(),
  skills: z.record(z.string(), z.number().int()),
  groups: z.array(z.string()),
  capacity: AgentCapacity,
  /** Work held now (offered or accepted), per kind. */
  load: z.strictObject({ public: z.number().int().nonnegative(), private: z.number().int().nonnegative() }),
  state: AgentState,
  stateSince: Instant,
  /** Since when the agent has had nothing new: became ready, was offered work, or finished some. */
  idleSince: Instant,
});
export type Agent = z.infer<typeof Agent>;

// ---------------------------------------------------------------------------------------------
// Queues

export const SkillNeed = z.strictObject({ skill: SkillName, minLevel: SkillLevel });
export type SkillNeed = z.infer<typeof SkillNeed>;

export const ServiceLevel = z.strictObject({
  percent: wholeNumber(1, 100),
  withinMs: wholeNumber(1_000, 7 * DAY),
});
export type ServiceLevel = z.infer<typeof ServiceLevel>;

/**
 * Overflow: after `afterMs` in the queue the skill requirement relaxes one step, then one more
 * every `everyMs`. A step lowers every required minimum by `levelDrop` (not below 1); once all
 * minimums are 1, a step drops the least important skill (the last listed). The most important
 * skill is never dropped. Null: the requirement never relaxes.
 */
export const Overflow = z.strictObject({
  afterMs: wholeNumber(1_000, 7 * DAY),
  everyMs: wholeNumber(1_000, 7 * DAY),
  levelDrop: wholeNumber(1, SKILL_LEVEL_MAX - 1),
});
export type Overflow = z.infer<typeof Overflow>;

/** What a form sends to create (no id) or change (id) a queue. Skills are listed most important first. */
export const QueueInput = z.strictObject({
  id: Id.optional(),
  name: DisplayName,
  skills: z
    .array(SkillNeed)
    .max(MAX_SKILLS_PER_QUEUE, { error: `at most ${MAX_SKILLS_PER_QUEUE} required skills per queue` })
    .superRefine((needs, ctx) => uniqueNames(needs.map((need) => need.skill), ctx))
    .default([]),
  priority: Priority.default(DEFAULT_PRIORITY),
  serviceLevel: ServiceLevel.default({ ...DEFAULT_SERVICE_LEVEL }),
  overflow: Overflow.nullable().default({ ...DEFAULT_OVERFLOW }),
});
export type QueueInput = z.input<typeof QueueInput>;
export type QueueDefinition = z.output<typeof QueueInput>;

export const Queue = z.strictObject({
  id: Id,
  name: z.string(),
  skills: z.array(z.strictObject({ skill: z.string(), minLevel: z.number().int() })),
  priority: z.number().int(),
  serviceLevel: ServiceLevel,
  overflow: Overflow.nullable(),
});
export type Queue = z.infer<typeof Queue>;

// ---------------------------------------------------------------------------------------------
// Where an interaction goes

/** A queue (with the rule's priority, or the queue's), or an agent group (R13: X DMs to a team). */
export const EnqueueTarget = z.union(
  [z.strictObject({ queueId: Id, priority: Priority.optional() }), z.strictObject({ group: GroupName, priority: Priority.optional() })],
  { error: 'must be { queueId, priority? } or { group, priority? }' },
);
export type EnqueueTarget = z.input<typeof EnqueueTarget>;

/** A supervisor's move: to another queue or group (waits there), or straight to an agent. */
export const MoveTarget = z.union(
  [
    z.strictObject({ queueId: Id, priority: Priority.optional() }),
    z.strictObject({ group: GroupName, priority: Priority.optional() }),
    z.strictObject({ agentId: Id }),
  ],
  { error: 'must be { queueId, priority? }, { group, priority? } or { agentId }' },
);
export type MoveTarget = z.input<typeof MoveTarget>;

/** An interaction in routing: waiting (assignedTo null) or assigned. */
export const QueueEntry = z.strictObject({
  interactionId: Id,
  queueId: Id.nullable(),
  group: z.string().nullable(),
  priority: z.number().int(),
  workKind: WorkKind,
  /** When it first entered routing: its age, for queue order and service level. */
  enteredAt: Instant,
  /** When it entered its current queue or group: the overflow clock. */
  queueEnteredAt: Instant,
  /** Given back (agent not ready, offline, or no accept): it waits at the front. */
  returned: z.boolean(),
  overflowStep: z.number().int().nonnegative(),
  assignedTo: Id.nullable(),
});
export type QueueEntry = z.infer<typeof QueueEntry>;

// ---------------------------------------------------------------------------------------------
// Assignments

export const AssignmentReason = z.strictObject({
  /** The requirement the agent met, skill by skill (after overflow). */
  skills: z.array(z.strictObject({ skill: z.string(), level: z.number().int(), minLevel: z.number().int(), configuredMinLevel: z.number().int() })),
  /** Skills overflow no longer required. */
  droppedSkills: z.array(z.string()),
  overflowStep: z.number().int().nonnegative(),
  group: z.string().nullable(),
  idleMs: z.number().int().nonnegative(),
  /** Slots of this kind in use before this assignment, and the agent's capacity. */
  slotsUsed: z.number().int().nonnegative(),
  slots: z.number().int().nonnegative(),
  /** The supervisor who moved it to this agent; null when routing chose. */
  movedBy: z.string().nullable(),
});
export type AssignmentReason = z.infer<typeof AssignmentReason>;

export const AssignmentEnd = z.enum(['completed', 'returned', 'moved']);
export type AssignmentEnd = z.infer<typeof AssignmentEnd>;

export const Assignment = z.strictObject({
  id: Id,
  interactionId: Id,
  agentId: Id,
  agentName: z.string(),
  queueId: Id.nullable(),
  group: z.string().nullable(),
  workKind: WorkKind,
  offeredAt: Instant,
  acceptedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  endReason: AssignmentEnd.nullable(),
  /** Why it ended, in words ("Ana went offline", "not accepted within 60 s"). */
  endDetail: z.string().nullable(),
  by: z.enum(['routing', 'supervisor']),
  /** "Ana: billing 8 ≥ 6, idle 14 min, 1 of 3 public slots used" */
  explanation: z.string(),
  why: AssignmentReason,
});
export type Assignment = z.infer<typeof Assignment>;

// ---------------------------------------------------------------------------------------------
// What the console shows

/**
 * One queue (or agent group) now. `serviceLevelToday` is a percentage: of the interactions
 * first accepted today from this queue, plus those still waiting past the target, the share
 * accepted within the target; null when there is none yet (and for groups, which have no
 * target). Agents counted are those with the queue's configured skills (a group's members),
 * not offline: ready with a free slot, busy (ready, every slot full), not ready.
 */
export const QueueSnapshot = z.strictObject({
  queueId: Id.nullable(),
  group: z.string().nullable(),
  name: z.string(),
  waiting: z.number().int().nonnegative(),
  oldestWaitMs: z.number().int().nonnegative().nullable(),
  serviceLevelToday: z.number().min(0).max(100).nullable(),
  serviceLevelTarget: ServiceLevel.nullable(),
  agentsReady: z.number().int().nonnegative(),
  agentsBusy: z.number().int().nonnegative(),
  agentsNotReady: z.number().int().nonnegative(),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

/** What the router reports after each change it commits. */
export const RoutingChange = z.discriminatedUnion('type', [
  /** An interaction waits: it entered, was given back, was moved, or its requirement relaxed. */
  z.strictObject({ type: z.literal('waiting'), entry: QueueEntry, cause: z.enum(['entered', 'returned', 'moved', 'relaxed']), detail: z.string() }),
  /** An assignment was offered, accepted or ended. */
  z.strictObject({ type: z.literal('assignment'), assignment: Assignment }),
  /** An interaction left routing (released when completed, or gone from the desk). */
  z.strictObject({ type: z.literal('left'), interactionId: Id }),
  z.strictObject({ type: z.literal('agent'), agent: Agent }),
  z.strictObject({ type: z.literal('queue'), queue: Queue }),
]);
export type RoutingChange = z.infer<typeof RoutingChange>;
