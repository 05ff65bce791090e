/**
 * The rule set a new desk starts with. It routes to the queue "general" and the agent group
 * "dm-team": routing must know both (see validate.ts).
 *
 * 10  X direct messages go to the DM team (R13).
 * 15  Retweets of the desk's own posts are ignored (only when the caller names its handles).
 * 20  Obvious spam and giveaways are ignored (kept in the history).
 * 30  Angry public posts go to "general" at high priority: a public complaint is read by everyone.
 * 40  Praise is liked (R14), only when every safety check passes; otherwise the next rule decides.
 * 50  X mentions get an acknowledgement and go to "general" (R12). Off until a supervisor turns it
 *     on: a public auto-reply to every mention is a choice a team makes, not a default.
 * default: everything else goes to "general" at normal priority.
 */
import {
  DEFAULT_AUTO_LIKE_DAILY_CAP,
  DEFAULT_AUTO_LIKE_THRESHOLD,
  DEFAULT_AUTO_REPLY_DEADLINE_MINUTES,
  RuleSet,
  type RuleEventType,
  type RuleInput,
} from './schema';

export const DEFAULT_QUEUE = 'general';
export const DM_GROUP = 'dm-team';

const PUBLIC_EVENT_TYPES: RuleEventType[] = ['x.mention', 'x.reply', 'facebook.post', 'facebook.comment', 'facebook.reply'];

export interface DefaultRuleSetOptions {
  /** The desk's own X handles ("AcmeCare"): their retweets, seen as mentions, are ignored. */
  ownHandles?: readonly string[];
}

export function defaultRuleSet(options: DefaultRuleSetOptions = {}): RuleSet {
  const handles = (options.ownHandles ?? []).map((h) => h.replace(/^@/, '').trim()).filter((h) => h !== '');
  const rules: RuleInput[] = [
    {
      id: 'x-direct-messages',
      name: 'X direct messages go to the DM team',
      priority: 10,
      match: { kinds: ['x.dm'] },
      action: { type: 'route-to-group', group: DM_GROUP, priority: 'normal' },
    },
    ...(handles.length > 0
      ? [
          {
            id: 'own-retweets',
            name: 'Retweets of our own posts',
            priority: 15,
            match: { kinds: ['x.mention'] as RuleEventType[], keywords: { any: handles.map((h) => `RT @${h}`) } },
            action: { type: 'ignore' as const },
          },
        ]
      : []),
    {
      id: 'spam',
      name: 'Obvious spam and giveaways',
      priority: 20,
      match: { kinds: PUBLIC_EVENT_TYPES, keywords: { any: ['#giveaway', '#followback', 'free followers', 'crypto giveaway', 'promote your account'] } },
      action: { type: 'ignore' },
    },
    {
      id: 'angry-public-posts',
      name: 'Angry public posts first',
      priority: 30,
      match: { kinds: PUBLIC_EVENT_TYPES, sentiment: { min: -1, max: -0.6 } },
      action: { type: 'route-to-queue', queue: DEFAULT_QUEUE, priority: 'high' },
    },
    {
      id: 'like-praise',
      name: 'Like praise',
      priority: 40,
      match: { kinds: PUBLIC_EVENT_TYPES, sentiment: { min: DEFAULT_AUTO_LIKE_THRESHOLD, max: 1 } },
      action: { type: 'like-retweet', like: true, retweet: false, minScore: DEFAULT_AUTO_LIKE_THRESHOLD, dailyCap: DEFAULT_AUTO_LIKE_DAILY_CAP },
    },
    {
      id: 'acknowledge-mentions',
      name: 'Acknowledge X mentions',
      enabled: false,
      priority: 50,
      match: { kinds: ['x.mention'] },
      action: {
        type: 'auto-reply',
        template: 'Hi {contact_name}, thanks for getting in touch. We have your message and will reply here shortly.',
        visibility: 'public',
        deadlineMinutes: DEFAULT_AUTO_REPLY_DEADLINE_MINUTES,
        thenRoute: { type: 'route-to-queue', queue: DEFAULT_QUEUE, priority: 'normal' },
      },
    },
  ];
  return RuleSet.parse({
    version: 1,
    rules,
    defaultRule: { id: 'everything-else', name: 'Everything else', action: { type: 'route-to-queue', queue: DEFAULT_QUEUE, priority: 'normal' } },
  });
}
