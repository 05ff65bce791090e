/**
 * How the rules read in words: actions, outcomes, event types, sentiment. Shared by the Rules
 * page (editor, tester, automatic actions) and the interaction details on the Queues page.
 */
import { EVENT_TYPE_NAMES, type RuleAction, type RuleDecision, type RuleEventType } from '../../../electron/core/contract';

export const priorityWords: Record<'low' | 'normal' | 'high' | 'urgent', string> = {
  low: 'low',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
};

export const actionTypeLabels: Record<RuleAction['type'], string> = {
  'route-to-queue': 'Route to a queue',
  'route-to-group': 'Route to an agent group',
  'auto-reply': 'Auto-reply',
  'like-retweet': 'Like and/or retweet',
  ignore: 'Ignore',
};

type RouteAction = { type: 'route-to-queue'; queue: string; priority: string } | { type: 'route-to-group'; group: string; priority: string };

function describeRoute(route: RouteAction): string {
  return route.type === 'route-to-queue' ? `queue ${route.queue} (${route.priority} priority)` : `group ${route.group} (${route.priority} priority)`;
}

/** "Route to queue general (high priority)", "Like, if the score is at least 0.6 (at most 100 a day)". */
export function describeAction(action: RuleAction): string {
  switch (action.type) {
    case 'route-to-queue':
    case 'route-to-group':
      return `Route to ${describeRoute(action)}`;
    case 'auto-reply':
      return `Auto-reply ${action.visibility === 'public' ? 'publicly' : 'privately'} (trying for ${action.deadlineMinutes} min)${action.thenRoute === null ? '' : `, then route to ${describeRoute(action.thenRoute)}`}`;
    case 'like-retweet': {
      const what = action.like && action.retweet ? 'Like and retweet' : action.retweet ? 'Retweet' : 'Like';
      return `${what} when the score is at least ${action.minScore} (at most ${action.dailyCap} a day)`;
    }
    case 'ignore':
      return 'Ignore (kept in the history, no work)';
  }
}

export const outcomeLabels: Record<RuleDecision['outcome'], string> = {
  routed: 'Routed',
  'auto-handled': 'Handled by the desk',
  ignored: 'Ignored',
};

export function eventTypeName(kind: RuleEventType): string {
  return EVENT_TYPE_NAMES[kind];
}

export function formatScore(score: number): string {
  return (score >= 0 ? '+' : '−') + Math.abs(score).toFixed(2);
}
