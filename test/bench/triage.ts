/**
 * The stage after ingest on an overnight backlog: 20,000 new interactions (praise, complaints,
 * questions, spam, X DMs, Messenger) through the rules (keywords, sentiment, R14 checks), the
 * calendar gate and routing (each decision stored, likes enqueued in the outbox, routed work
 * entered in its queue), against a baseline in the same run on a copy of the same data: the gate
 * as it was before rules and routing, one state move per interaction in the same batches.
 * Figures: interactions/s for both, and ratio = triage rate / baseline rate.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMERGENCY_OFF } from '../../electron/core/calendar/schema';
import { defaultCalendar } from '../../electron/core/calendar/defaults';
import { ManualClock } from '../../electron/core/clock';
import { CalendarGate } from '../../electron/core/gate';
import { silentLogger } from '../../electron/core/logger';
import { createOutbox, manualOutboxTimers } from '../../electron/core/outbox';
import { ensureDefaultQueue } from '../../electron/core/queue-sampler';
import { Router, manualRoutingTimers } from '../../electron/core/routing/router';
import { RulesStage } from '../../electron/core/rules-stage';
import { openStore } from '../../electron/core/store';
import { interactionsInState, moveInteraction } from '../../electron/core/store/interactions';
import { seedTimeline, type TimelineContact } from '../support/seed-timeline';
import { tempDir } from '../support/temp';
import type { BenchResult } from './types';

const BACKLOG = Number(process.env.TRIAGE_BACKLOG ?? 20_000);
const PEOPLE = Math.max(1, Math.round(BACKLOG / 10));
const BATCH = 200;
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const TEXTS: { kind: 'x.mention' | 'x.dm' | 'facebook.comment' | 'messenger.message'; text: string }[] = [
  { kind: 'x.mention', text: '@NorthwindCare you are amazing, thank you so much for the quick help!' },
  { kind: 'x.mention', text: '@NorthwindCare my parcel 5521 never arrived and nobody answers the phone' },
  { kind: 'x.mention', text: '@NorthwindCare great, another outage, thanks a lot' },
  { kind: 'facebook.comment', text: 'Do you deliver to the islands on Saturdays?' },
  { kind: 'facebook.comment', text: 'Crypto giveaway! Free followers, promote your account now #giveaway' },
  { kind: 'x.dm', text: 'Hi, can you check my account please, the invoice looks wrong' },
  { kind: 'messenger.message', text: 'Bonjour, ma commande est en retard, pouvez-vous vérifier ?' },
];

function backlog(): TimelineContact[] {
  const contacts: TimelineContact[] = [];
  for (let p = 0; p < PEOPLE; p += 1) {
    const messages = [];
    for (let m = p; m < BACKLOG; m += PEOPLE) {
      const pick = TEXTS[m % TEXTS.length]!;
      messages.push({ externalId: String(1_000_000_000 + m), platform: pick.kind.startsWith('x.') ? ('x' as const) : pick.kind.startsWith('messenger') ? ('messenger' as const) : ('facebook' as const), kind: pick.kind, text: pick.text, at: T0 - (BACKLOG - m) * 1_000 });
    }
    const platform = messages[0]!.platform;
    contacts.push({ displayName: `Customer ${p}`, identities: [{ platform, platformUserId: `u${p}`, handle: `customer${p}`, name: `Customer ${p}` }], messages });
  }
  return contacts;
}

export async function triage(): Promise<BenchResult> {
  const dir = tempDir('desk-bench-triage-');
  try {
    const seeded = join(dir.path, 'seeded');
    await seedTimeline(seeded, backlog());
    const baselineDir = join(dir.path, 'baseline');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(baselineDir);
    copyFileSync(join(seeded, 'desk.sqlite3'), join(baselineDir, 'desk.sqlite3'));

    // Baseline: the gate before rules and routing, a state move per interaction in batches.
    const base = await openStore(baselineDir);
    const baseStarted = performance.now();
    for (;;) {
      const batch = await interactionsInState(base.db, 'new', BATCH);
      if (batch.length === 0) break;
      await base.db.transaction(async (tx) => {
        for (const item of batch) await moveInteraction(tx, { id: item.id, from: 'new', to: 'queued', at: T0, actor: 'calendar', reason: 'the desk is open' });
      });
    }
    const baselineMs = performance.now() - baseStarted;
    await base.close();

    // The real stage: rules, calendar gate, routing, outbox, on the seeded copy.
    const store = await openStore(seeded);
    const clock = new ManualClock(T0);
    const outbox = createOutbox({ db: store.db, clock, logger: silentLogger, senders: {}, timers: manualOutboxTimers });
    const router = new Router({ db: store.db, clock, logger: silentLogger, timers: manualRoutingTimers });
    await router.start();
    await ensureDefaultQueue(router, silentLogger);
    await router.saveAgent({ name: 'Dora', groups: ['dm-team'], capacity: { public: 0, private: 0 } });
    const rules = new RulesStage({ db: store.db, logger: silentLogger });
    await rules.load();
    const allDay = [{ start: '00:00', end: '24:00' }];
    const calendar = { ...defaultCalendar('UTC'), weekly: { monday: allDay, tuesday: allDay, wednesday: allDay, thursday: allDay, friday: allDay, saturday: allDay, sunday: allDay } };
    const gate = new CalendarGate({
      store,
      clock,
      logger: silentLogger,
      outbox,
      router,
      rules,
      emit: () => undefined,
      context: async () => ({ calendar, emergency: EMERGENCY_OFF, deskName: 'Northwind Care', timeFormat: '24h' }),
    });
    const started = performance.now();
    await gate.sweep();
    await router.flush();
    const triageMs = performance.now() - started;
    const states = await store.db.all<{ state: string; n: number }>('SELECT state, count(*) AS n FROM interactions GROUP BY state ORDER BY state');
    const likes = (await store.db.get<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE origin = 'auto-like'"))?.n ?? 0;
    await gate.stop();
    await router.stop();
    await store.close();

    const left = states.find((row) => row.state === 'new')?.n ?? 0;
    if (left > 0) throw new Error(`the triage left ${left} interactions new`);
    const rate = (BACKLOG / triageMs) * 1000;
    const baselineRate = (BACKLOG / baselineMs) * 1000;
    const byState = Object.fromEntries(states.map((row) => [row.state, row.n]));
    return {
      bench: 'triage',
      summary: `${BACKLOG.toLocaleString('en')} new interactions decided (rules, calendar, routing, stored with why) in ${(triageMs / 1000).toFixed(1)} s: ${Math.round(rate).toLocaleString('en')}/s, against ${Math.round(baselineRate).toLocaleString('en')}/s for the bare state moves (ratio ${(rate / baselineRate).toFixed(2)}); ${JSON.stringify(byState)}, ${likes} auto-likes enqueued (daily cap 100)`,
      figures: { backlog: BACKLOG, triage_ms: Math.round(triageMs), per_second: Math.round(rate), baseline_ms: Math.round(baselineMs), baseline_per_second: Math.round(baselineRate), ratio: Number((rate / baselineRate).toFixed(3)), auto_likes: likes, ...byState },
    };
  } finally {
    dir.remove();
  }
}
