/** Routing's commands: agents, queues, what waits, one interaction's story, a supervisor's moves (api/routing.ts). */
import { DeskFailure, RuleDecision, type InteractionDetail, type QueueEntry, type WaitingItem } from '../contract';
import type { routingCommands } from '../api/routing';
import { audit, type CallContext, type DeskParts, type HandlersFor } from '../commands';
import { appendAudit } from '../store/audit';
import { currentRulesView } from './rules';
import { queueKey } from '../queue-sampler';
import { interactionHistory } from '../store/interactions';
import { countInState, interactionRecord, interactionSummaries } from '../store/interaction-detail';
import { readQueueSamples, readRuleDecision, renameRouteQueue } from '../store/rule-decisions';

export function routingHandlers(parts: DeskParts): HandlersFor<typeof routingCommands> {
  const { router, store, clock } = parts;
  return {
    getRouting: async () => {
      const snapshot = await router.snapshot();
      const agents = router.agents();
      const groups = new Set<string>(agents.flatMap((agent) => agent.groups));
      for (const tile of snapshot) if (tile.group !== null) groups.add(tile.group);
      return { now: clock.now(), agents, queues: router.queues(), groups: [...groups].sort(), snapshot, heldUntilOpen: await countInState(store.db, 'waiting-for-open') };
    },

    saveAgent: async (input, context) => {
      const agent = await router.saveAgent(input);
      await audit(parts, context, input.id === undefined ? 'agent.created' : 'agent.changed', `agent ${agent.id}`, {
        name: agent.name,
        skills: agent.skills,
        groups: agent.groups,
        capacity: agent.capacity,
      });
      // Joining a group can be what a group's waiting work needed.
      void parts.gate.sweep();
      return agent;
    },

    setAgentState: async ({ agentId, state }, context) => {
      const agent = await router.setAgentState(agentId, state);
      await audit(parts, context, 'agent.state', `agent ${agentId}`, { name: agent.name, state: state.state, ...(state.state === 'not-ready' ? { reason: state.reason } : {}) });
      return agent;
    },

    saveQueue: async (input, context) => {
      const before = input.id === undefined ? null : (router.queues().find((queue) => queue.id === input.id) ?? null);
      const queue = await router.saveQueue(input);
      // Rules name their queues: a rename carries them along, so no rule points at a name that is gone.
      if (before && before.name !== queue.name) await followRename(parts, before.name, queue.name, context);
      await audit(parts, context, input.id === undefined ? 'queue.created' : 'queue.changed', `queue ${queue.id}`, {
        name: queue.name,
        skills: queue.skills.map((need) => `${need.skill} ≥ ${need.minLevel}`),
        priority: queue.priority,
      });
      return queue;
    },

    listWaiting: async ({ queueId, group, limit }) => {
      if (queueId !== undefined && group !== undefined) throw new DeskFailure('bad_input', 'listWaiting: name a queue or a group, not both');
      let entries: QueueEntry[];
      if (queueId !== undefined) {
        if (!router.queues().some((queue) => queue.id === queueId)) throw new DeskFailure('not_found', `there is no queue ${queueId}`);
        entries = router.waiting({ queueId });
      } else if (group !== undefined) {
        entries = router.waiting({ group });
      } else {
        const tiles = await router.snapshot();
        entries = tiles.flatMap((tile) => router.waiting(tile.queueId !== null ? { queueId: tile.queueId } : { group: tile.group ?? '' }));
        // One list across queues: given back first, then priority, then age (the router's own order within each).
        entries.sort((a, b) => Number(b.returned) - Number(a.returned) || b.priority - a.priority || a.enteredAt - b.enteredAt || a.interactionId - b.interactionId);
      }
      const shown = entries.slice(0, limit);
      const summaries = await interactionSummaries(store.db, shown.map((entry) => entry.interactionId));
      const names = new Map(router.agents().map((agent) => [agent.id, agent.name]));
      const items: WaitingItem[] = [];
      for (const entry of shown) {
        const summary = summaries.get(entry.interactionId);
        if (!summary) continue;
        items.push({
          entry,
          contactId: summary.contactId,
          contactName: summary.contactName,
          platform: summary.platform,
          kind: summary.kind,
          text: summary.text,
          agentName: entry.assignedTo !== null ? (names.get(entry.assignedTo) ?? null) : null,
        });
      }
      return { items, total: entries.length };
    },

    readQueueHistory: async ({ hours }) => {
      const to = clock.now();
      const from = to - hours * 3_600_000;
      const rows = await readQueueSamples(store.db, from, to);
      const snapshot = await router.snapshot();
      const names = new Map(snapshot.map((tile) => [queueKey(tile), tile.name]));
      for (const queue of router.queues()) names.set(`queue:${queue.id}`, queue.name);
      const series = new Map<string, { at: number; waiting: number }[]>();
      for (const row of rows) {
        const points = series.get(row.queue_key) ?? [];
        points.push({ at: row.at, waiting: row.waiting });
        series.set(row.queue_key, points);
      }
      // The chart ends at now: the live tiles' counts are its last point.
      for (const tile of snapshot) {
        const key = queueKey(tile);
        const points = series.get(key) ?? [];
        points.push({ at: to, waiting: tile.waiting });
        series.set(key, points);
      }
      return {
        from,
        to,
        series: [...series.entries()].map(([key, points]) => ({ key, name: names.get(key) ?? key.replace(/^(queue|group):/, ''), points })),
      };
    },

    getInteraction: ({ interactionId }) => readInteractionDetail(parts, interactionId, 'getInteraction'),

    moveInteraction: async ({ interactionId, to }, context) => {
      const entry = await router.move(interactionId, to, context.actor);
      await audit(parts, context, 'interaction.moved', `interaction ${interactionId}`, { to: JSON.parse(JSON.stringify(to)) as Record<string, string | number> });
      return entry;
    },

    acceptInteraction: ({ interactionId, agentId }) => router.accept(interactionId, agentId),
  };
}

