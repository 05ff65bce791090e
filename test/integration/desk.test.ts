import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBatch } from '../../electron/core/contract';
import { ManualClock } from '../../electron/core/clock';
import { createDesk, type Desk } from '../../electron/core/desk';
import { FileSecretStore } from '../../electron/core/secrets';
import { loadMigrations } from '../../electron/core/store/migrate';
import { sampleContacts, seedContacts } from '../support/seed';
import { tempDir } from '../support/temp';

const console_ = { actor: 'console' };
let dir: ReturnType<typeof tempDir>;
let clock: ManualClock;
let desk: Desk;

function newDesk(): Desk {
  return createDesk({ dataDir: dir.path, version: '9.9.9', secrets: new FileSecretStore(join(dir.path, 'secrets.json')), clock, eventWindowMs: 10 });
}

beforeEach(async () => {
  dir = tempDir();
  clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0));
  desk = newDesk();
});

afterEach(async () => {
  await desk.stop();
  dir.remove();
});

describe('the desk', () => {
  it('answers its status once started, and says plainly when it has no network to watch', async () => {
    expect(await desk.call('getStatus', {}, console_)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await desk.start();
    const status = await desk.call('getStatus', {}, console_);
    expect(status).toMatchObject({
      ok: true,
      value: {
        deskName: 'Social Care Desk',
        version: '9.9.9',
        startedAt: Date.UTC(2026, 10, 25, 12, 0),
        // No real account and no sandbox given to this desk: nothing to watch, and it says so.
        network: { mode: 'live', reason: 'No account is configured yet: add one in Settings.' },
        deskState: { state: 'open' },
        store: { schemaVersion: loadMigrations().length, dataDir: dir.path },
      },
    });
    expect(existsSync(join(dir.path, 'desk.sqlite3'))).toBe(true);
  });

  it('refuses unknown commands and bad input with a clear error, never a stack', async () => {
    await desk.start();
    expect(await desk.call('dropAllTables', {}, console_)).toEqual({ ok: false, error: { code: 'unknown_command', message: 'there is no command called "dropAllTables"' } });
    const bad = await desk.call('searchContacts', { query: 42 }, console_);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/^searchContacts: query /) } });
    expect(JSON.stringify(bad)).not.toMatch(/\bat .*\.ts:\d+/);
    expect(await desk.call('getContactHistory', { contactId: 12345 }, console_)).toEqual({ ok: false, error: { code: 'not_found', message: 'getContactHistory: there is no contact 12345' } });
    expect(await desk.call('getContactHistory', { contactId: 1, before: 'garbage' }, console_)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('saves settings with an audit entry and one batch of events, and refuses bad ones without saving', async () => {
    await desk.start();
    const batches: EventBatch[] = [];
    desk.subscribe((batch) => batches.push(batch));

    const saved = await desk.call('updateSettings', { deskName: 'Acme Care', timeZone: 'Europe/Paris' }, { actor: 'supervisor Ana' });
    const defaults = { timeFormat: '24h', backfillHours: 24, xStream: false, offerTimeoutSeconds: 60 };
    expect(saved).toEqual({ ok: true, value: { deskName: 'Acme Care', timeZone: 'Europe/Paris', ...defaults } });

    for (const patch of [{ deskName: '   ' }, { timeZone: 'Europe/Atlantis' }, { timeFormat: '13h' }, { colour: 'red' }]) {
      const refused = await desk.call('updateSettings', patch, console_);
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    expect(await desk.call('getSettings', {}, console_)).toEqual({ ok: true, value: { deskName: 'Acme Care', timeZone: 'Europe/Paris', ...defaults } });

    // Saving the same values again is not a change: no audit entry, no events.
    await desk.call('updateSettings', { deskName: 'Acme Care' }, console_);

    const audit = await desk.call('readAuditLog', {}, console_);
    expect(audit).toMatchObject({
      ok: true,
      value: {
        entries: [
          {
            actor: 'supervisor Ana',
            action: 'settings.updated',
            subject: 'deskName, timeZone',
            detail: { from: { deskName: 'Social Care Desk', timeZone: 'UTC' }, to: { deskName: 'Acme Care', timeZone: 'Europe/Paris' } },
          },
        ],
        nextCursor: null,
      },
    });

    // Wait for the batch window to close (how long depends on the machine's load).
    for (let i = 0; i < 500 && !batches.some((b) => b.events.some((e) => e.type === 'statusChanged')); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    // The change crossed in order, the setting and its audit entry in one batch (connector and
    // routing reports from start-up may ride along; a loaded machine may send the status next).
    const withSettings = batches.filter((batch) => batch.events.some((e) => e.type === 'settingsChanged'));
    expect(withSettings).toHaveLength(1);
    const types = batches.flatMap((batch) => batch.events.map((e) => e.type)).filter((type) => type !== 'connectorChanged' && type !== 'routingChanged');
    expect(types.slice(types.indexOf('settingsChanged'))).toEqual(['settingsChanged', 'auditAppended', 'statusChanged']);
    expect(withSettings[0]!.events.map((e) => e.type)).toEqual(expect.arrayContaining(['settingsChanged', 'auditAppended']));

    // Settings survive a restart.
    await desk.stop();
    desk = newDesk();
    await desk.start();
    expect(await desk.call('getStatus', {}, console_)).toMatchObject({ ok: true, value: { deskName: 'Acme Care', timeZone: 'Europe/Paris' } });
  });

  it('finds contacts by name or handle whatever the accents and case, and pages their history', async () => {
    const [zoe] = await seedContacts(dir.path, sampleContacts);
    await desk.start();
    for (const query of ['zoe', 'ZOË', '@zoe_m', 'martin']) {
      const found = await desk.call('searchContacts', { query }, console_);
      expect(found).toMatchObject({ ok: true, value: { contacts: [{ id: zoe, displayName: 'Zoë Martín' }] } });
    }
    expect(await desk.call('searchContacts', { query: '%' }, console_)).toEqual({ ok: true, value: { contacts: [] } });
    const everyone = await desk.call('searchContacts', { query: '' }, console_);
    expect(everyone.ok && (everyone.value as { contacts: { displayName: string }[] }).contacts.map((c) => c.displayName)).toEqual(['Björn Ek', 'Zoë Martín']);

    const first = await desk.call('getContactHistory', { contactId: zoe, limit: 2 }, console_);
    expect(first).toMatchObject({
      ok: true,
      value: {
        contact: { identities: [{ platform: 'messenger' }, { platform: 'x', handle: 'zoe_m' }], messageCount: 3 },
        messages: [
          // The calendar gate may already have sent it on: the desk is open at this test's moment.
          { platform: 'messenger', direction: 'inbound', interactionState: expect.stringMatching(/^(new|queued)$/), text: 'Here is my order number: 5521 <script>alert(1)</script>' },
          { platform: 'x', direction: 'outbound', kind: 'x.reply', interactionState: null },
        ],
      },
    });
    const cursor = first.ok ? (first.value as { nextCursor: string }).nextCursor : '';
    const second = await desk.call('getContactHistory', { contactId: zoe, limit: 2, before: cursor }, console_);
    expect(second).toMatchObject({ ok: true, value: { messages: [{ kind: 'x.mention' }], nextCursor: null } });
    expect(await desk.call('getContactHistory', { contactId: zoe, before: 'not-a-cursor' }, console_)).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: 'before is not a cursor this desk handed out' },
    });
  });

  it('stops cleanly: the store is closed, the WAL folded back, no handle left open', async () => {
    const before = new Set(process.getActiveResourcesInfo());
    await desk.start();
    await desk.call('updateSettings', { deskName: 'Before stop' }, console_);
    await desk.stop();
    expect(await desk.call('getStatus', {}, console_)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const wal = join(dir.path, 'desk.sqlite3-wal');
    expect(!existsSync(wal) || readFileSync(wal).length === 0).toBe(true);
    const leftover = process.getActiveResourcesInfo().filter((kind) => !before.has(kind) && kind !== 'TTYWrap');
    expect(leftover).toEqual([]);
  });

  it('refuses to start on a database from a newer desk, with the reason', async () => {
    await desk.start();
    await desk.stop();
    const { Database } = await import('../../electron/core/store/db');
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await db.exec('PRAGMA user_version = 50');
    await db.close();
    desk = newDesk();
    await expect(desk.start()).rejects.toThrow(/newer than this version of the desk/);
  });
});

describe('one desk per data folder', () => {
  it('refuses a second desk on the same folder while the first runs, and allows it after a clean stop or a crash', async () => {
    await desk.start();
    const second = newDesk();
    await expect(second.start()).rejects.toThrow(/another desk \(process \d+\) is already running on/);
    await desk.stop();
    const third = newDesk();
    await third.start();
    expect(await third.call('getSettings', {}, console_)).toMatchObject({ ok: true });
    await third.stop();
    // A lock left by a process that no longer exists (a crash) does not block the next start.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir.path, 'desk.lock'), '2147483646');
    desk = newDesk();
    await desk.start();
  });
});
