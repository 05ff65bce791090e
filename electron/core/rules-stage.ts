/**
 * The rules stage, between ingest and the calendar gate: it holds the saved rule set and decides,
 * for each new interaction, what the rules say (R2, R12-R14). The gate carries the decision out
 * (ignore, the desk's own sends, or routing once the calendar says open).
 *
 * The rule set is one settings row (JSON), checked against its schema on read; a row that no
 * longer passes falls back to the default set and is logged, never silently used.
 */
import { DateTime } from 'luxon';
import type { ClosedDecision, DeskDecision } from './calendar';
import type { Logger } from './logger';
import { compileRuleSet, defaultRuleSet, evaluate, parseRuleSet, RuleSet, ruleSetWarnings, DM_GROUP, RULE_EVENT_TYPES, type CalendarState, type RouteTarget, type RuleDecision, type RuleEventType, type RuleSetContext } from './rules';
import type { EvaluateInput } from './rules/match';
import type { RulesView } from './api/rules';
import type { Database } from './store/db';
import { readRuleSetRow, writeRuleSetRow, type StoredRoute } from './store/rule-decisions';
import type { Sql } from './store/db';

/** The rules' words for priority, as routing's 0-100. */
export const ROUTE_PRIORITY = { low: 25, normal: 50, high: 75, urgent: 100 } as const;

export function isRuleEventType(kind: string): kind is RuleEventType {
  return (RULE_EVENT_TYPES as readonly string[]).includes(kind);
}

export function storedRoute(route: RouteTarget | null): StoredRoute | null {
  if (route === null) return null;
  return route.type === 'queue' ? { queue: route.queue, priority: ROUTE_PRIORITY[route.priority] } : { group: route.group, priority: ROUTE_PRIORITY[route.priority] };
}

/** The calendar's decision as the rules read it. */
export function calendarStateOf(decision: DeskDecision): CalendarState {
  return decision.state === 'open' ? { state: 'open', reason: null } : { state: 'closed', reason: (decision as ClosedDecision).reason, reopens: (decision as ClosedDecision).reopens };
}

/** Midnight today in the desk's zone: R14's daily cap counts from here. */
export function startOfDay(at: number, zone: string): number {
  return DateTime.fromMillis(at, { zone }).startOf('day').toMillis();
}

export interface RulesStageOptions {
  db: Database;
  logger: Logger;
}

export class RulesStage {
  private ruleSet: RuleSet = defaultRuleSet();
  private updatedAt: number | null = null;
  private updatedBy: string | null = null;

  constructor(private readonly options: RulesStageOptions) {}

  async load(): Promise<void> {
    const row = await readRuleSetRow(this.options.db);
    if (!row) return;
    const parsed = RuleSet.safeParse(row.value);
    if (!parsed.success) {
      this.options.logger.error('the saved rule set no longer passes its schema: the default rules decide until it is saved again', { issues: parsed.error.issues.slice(0, 5) });
      return;
    }
    this.ruleSet = parsed.data;
    this.updatedAt = row.updatedAt;
    this.updatedBy = row.updatedBy;
  }

  get current(): RuleSet {
    return this.ruleSet;
  }

  /**
   * What a rule set must agree with: the queues that exist (groups are people, checked as
   * warnings). Auto-replies are measured with the longest desk name settings allow, not today's:
   * renaming the desk must never make a saved auto-reply too long to send.
   */
  static context(queues: readonly string[]): RuleSetContext {
    return { queues, groups: null };
  }

  /** Checks a rule set from the console, whole; throws DeskFailure('bad_input') naming each problem. */
  parse(raw: unknown, context: RuleSetContext): RuleSet {
    // The version is the desk's to count: whatever the console sends, a save is the next one.
    const withVersion = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), version: this.ruleSet.version + 1 } : raw;
    return parseRuleSet(withVersion, context);
  }

  /** Saves inside the caller's transaction; the stage uses the new set once that commits. */
  async save(tx: Sql, ruleSet: RuleSet, at: number, actor: string): Promise<() => void> {
    await writeRuleSetRow(tx, ruleSet, at, actor);
    return () => {
      this.ruleSet = ruleSet;
      this.updatedAt = at;
      this.updatedBy = actor;
    };
  }

  /**
   * The rule set with every route to queue `from` pointing at `to` instead (a queue was renamed),
   * as the next version; null when no rule routes there.
   */
  withQueueRenamed(from: string, to: string): RuleSet | null {
    const same = (name: string) => name.toLowerCase() === from.toLowerCase();
    let changed = false;
    const rename = <A extends RuleSet['defaultRule']['action']>(action: A): A => {
      if (action.type === 'route-to-queue' && same(action.queue)) {
        changed = true;
        return { ...action, queue: to };
      }
      if (action.type === 'auto-reply' && action.thenRoute?.type === 'route-to-queue' && same(action.thenRoute.queue)) {
        changed = true;
        return { ...action, thenRoute: { ...action.thenRoute, queue: to } };
      }
      return action;
    };
    const next = {
      ...this.ruleSet,
      version: this.ruleSet.version + 1,
      rules: this.ruleSet.rules.map((rule) => ({ ...rule, action: rename(rule.action) })),
      defaultRule: { ...this.ruleSet.defaultRule, action: rename(this.ruleSet.defaultRule.action) },
    };
    return changed ? RuleSet.parse(next) : null;
  }

  decide(input: EvaluateInput, ruleSet: RuleSet = this.ruleSet): RuleDecision {
    return evaluate(compileRuleSet(ruleSet), input);
  }

  view(queues: readonly string[], groups: readonly string[]): RulesView {
    const set = this.ruleSet;
    const routedGroups = new Set<string>([DM_GROUP]);
    for (const rule of [...set.rules, set.defaultRule]) {
      const action = rule.action;
      const route = action.type === 'auto-reply' ? action.thenRoute : action;
      if (route && route.type === 'route-to-group') routedGroups.add(route.group);
    }
    const known = new Set(groups);
    const warnings = [...ruleSetWarnings(set)];
    for (const group of routedGroups) {
      const used = [...set.rules, set.defaultRule].some((rule) => {
        const route = rule.action.type === 'auto-reply' ? rule.action.thenRoute : rule.action;
        return route !== null && route.type === 'route-to-group' && route.group === group && ('enabled' in rule ? rule.enabled : true);
      });
      if (used && !known.has(group)) warnings.push(`no agent is in the group "${group}" yet: its messages go to the default queue until someone joins it`);
    }
    return {
      ruleSet: set,
      queues: [...queues],
      groups: [...new Set([...groups, ...routedGroups])].sort(),
      warnings,
      updatedAt: this.updatedAt,
      updatedBy: this.updatedBy,
    };
  }
}
