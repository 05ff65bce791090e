/**
 * Ingest throughput: X mention payloads through normalize -> validate -> dedupe -> resolve or
 * create the contact -> store message and interaction -> cursor, in the batches the connectors
 * use; against, as the baseline in the same process, a raw batched INSERT of the same message
 * rows into the same messages table (the desk's schema, contacts already there): what storing
 * the rows costs with none of the desk's logic.
 */
import { join } from 'node:path';
import { normalizeTweet, isNormalizeError, usersById } from '../../electron/core/connectors/normalize-x';
import { ingestBatch } from '../../electron/core/ingest/ingest';
import { openStore } from '../../electron/core/store';
import { tempDir } from '../support/temp';
import type { BenchResult } from './types';

const EVENTS = 100_000;
const BATCH = 500;
const AUTHORS = 20_000; // most authors write more than once, as on a real desk
const SELF = '9000';

function page(start: number) {
  const data = [];
  const users = new Map<string, { id: string; name: string; username: string }>();
  for (let i = start; i < start + BATCH; i += 1) {
    const author = String(100_000 + (i * 7919) % AUTHORS);
    users.set(author, { id: author, name: `Customer ${author}`, username: `cust_${author}` });
    data.push({
      id: String(1_800_000_000_000_000_000n + BigInt(i)),
      text: `@acme my order ${i} has not arrived yet, can you help? 📦`,
      author_id: author,
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      conversation_id: String(1_800_000_000_000_000_000n + BigInt(i)),
      lang: 'en',
      edit_history_tweet_ids: [String(i)],
    });
  }
  return { data, includes: { users: [...users.values()] } };
}

export async function ingest(): Promise<BenchResult> {
  const pages = Array.from({ length: EVENTS / BATCH }, (_, p) => page(p * BATCH));
  const dir = tempDir('desk-bench-ingest-');
  try {
    // The desk's pipeline and the baseline run batch by batch, alternating which goes first,
    // so both see the same machine (these machines are noisy).
    const store = await openStore(join(dir.path, 'desk'));
    const rawStore = await openStore(join(dir.path, 'raw'));
    const raw = rawStore.db;
    // The baseline's contacts exist beforehand (not timed): it measures storing messages only.
    await raw.insertMany('contacts', ['id', 'display_name', 'created_at', 'updated_at'], Array.from({ length: AUTHORS }, (_, i) => [100_000 + i, `Customer ${100_000 + i}`, 0, 0]));
    let deskMs = 0;
    let rawMs = 0;
    let stored = 0;
    const runDesk = async (body: ReturnType<typeof page>) => {
      const started = performance.now();
      const ctx = { selfId: SELF, users: usersById(body.includes) };
      const payloads = body.data.map((tweet) => normalizeTweet(tweet, ctx)).filter((n) => !isNormalizeError(n));
      const last = body.data[body.data.length - 1]!.id;
      stored += (await ingestBatch(store.db, payloads, { connector: 'x', stream: 'mentions', cursor: last }, Date.now())).stored.length;
      deskMs += performance.now() - started;
    };
    const runRaw = async (body: ReturnType<typeof page>) => {
      const started = performance.now();
      await raw.insertMany(
        'messages',
        ['platform', 'external_id', 'contact_id', 'kind', 'direction', 'visibility', 'text', 'conversation_ref', 'in_reply_to_external_id', 'created_at', 'received_at'],
        body.data.map((tweet) => ['x', tweet.id, Number(tweet.author_id), 'x.mention', 'inbound', 'public', tweet.text, tweet.conversation_id, null, Date.parse(tweet.created_at), Date.now()]),
      );
      rawMs += performance.now() - started;
    };
    for (const [index, body] of pages.entries()) {
      if (index % 2 === 0) {
        await runDesk(body);
        await runRaw(body);
      } else {
        await runRaw(body);
        await runDesk(body);
      }
    }
    await store.close();
    await rawStore.close();
    if (stored !== EVENTS) throw new Error(`stored ${stored} of ${EVENTS}`);

    const eventsPerS = EVENTS / (deskMs / 1000);
    const rawPerS = EVENTS / (rawMs / 1000);
    const ratio = eventsPerS / rawPerS;
    return {
      bench: 'ingest',
      summary: `${Math.round(eventsPerS).toLocaleString('en-US')} events/s through the whole pipeline vs ${Math.round(rawPerS).toLocaleString('en-US')} rows/s for a raw batched insert of the same messages: ratio ${ratio.toFixed(2)} (target >= 0.25)`,
      figures: { events: EVENTS, batch: BATCH, events_per_s: Math.round(eventsPerS), raw_rows_per_s: Math.round(rawPerS), ratio: Number(ratio.toFixed(3)), target_ratio: 0.25 },
    };
  } finally {
    dir.remove();
  }
}