async function followRename(parts: DeskParts, from: string, to: string, context: CallContext): Promise<void> {
  const renamed = parts.rules.withQueueRenamed(from, to);
  const at = parts.clock.now();
  if (!renamed) {
    await parts.store.db.transaction((tx) => renameRouteQueue(tx, from, to));
    return;
  }
  const { apply, entry } = await parts.store.db.transaction(async (tx) => {
    await renameRouteQueue(tx, from, to);
    const apply = await parts.rules.save(tx, renamed, at, context.actor);
    const entry = await appendAudit(tx, { at, actor: context.actor, action: 'rules.saved', subject: `rule set v${renamed.version}`, detail: { reason: `queue "${from}" renamed to "${to}"`, version: renamed.version } });
    return { apply, entry };
  });
  apply();
  parts.emit({ type: 'auditAppended', payload: entry });
  parts.emit({ type: 'rulesChanged', payload: currentRulesView(parts) });
}

/** One interaction with its whole story (the Queues page's details, the agent desk's "why it is here"). */
export async function readInteractionDetail(parts: DeskParts, interactionId: number, command: string): Promise<InteractionDetail> {
  const { store, router } = parts;
  const record = await interactionRecord(store.db, interactionId);
  if (!record) throw new DeskFailure('not_found', `${command}: there is no interaction ${interactionId}`);
  const stored = await readRuleDecision(store.db, interactionId);
  const decision = stored?.decision === null || stored?.decision === undefined ? null : RuleDecision.safeParse(stored.decision);
  const history = await interactionHistory(store.db, interactionId);
  return {
    ...record,
    decision: decision?.success ? decision.data : null,
    calendarOnArrival: stored?.calendarOnArrival ?? null,
    entry: router.entry(interactionId),
    assignments: await router.history(interactionId),
    history: history.map((change) => ({ at: change.at, from: change.fromState, to: change.toState, actor: change.actor, reason: change.reason })),
  };
}
