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

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone surrogates (invalid UTF-16 that SQLite and JSON would mangle) with U+FFFD. */
function wellFormed(text: string): string {
  // Most texts have no surrogate at all; only those pay for the full scan.
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

const ExternalId = z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters');
const OptionalLabel = z.string().max(200, 'is longer than 200 characters').nullable();

/**
 * The shape a connector hands over. Validation only: the few fixes (lone surrogates) and the
 * derived fields are applied by `parseInbound`, outside zod, because this runs for every
 * message of a storm and transforms make zod several times slower.
 */
export const InboundMessageInput = z.strictObject({
  kind: InboundKind,
  externalId: ExternalId,
  author: z.strictObject({
    platformUserId: ExternalId,
    handle: OptionalLabel,
    name: OptionalLabel,
  }),
  text: z.string().max(MAX_TEXT_LENGTH, `is longer than ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters`),
  createdAt: z.number().int().min(Date.UTC(2006, 0, 1), 'is before 2006').max(Date.UTC(2100, 0, 1), 'is after 2100'),
  conversationRef: ExternalId.nullable(),
  inReplyToExternalId: ExternalId.nullable(),
  lang: z.string().max(16).nullable(),
});
export type InboundMessageInput = z.input<typeof InboundMessageInput>;

export interface InboundMessage extends z.output<typeof InboundMessageInput> {
  platform: Platform;
  visibility: 'public' | 'private';
}

export type ParsedInbound = { ok: true; message: InboundMessage } | { ok: false; error: z.ZodError };

export function parseInbound(raw: unknown): ParsedInbound {
  const parsed = InboundMessageInput.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const m = parsed.data;
  return {
    ok: true,
    message: {
      ...m,
      text: wellFormed(m.text),
      author: { platformUserId: m.author.platformUserId, handle: m.author.handle === null ? null : wellFormed(m.author.handle), name: m.author.name === null ? null : wellFormed(m.author.name) },
      platform: PLATFORM_OF[m.kind],
      visibility: PRIVATE_KINDS.has(m.kind) ? 'private' : 'public',
    },
  };
}
