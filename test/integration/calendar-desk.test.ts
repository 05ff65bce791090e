/**
 * The calendar in the desk, end to end on the sandbox: emergency mode answers a new mention
 * with the emergency message (publicly or privately as configured), the interaction waits, and
 * switching emergency off during open hours sends it on. Real SQLite, real HTTPS.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { CalendarView, ContactSummary, DeskDecisionView, Message } from '../../electron/core/contract';
import { createDesk, type Desk } from '../../electron/core/desk';
import { FileSecretStore } from '../../electron/core/secrets';
import { startSandbox, type Sandbox } from '../../electron/sandbox';
import { tempDir } from '../support/temp';

const supervisor = { actor: 'supervisor Ana' };
let sandbox: Sandbox;
let sandboxDir: ReturnType<typeof tempDir>;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined>): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const found = await probe();
    if (found !== null && found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  sandboxDir = tempDir('desk-cal-sandbox-');
  sandbox = await startSandbox({ dataDir: sandboxDir.path, rateLimits: { multiplier: 100 } });
});
afterAll(async () => {
  await sandbox?.close();
  sandboxDir?.remove();
});

beforeEach(async () => {
  dir = tempDir();
  desk = createDesk({
    dataDir: dir.path,
    version: 't',
    secrets: new FileSecretStore(join(dir.path, 'secrets.json')),
    eventWindowMs: 5,
    // The test's sandbox stands in for the platforms; closing it is the test's job.
    sandbox: async () => ({ x: sandbox.x, facebook: sandbox.facebook, httpsAgent: () => sandbox.httpsAgent(), dispatcher: () => sandbox.dispatcher(), close: async () => {} }),
  });
  await desk.start();
  // Open around the clock, so only the emergency switch closes the desk in these tests.
  const { calendar } = await value<CalendarView>(desk.call('getCalendar', {}, supervisor));
  const allDay = [{ start: '00:00', end: '24:00' }];
  await value(desk.call('saveCalendar', { calendar: { ...calendar, weekly: { monday: allDay, tuesday: allDay, wednesday: allDay, thursday: allDay, friday: allDay, saturday: allDay, sunday: allDay } } }, supervisor));
});
afterEach(async () => {
  await desk.stop();
  dir.remove();
});

async function historyOf(authorId: string): Promise<{ contact: ContactSummary; messages: Message[] }> {
  return eventually(`the contact of ${authorId}`, async () => {
    const found = await value<{ contacts: ContactSummary[] }>(desk.call('searchContacts', { query: '' }, supervisor));
    const contact = found.contacts.find((c) => c.identities.some((i) => i.platformUserId === authorId));
    return contact ? value<{ contact: ContactSummary; messages: Message[] }>(desk.call('getContactHistory', { contactId: contact.id }, supervisor)) : null;
  });
}

describe('emergency mode on the sandbox', () => {
  it('answers a mention publicly with the emergency message, keeps it waiting, and sends it on when switched off', async () => {
    const before = sandbox.inspector.actions().length;
    const switched = await value<{ on: boolean; switchedBy: string }>(desk.call('setEmergency', { on: true, message: 'Our payment system is down; we are on it.' }, supervisor));
    expect(switched).toMatchObject({ on: true, switchedBy: 'supervisor Ana' });
    expect(await desk.call('getStatus', {}, supervisor)).toMatchObject({ ok: true, value: { deskState: { state: 'emergency' } } });

    const posted = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare my card was charged twice!', customer: 'emma' });
    const reply = await eventually('the emergency reply on the sandbox', async () =>
      sandbox.inspector.actions(before).find((a) => a.kind === 'reply' && a.targetId === posted.id),
    );
    expect(reply.text).toContain('Our payment system is down; we are on it.');
    expect(sandbox.inspector.actions(before).filter((a) => a.targetId === posted.id)).toHaveLength(1);

    // The customer's message waits for the desk to reopen, and the answer is in their history.
    const waiting = await eventually('the interaction to wait', async () => {
      const history = await historyOf(posted.authorId);
      const inbound = history.messages.find((m) => m.externalId === posted.id);
      const outbound = history.messages.find((m) => m.direction === 'outbound');
      return inbound?.interactionState === 'waiting-for-open' && outbound ? { inbound, outbound } : null;
    });
    expect(waiting.outbound).toMatchObject({ kind: 'x.reply', visibility: 'public', text: reply.text });
    const outbox = await value<{ items: { origin: string; state: string; action: { kind: string } }[] }>(desk.call('listOutbox', { state: 'sent' }, supervisor));
    expect(outbox.items).toMatchObject([{ origin: 'closed-desk', state: 'sent', action: { kind: 'x.reply' } }]);
    expect(await desk.call('cancelOutboxItem', { id: 999_999 }, supervisor)).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A second message in the same emergency gets no second answer.
    const again = await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare hello??', customer: 'emma' });
    await eventually('the second message to wait', async () => {
      const history = await historyOf(posted.authorId);
      return history.messages.find((m) => m.externalId === again.id)?.interactionState === 'waiting-for-open' ? true : null;
    });
    expect(sandbox.inspector.actions(before).filter((a) => a.kind === 'reply')).toHaveLength(1);

    await value(desk.call('setEmergency', { on: false }, supervisor));
    await eventually('the interactions to go on to routing', async () => {
      const history = await historyOf(posted.authorId);
      const states = history.messages.filter((m) => m.direction === 'inbound').map((m) => m.interactionState);
      return states.length === 2 && states.every((s) => s === 'queued') ? true : null;
    });
    const audit = await value<{ entries: { subject: string; actor: string }[] }>(desk.call('readAuditLog', { action: 'emergency.switched' }, supervisor));
    expect(audit.entries.map((e) => e.subject)).toEqual(['off', 'on']);
  });

  it('answers privately where the calendar says so: an X DM by DM', async () => {
    const before = sandbox.inspector.actions().length;
    await value(desk.call('setEmergency', { on: true, message: 'Storm damage: phone lines are down.' }, supervisor));
    const dm = await sandbox.customers.post({ kind: 'x.dm', text: 'is my order delayed?', customer: 'dm-customer' });
    const sent = await eventually('the emergency DM', async () => sandbox.inspector.actions(before).find((a) => a.kind === 'dm' && a.targetId === dm.authorId));
    expect(sent.text).toContain('Storm damage: phone lines are down.');
  });
});

describe('an account refused while sending', () => {
  it('fails the answer with the reason and shows the X connector in auth error', async () => {
    await value(desk.call('setEmergency', { on: true, message: 'Systems down.' }, supervisor));
    sandbox.faults.inject({ kind: 'expired-token', platform: 'x', path: 'POST /2/tweets', times: 5 });
    try {
      await sandbox.customers.post({ kind: 'x.mention', text: '@NorthwindCare hello', customer: 'auth-check' });
      const failed = await eventually('the failed answer', async () => {
        const page = await value<{ items: { state: string; reason: string | null }[] }>(desk.call('listOutbox', { state: 'failed' }, supervisor));
        return page.items[0];
      });
      expect(failed.reason).toMatch(/token/i);
      const connectors = await value<{ connectors: { connector: string; state: string; detail: string }[] }>(desk.call('getConnectors', {}, supervisor));
      expect(connectors.connectors.find((c) => c.connector === 'x')).toMatchObject({ state: 'auth-error', detail: expect.stringMatching(/^Sending failed: /) });
    } finally {
      sandbox.faults.clear();
    }
  });
});

describe('the calendar commands', () => {
  it('refuses a bad calendar whole, and tells what happens at a moment', async () => {
    const { calendar } = await value<CalendarView>(desk.call('getCalendar', {}, supervisor));
    const overlapping = { ...calendar, weekly: { ...calendar.weekly, friday: [{ start: '22:00', end: '02:00' }], saturday: [{ start: '01:00', end: '09:00' }] } };
    const refused = await desk.call('saveCalendar', { calendar: overlapping }, supervisor);
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/friday 22:00-02:00 \(runs into saturday\) overlaps saturday 01:00-09:00/) } });
    for (const bad of [{ ...calendar, zone: 'Mars/Base' }, { ...calendar, weekly: { ...calendar.weekly, monday: [{ start: '09:00', end: '24:30' }] } }]) {
      expect(await desk.call('saveCalendar', { calendar: bad }, supervisor)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    expect((await value<CalendarView>(desk.call('getCalendar', {}, supervisor))).calendar).toEqual(calendar);

    const christmas = { ...calendar, specialDays: [{ date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day' }] };
    await value(desk.call('saveCalendar', { calendar: christmas }, supervisor));
    const at = Date.UTC(2026, 11, 25, 10, 0);
    const answer = await value<DeskDecisionView>(desk.call('whatHappensAt', { at, kind: 'x.mention', contactName: 'Ana' }, supervisor));
    expect(answer).toMatchObject({ state: 'closed', reason: 'special-day', specialDay: 'Christmas Day' });
    expect(answer.answer?.text).toBeTruthy();
    expect(answer.reopensAt).toBe(Date.UTC(2026, 11, 26, 0, 0));

    const ics = await desk.call('previewIcs', { text: 'this is not a calendar' }, supervisor);
    expect(ics).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/holiday file refused/) } });
  });
});
