/**
 * Seed data for the Monitor tests: a believable mix of people, channels and event types, the
 * hostile texts a feed must show literally, and a bulk generator for the 100k-message run.
 */
import type { MessageKind, Platform } from '../../electron/core/contract';
import type { TimelineContact, TimelineMessage } from '../support/seed-timeline';

export const SCRIPT_TEXT = 'Is this safe? <script>window.__pwned = 1</script> asking for a friend';
export const IMG_TEXT = 'Look at this <img src=x onerror="window.__pwned = 2"> broken image';
export const LINK_TEXT = 'Tracking says delivered but nothing here: https://track.example.com/p/5521?ref=x — please check';

const base = Date.UTC(2026, 10, 24, 8, 0);
const minute = 60_000;

function msg(platform: Platform, kind: MessageKind, text: string, at: number, extra: Partial<TimelineMessage> = {}): TimelineMessage {
  return { platform, kind, text, at, ...extra };
}

/** Eight people across the three channels; the hostile texts come from Mallory. */
export const feedContacts: TimelineContact[] = [
  {
    displayName: 'Amara Okafor',
    identities: [{ platform: 'x', platformUserId: '3001', handle: 'amara_ok', name: 'Amara Okafor' }],
    messages: [
      msg('x', 'x.mention', '@acme my parcel 88123 has been "out for delivery" for three days now', base, { state: 'queued' }),
      msg('x', 'x.dm', 'Sending you the order number privately: 88123. Thanks for looking into it!', base + 9 * minute, { state: 'assigned' }),
    ],
  },
  {
    displayName: 'Lucas Ferreira',
    identities: [{ platform: 'facebook', platformUserId: 'asid-101', handle: null, name: 'Lucas Ferreira' }],
    messages: [
      msg('facebook', 'facebook.post', 'Visited the Lisbon store today and the staff were brilliant. Thank you!', base + 2 * minute, { state: 'auto-handled' }),
      msg('facebook', 'facebook.comment', 'Any news on when the winter range will be back in stock?', base + 15 * minute),
    ],
  },
  {
    displayName: 'Hannah Schmidt',
    identities: [{ platform: 'messenger', platformUserId: 'psid-202', handle: null, name: 'Hannah Schmidt' }],
    messages: [
      msg('messenger', 'messenger.message', 'Hello, I need to change the delivery address on order 77410 please.', base + 4 * minute, { state: 'waiting-for-open' }),
      msg('messenger', 'messenger.message', 'The new address is in Hamburg, same postcode as before.', base + 6 * minute),
    ],
  },
  {
    displayName: 'Mallory Quinn',
    identities: [{ platform: 'x', platformUserId: '3666', handle: 'mallory_q', name: 'Mallory Quinn' }],
    messages: [
      msg('x', 'x.reply', SCRIPT_TEXT, base + 7 * minute, { state: 'ignored' }),
      msg('x', 'x.mention', IMG_TEXT, base + 8 * minute),
    ],
  },
  {
    displayName: 'Kenji Watanabe',
    identities: [{ platform: 'x', platformUserId: '3003', handle: 'kenji_w', name: 'Kenji Watanabe' }],
    messages: [msg('x', 'x.mention', LINK_TEXT, base + 11 * minute)],
  },
  {
    displayName: 'Sofia Rossi',
    identities: [{ platform: 'facebook', platformUserId: 'asid-303', handle: null, name: 'Sofia Rossi' }],
    messages: [
      msg('facebook', 'facebook.reply', 'Same problem here, my refund still has not arrived after two weeks.', base + 13 * minute),
      msg('facebook', 'facebook.private-reply', 'We have sent you a private message about your refund, Sofia.', base + 20 * minute, { direction: 'outbound' }),
    ],
  },
  {
    displayName: 'Sam Carter',
    identities: [{ platform: 'x', platformUserId: '3100', handle: 'samcarter', name: 'Sam Carter' }],
    messages: [msg('x', 'x.mention', '@acme the app keeps logging me out since the last update 🙃', base + 17 * minute)],
  },
  {
    displayName: 'Samantha Carter',
    identities: [{ platform: 'messenger', platformUserId: 'psid-3100', handle: null, name: 'Samantha Carter' }],
    messages: [msg('messenger', 'messenger.message', 'Hi, it is Sam from X: still logged out on the app, any fix yet?', base + 19 * minute)],
  },
];

/**
 * `count` messages from `people` contacts, all X mentions with predictable text, spread over
 * the hours before `before`. The seed helper stores them in one transaction.
 */
export function bulkContacts(count: number, people: number, before: number): TimelineContact[] {
  const perPerson = Math.ceil(count / people);
  const contacts: TimelineContact[] = [];
  let made = 0;
  for (let p = 0; p < people && made < count; p += 1) {
    const n = Math.min(perPerson, count - made);
    const messages: TimelineMessage[] = [];
    for (let i = 0; i < n; i += 1) {
      const seq = made + i;
      messages.push({ platform: 'x', kind: 'x.mention', text: `Bulk message ${seq} from customer ${p}`, at: before - (count - seq) * 1000 });
    }
    made += n;
    contacts.push({
      displayName: `Bulk Customer ${p}`,
      identities: [{ platform: 'x', platformUserId: `bulk-${p}`, handle: `bulk_${p}`, name: `Bulk Customer ${p}` }],
      messages,
    });
  }
  return contacts;
}
