/** The rules' commands: the rule set, the tester, and the desk's automatic actions with undo (api/rules.ts). */
import { decide } from '../calendar';
import { DeskFailure, RuleDecision, type AutoAction, type RulesView, type OutboxAction, type OutboxItem } from '../contract';
import type { rulesCommands } from '../api/rules';
import { workKindOf } from '../routing';
import { audit, type DeskParts, type HandlersFor } from '../commands';
import { calendarStateOf, RulesStage, startOfDay } from '../rules-stage';
import { appendAudit } from '../store/audit';
import { readCalendar } from '../store/calendar';
import { autoActionIds } from '../store/interaction-detail';
import { getOutboxRowByKey } from '../store/outbox';
import { countAutoLikesSince } from '../store/rule-decisions';
import { readSettings } from '../store/settings';

const UNDO: Partial<Record<OutboxAction['kind'], (action: OutboxAction) => OutboxAction>> = {
  'x.like': (action) => ({ kind: 'x.unlike', tweetId: (action as { tweetId: string }).tweetId }),
  'x.retweet': (action) => ({ kind: 'x.unretweet', tweetId: (action as { tweetId: string }).tweetId }),
  'facebook.like': (action) => ({ kind: 'facebook.unlike', objectId: (action as { objectId: string }).objectId }),
};

const undoKey = (id: number) => `undo:${id}`;

/** The saved rules with the queues and groups that exist now. */
export function currentRulesView(parts: DeskParts): RulesView {
  return parts.rules.view(parts.router.queues().map((queue) => queue.name), [...new Set(parts.router.agents().flatMap((agent) => agent.groups))]);
}

export function rulesHandlers(parts: DeskParts): HandlersFor<typeof rulesCommands> {
  const { store, clock, rules, router, outbox } = parts;

  const view = () => currentRulesView(parts);

  const ruleContext = () => RulesStage.context(router.queues().map((queue) => queue.name));

  async function autoAction(item: OutboxItem, messageText: string | null, ruleName: string | null): Promise<AutoAction> {
    const undoRow = await getOutboxRowByKey(store.db, undoKey(item.id));
    const undoneBy = undoRow ? await outbox.get(undoRow.id) : null;
    const undoable = UNDO[item.action.kind] !== undefined && undoneBy === null && !['failed', 'cancelled'].includes(item.state);
    return { item, messageText, ruleName, undoable, undoneBy };
  }

  return {
    getRules: async () => view(),

    saveRules: async ({ ruleSet: raw }, context) => {
      const ruleSet = rules.parse(raw, ruleContext());
      const at = clock.now();
      const { apply, entry } = await store.db.transaction(async (tx) => {
        const apply = await rules.save(tx, ruleSet, at, context.actor);
        const entry = await appendAudit(tx, { at, actor: context.actor, action: 'rules.saved', subject: `rule set v${ruleSet.version}`, detail: { rules: ruleSet.rules.length, version: ruleSet.version } });
        return { apply, entry };
      });
      apply();
      parts.emit({ type: 'auditAppended', payload: entry });
      const saved = view();
      parts.emit({ type: 'rulesChanged', payload: saved });
      return saved;
    },

    testRule: async ({ message, ruleSet: draft }) => {
      const ruleSet = draft === undefined ? rules.current : rules.parse(draft, ruleContext());
      const at = message.at ?? clock.now();
      let calendarState = message.calendarState ?? null;
      const { settings } = await readSettings(store.db);
      if (calendarState === null) {
        const { calendar, emergency } = await readCalendar(store.db, settings.timeZone);
        const channel = message.kind.startsWith('x.') ? 'x' : message.kind.startsWith('messenger.') ? 'messenger' : 'facebook';
        calendarState = calendarStateOf(decide({ calendar, emergency, at, channel, inbound: workKindOf(message.kind) }));
      }
      const autoLikesToday = message.autoLikesToday ?? (await countAutoLikesSince(store.db, startOfDay(at, settings.timeZone)));
      return rules.decide(
        { text: message.text, kind: message.kind, lang: message.lang ?? null, at, calendarState, replyInComplaintThread: message.replyInComplaintThread ?? false, autoLikesToday },
        ruleSet,
      );
    },

    listAutoActions: async ({ before, limit }) => {
      const rows = await autoActionIds(store.db, before ?? null, limit + 1);
      const page = rows.slice(0, limit);
      const items: AutoAction[] = [];
      for (const row of page) {
        const item = await outbox.get(row.id);
        if (!item) continue;
        const decision = row.rule_decision === null ? null : RuleDecision.safeParse(JSON.parse(row.rule_decision));
        items.push(await autoAction(item, row.message_text, decision?.success ? decision.data.rule.name : null));
      }
      return { items, nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    undoAutoAction: async ({ outboxItemId }, context) => {
      const item = await outbox.get(outboxItemId);
      if (!item) throw new DeskFailure('not_found', `there is no outbox item ${outboxItemId}`);
      const reverse = UNDO[item.action.kind];
      if (item.origin !== 'auto-like' || !reverse) throw new DeskFailure('bad_input', `only the desk's automatic likes and retweets can be undone here (item ${outboxItemId} is ${item.origin} ${item.action.kind})`);
      if (await getOutboxRowByKey(store.db, undoKey(item.id))) throw new DeskFailure('conflict', `item ${outboxItemId} has been undone already`);
      if (item.state === 'failed' || item.state === 'cancelled') throw new DeskFailure('conflict', `nothing to undo: item ${outboxItemId} was never sent (${item.state})`);
      if (item.state === 'sending') throw new DeskFailure('conflict', `item ${outboxItemId} is being sent right now: undo it in a moment`);
      let undone: OutboxItem;
      if (item.state === 'pending' || item.state === 'retrying') {
        // Not on the platform yet: not sending it is the undo.
        undone = await outbox.cancel(item.id, `undone by ${context.actor}`);
      } else {
        await store.db.transaction((tx) =>
          outbox.enqueue(tx, { action: reverse(item.action), contactId: item.contactId, interactionId: item.interactionId, origin: 'agent', idempotencyKey: undoKey(item.id) }),
        );
        undone = (await outbox.get(item.id)) ?? item;
      }
      await audit(parts, context, 'auto-action.undone', `outbox item ${item.id}`, { kind: item.action.kind, interactionId: item.interactionId });
      const listed = (await autoActionIds(store.db, item.id + 1, 1))[0];
      const decision = listed?.rule_decision ? RuleDecision.safeParse(JSON.parse(listed.rule_decision)) : null;
      return autoAction(undone, listed?.message_text ?? null, decision?.success ? decision.data.rule.name : null);
    },
  };
}
