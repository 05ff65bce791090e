/**
 * The rule set being edited: the same shape the desk saves (RuleSet), changed by small pure
 * functions (add, delete, reorder by swapping priorities, change an action's type keeping what
 * still applies). Checks are the desk's: nothing here decides what is valid.
 */
import {
  DEFAULT_AUTO_LIKE_DAILY_CAP,
  DEFAULT_AUTO_LIKE_THRESHOLD,
  DEFAULT_AUTO_REPLY_DEADLINE_MINUTES,
  type Rule,
  type RuleAction,
  type RuleSet,
} from '../../../electron/core/contract';

export type ActionType = RuleAction['type'];
export type RoutePriorityName = 'low' | 'normal' | 'high' | 'urgent';
export const ROUTE_PRIORITIES: readonly RoutePriorityName[] = ['low', 'normal', 'high', 'urgent'];

/** The rules in the order the desk tries them (ascending priority; a tie keeps list order). */
export function ordered(set: RuleSet): Rule[] {
  return set.rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => {
      const pa = Number.isFinite(a.rule.priority) ? a.rule.priority : Number.MAX_SAFE_INTEGER;
      const pb = Number.isFinite(b.rule.priority) ? b.rule.priority : Number.MAX_SAFE_INTEGER;
      return pa - pb || a.index - b.index;
    })
    .map(({ rule }) => rule);
}

export function sameRuleSet(a: RuleSet, b: RuleSet): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function freeId(set: RuleSet): string {
  const taken = new Set([...set.rules.map((r) => r.id), set.defaultRule.id]);
  for (let n = set.rules.length + 1; ; n++) {
    const id = `rule-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new rule after the last one, routing to the first queue the desk knows. */
export function addRule(set: RuleSet, firstQueue: string): { set: RuleSet; id: string } {
  const last = set.rules.reduce((max, r) => (Number.isFinite(r.priority) ? Math.max(max, r.priority) : max), 0);
  const id = freeId(set);
  const rule: Rule = {
    id,
    name: 'New rule',
    enabled: true,
    priority: Math.min(100_000, Math.floor(last / 10) * 10 + 10),
    match: { kinds: [], keywords: { any: [], all: [], none: [] }, languages: [], sentiment: null },
    action: { type: 'route-to-queue', queue: firstQueue, priority: 'normal' },
  };
  return { set: { ...set, rules: [...set.rules, rule] }, id };
}

export function deleteRule(set: RuleSet, id: string): RuleSet {
  return { ...set, rules: set.rules.filter((r) => r.id !== id) };
}

export function updateRule(set: RuleSet, id: string, change: (rule: Rule) => Rule): RuleSet {
  return { ...set, rules: set.rules.map((r) => (r.id === id ? change(r) : r)) };
}

/** Moves a rule one place earlier or later in the order by swapping priorities with its neighbour. */
export function moveRule(set: RuleSet, id: string, by: -1 | 1): RuleSet {
  const order = ordered(set);
  const index = order.findIndex((r) => r.id === id);
  const other = order[index + by];
  const rule = order[index];
  if (rule === undefined || other === undefined) return set;
  if (rule.priority === other.priority) {
    // A tie (the desk would refuse it): make room instead of swapping equal numbers.
    return updateRule(set, id, (r) => ({ ...r, priority: other.priority + by }));
  }
  return {
    ...set,
    rules: set.rules.map((r) => (r.id === rule.id ? { ...r, priority: other.priority } : r.id === other.id ? { ...r, priority: rule.priority } : r)),
  };
}

/** Another action type, keeping the route and priority where both have one. */
export function changeActionType(action: RuleAction, type: ActionType, firstQueue: string, firstGroup: string): RuleAction {
  const priority: RoutePriorityName = 'priority' in action ? action.priority : 'normal';
  switch (type) {
    case 'route-to-queue':
      return { type, queue: action.type === 'auto-reply' && action.thenRoute?.type === 'route-to-queue' ? action.thenRoute.queue : firstQueue, priority };
    case 'route-to-group':
      return { type, group: firstGroup, priority };
    case 'auto-reply':
      return {
        type,
        template: 'Hi {contact_name}, thanks for your message. We will get back to you shortly.',
        visibility: 'public',
        deadlineMinutes: DEFAULT_AUTO_REPLY_DEADLINE_MINUTES,
        thenRoute: action.type === 'route-to-queue' || action.type === 'route-to-group' ? action : null,
      };
    case 'like-retweet':
      return { type, like: true, retweet: false, minScore: DEFAULT_AUTO_LIKE_THRESHOLD, dailyCap: DEFAULT_AUTO_LIKE_DAILY_CAP };
    case 'ignore':
      return { type };
  }
}

/** A number from a field: an empty field is NaN, which the desk refuses by name. */
export function numberFrom(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

export function fieldText(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}
