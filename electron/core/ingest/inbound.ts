/**
 * The one shape every connector hands to ingest, whatever the platform. Connectors translate
 * their platform's payload into this; ingest checks it again, because a connector bug must
 * not put a half-formed message into the contact history.
 */
import { z } from 'zod';
import type { Platform } from '../contract';

/** Facebook allows 63,206 characters in a post; anything far beyond is not a real message. */
export const MAX_TEXT_LENGTH = 100_000;

export const InboundKind = z.enum(['x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment', 'facebook.reply', 'messenger.message']);
export type InboundKind = z.infer<typeof InboundKind>;

const PLATFORM_OF: Record<InboundKind, Platform> = {
  'x.mention': 'x',
  'x.reply': 'x',
  'x.dm': 'x',
  'facebook.post': 'facebook',
  'facebook.comment': 'facebook',
  'facebook.reply': 'facebook',
  'messenger.message': 'messenger',
};

const PRIVATE_KINDS = new Set<InboundKind>(['x.dm', 'messenger.message']);

/** Replaces lone surrogates (invalid UTF-16 that SQLite and JSON would mangle) with U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

const ExternalId = z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters');
const OptionalLabel = z
  .string()
  .max(200, 'is longer than 200 characters')
  .transform(wellFormed)
  .nullable();

export const InboundMessage = z
  .strictObject({
    kind: InboundKind,
    externalId: ExternalId,
    author: z.strictObject({
      platformUserId: ExternalId,
      handle: OptionalLabel,
      name: OptionalLabel,
    }),
    text: z.string().max(MAX_TEXT_LENGTH, `is longer than ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters`).transform(wellFormed),
    createdAt: z.number().int().min(Date.UTC(2006, 0, 1), 'is before 2006').max(Date.UTC(2100, 0, 1), 'is after 2100'),
    conversationRef: ExternalId.nullable(),
    inReplyToExternalId: ExternalId.nullable(),
    lang: z.string().max(16).nullable(),
  })
  .transform((message) => ({
    ...message,
    platform: PLATFORM_OF[message.kind],
    visibility: PRIVATE_KINDS.has(message.kind) ? ('private' as const) : ('public' as const),
  }));

export type InboundMessageInput = z.input<typeof InboundMessage>;
export type InboundMessage = z.output<typeof InboundMessage>;
