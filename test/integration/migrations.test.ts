/**
 * Migrations: each numbered file is tested from the version before it, with data in place.
 * A new migration adds its own `describe` below with rows written at the previous version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../electron/core/store/db';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/store/migrate';
import { openStore } from '../../electron/core/store';
import { migrationsCopy, removeDir } from '../support/migrations';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('the migration set', () => {
  it('is numbered from 001 without holes', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('brings a new database to the newest version, and a second open changes nothing', async () => {
    const first = await openStore(dir.path);
    expect(first.schemaVersion).toBe(loadMigrations().length);
    await first.close();
    const second = await openStore(dir.path);
    expect(second.schemaVersion).toBe(loadMigrations().length);
    await second.close();
  });

  it('refuses a database written by a newer desk, and leaves it untouched', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await db.exec('PRAGMA user_version = 999; CREATE TABLE from_the_future (x)');
    await db.close();
    await expect(openStore(dir.path)).rejects.toThrow(/schema version 999, newer than this version of the desk understands/);
    const check = await Database.open(join(dir.path, 'desk.sqlite3'));
    expect(await schemaVersion(check)).toBe(999);
    expect(await check.get("SELECT count(*) AS c FROM sqlite_master WHERE name = 'contacts'")).toEqual({ c: 0 });
    await check.close();
  });

  it('refuses a migration set with a hole in its numbers', async () => {
    const newest = loadMigrations().length;
    const pad = (n: number) => String(n).padStart(3, '0');
    const holed = migrationsCopy((d) => writeFileSync(join(d, `${pad(newest + 2)}-skipped-one.sql`), 'SELECT 1;'));
    try {
      await expect(openStore(dir.path, { migrationsDir: holed })).rejects.toThrow(new RegExp(`migration ${pad(newest + 1)} is missing`));
    } finally {
      removeDir(holed);
    }
  });

  it('refuses a badly named migration file and a duplicate number', async () => {
    const badName = migrationsCopy((d) => writeFileSync(join(d, '2-oops.sql'), 'SELECT 1;'));
    const duplicate = migrationsCopy((d, files) => writeFileSync(join(d, files[0]!.replace(/-.*/, '-again.sql')), 'SELECT 1;'));
    try {
      expect(() => loadMigrations(badName)).toThrow(/2-oops.sql is not named NNN-name.sql/);
      expect(() => loadMigrations(duplicate)).toThrow(/two migrations are numbered 001/);
    } finally {
      removeDir(badName);
      removeDir(duplicate);
    }
  });

  it('rolls a failing migration back whole and keeps the previous version', async () => {
    const broken = migrationsCopy((d, files) =>
      writeFileSync(join(d, `${String(files.length + 1).padStart(3, '0')}-broken.sql`), 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;'),
    );
    try {
      await expect(openStore(dir.path, { migrationsDir: broken })).rejects.toThrow(/no such table/);
      const db = await Database.open(join(dir.path, 'desk.sqlite3'));
      expect(await schemaVersion(db)).toBe(loadMigrations().length);
      expect(await db.get("SELECT count(*) AS c FROM sqlite_master WHERE name = 'half_done'")).toEqual({ c: 0 });
      await db.close();
    } finally {
      removeDir(broken);
    }
  });
});

describe('001-initial-schema (from an empty file)', () => {
  it('creates the tables with the constraints the desk relies on', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await db.exec('CREATE TABLE not_ours (x); INSERT INTO not_ours VALUES (1);'); // a stray table survives
    expect(await migrate(db, loadMigrations(), 1)).toBe(1);
    expect(await schemaVersion(db)).toBe(1);
    expect(await db.get('SELECT x FROM not_ours')).toEqual({ x: 1 });

    await db.run("INSERT INTO contacts (id, display_name, created_at, updated_at) VALUES (1, 'Ana', 0, 0)");
    await db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'x', '42', 0, 0)");
    await expect(db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'x', '42', 0, 0)")).rejects.toThrow(/UNIQUE/);
    // The same user id on another platform is another identity.
    await db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'messenger', '42', 0, 0)");
    await expect(db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'myspace', '1', 0, 0)")).rejects.toThrow(/CHECK/);

    const message = "INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at) VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0)";
    await db.run(message);
    await expect(db.run(message)).rejects.toThrow(/UNIQUE/);
    await expect(db.run(message.replace("'t1', 1", "'t2', 99"))).rejects.toThrow(/FOREIGN KEY/);
    await expect(db.run(message.replace("'t1'", "'t3'").replace("'inbound'", "'sideways'"))).rejects.toThrow(/CHECK/);

    await db.run("INSERT INTO interactions (message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 'new', 0, 0)");
    await expect(db.run("INSERT INTO interactions (message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 'new', 0, 0)")).rejects.toThrow(/UNIQUE/);
    await expect(db.run("UPDATE interactions SET state = 'lost'")).rejects.toThrow(/CHECK/);
    await expect(db.run("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('k', 'not json', 0, 'x')")).rejects.toThrow(/CHECK/);
    await db.close();
  });
});

describe('002-contact-merges (from 001 with data in place)', () => {
  it('keeps every contact, identity and message, and starts with nobody merged', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 1);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0), (2, 'Ana on Messenger', 'ana on messenger', 0, 0);
      INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'x', '1', 0, 0), (2, 'messenger', 'p1', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at)
        VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0), ('messenger', 'm1', 2, 'messenger.message', 'inbound', 'private', 'hello', 0, 0);
    `);
    expect(await migrate(db, loadMigrations(), 2)).toBe(2);
    expect(await db.all('SELECT id, display_name, merged_into_id FROM contacts ORDER BY id')).toEqual([
      { id: 1, display_name: 'Ana', merged_into_id: null },
      { id: 2, display_name: 'Ana on Messenger', merged_into_id: null },
    ]);
    expect(await db.get('SELECT count(*) AS c FROM messages')).toEqual({ c: 2 });
    await expect(db.run('UPDATE contacts SET merged_into_id = 99 WHERE id = 2')).rejects.toThrow(/FOREIGN KEY/);
    await db.close();
  });
});

describe('003-outbox (from 002 with data in place)', () => {
  it('keeps the history, adds an empty outbox with the constraints the runner relies on', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 2);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0), (2, 'Bea', 'bea', 0, 0);
      UPDATE contacts SET merged_into_id = 1 WHERE id = 2;
      INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'x', '1', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at)
        VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0);
      INSERT INTO interactions (message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 'queued', 0, 0);
    `);
    expect(await migrate(db, loadMigrations(), 3)).toBe(3);
    expect(await schemaVersion(db)).toBe(3);
    expect(await db.all('SELECT id, display_name, merged_into_id FROM contacts ORDER BY id')).toEqual([
      { id: 1, display_name: 'Ana', merged_into_id: null },
      { id: 2, display_name: 'Bea', merged_into_id: 1 },
    ]);
    expect(await db.get('SELECT count(*) AS c FROM messages')).toEqual({ c: 1 });
    expect(await db.get('SELECT state FROM interactions')).toEqual({ state: 'queued' });
    expect(await db.get('SELECT count(*) AS c FROM outbox')).toEqual({ c: 0 });
    const indexes = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(indexes.map((i) => i.name)).toEqual(['outbox_by_contact', 'outbox_by_result', 'outbox_by_state']);

    const insert = (values: string) =>
      db.run(`INSERT INTO outbox (kind, platform, payload, contact_id, interaction_id, origin, idempotency_key, state, created_at, updated_at, deadline_at, next_attempt_at) VALUES (${values})`);
    await insert(`'x.reply', 'x', '{"inReplyToTweetId":"1","text":"hi"}', 1, 1, 'agent', 'k1', 'pending', 0, 0, 100, 0`);
    await insert(`'x.like', 'x', '{"tweetId":"1"}', 1, NULL, 'auto-like', NULL, 'pending', 0, 0, 100, 0`);
    await insert(`'x.like', 'x', '{"tweetId":"2"}', 1, NULL, 'auto-like', NULL, 'pending', 0, 0, 100, 0`); // NULL keys never collide
    await expect(insert(`'x.like', 'x', '{"tweetId":"1"}', 1, NULL, 'agent', 'k1', 'pending', 0, 0, 100, 0`)).rejects.toThrow(/UNIQUE/);
    await expect(insert(`'x.post', 'x', '{}', 1, NULL, 'agent', NULL, 'pending', 0, 0, 100, 0`)).rejects.toThrow(/CHECK/);
    await expect(insert(`'x.like', 'x', '{}', 1, NULL, 'robot', NULL, 'pending', 0, 0, 100, 0`)).rejects.toThrow(/CHECK/);
    await expect(insert(`'x.like', 'x', 'not json', 1, NULL, 'agent', NULL, 'pending', 0, 0, 100, 0`)).rejects.toThrow(/CHECK/);
    await expect(insert(`'x.like', 'x', '{}', 99, NULL, 'agent', NULL, 'pending', 0, 0, 100, 0`)).rejects.toThrow(/FOREIGN KEY/);
    await expect(insert(`'x.like', 'x', '{}', 1, 99, 'agent', NULL, 'pending', 0, 0, 100, 0`)).rejects.toThrow(/FOREIGN KEY/);
    // Waiting items have a next try and nothing else does; `sending` has its intent; `sent` its time.
    await expect(insert(`'x.like', 'x', '{}', 1, NULL, 'agent', NULL, 'pending', 0, 0, 100, NULL`)).rejects.toThrow(/CHECK/);
    await expect(db.run("UPDATE outbox SET state = 'failed' WHERE idempotency_key = 'k1'")).rejects.toThrow(/CHECK/);
    await expect(db.run("UPDATE outbox SET state = 'sending', next_attempt_at = NULL WHERE idempotency_key = 'k1'")).rejects.toThrow(/CHECK/);
    await expect(db.run("UPDATE outbox SET state = 'sent', next_attempt_at = NULL WHERE idempotency_key = 'k1'")).rejects.toThrow(/CHECK/);
    await db.run("UPDATE outbox SET state = 'sent', next_attempt_at = NULL, sent_at = 5, result_id = 'r1' WHERE idempotency_key = 'k1'");
    await expect(db.run("UPDATE outbox SET state = 'lost' WHERE idempotency_key = 'k1'")).rejects.toThrow(/CHECK/);
    await db.close();
  });
});

describe('004-routing (from 003 with data in place)', () => {
  it('keeps interactions and the outbox, adds empty routing tables with the constraints the router relies on', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 3);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at)
        VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0), ('x', 'd1', 1, 'x.dm', 'inbound', 'private', 'psst', 0, 0);
      INSERT INTO interactions (id, message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 1, 'queued', 0, 0), (2, 2, 1, 'completed', 0, 0);
      INSERT INTO outbox (kind, platform, payload, contact_id, interaction_id, origin, state, created_at, updated_at, deadline_at, next_attempt_at)
        VALUES ('x.reply', 'x', '{"inReplyToTweetId":"1","text":"hi"}', 1, 1, 'agent', 'pending', 0, 0, 100, 0);
    `);
    expect(await migrate(db, loadMigrations(), 4)).toBe(4);
    expect(await schemaVersion(db)).toBe(4);
    expect(await db.all('SELECT id, state FROM interactions ORDER BY id')).toEqual([
      { id: 1, state: 'queued' },
      { id: 2, state: 'completed' },
    ]);
    expect(await db.get('SELECT count(*) AS c FROM outbox')).toEqual({ c: 1 });
    for (const table of ['agents', 'agent_skills', 'agent_groups', 'queues', 'queue_skills', 'queue_entries', 'assignments']) {
      expect(await db.get(`SELECT count(*) AS c FROM ${table}`)).toEqual({ c: 0 });
    }

    const agent = (name: string, values = "1, 1, 'offline', NULL") =>
      db.run(`INSERT INTO agents (name, public_capacity, private_capacity, state, not_ready_reason, state_since, idle_since, created_at, updated_at) VALUES ('${name}', ${values}, 0, 0, 0, 0)`);
    await agent('Ana');
    await expect(agent('ana')).rejects.toThrow(/UNIQUE/); // names are unique whatever the case
    await expect(agent('  ')).rejects.toThrow(/CHECK/);
    await expect(agent('Bea', "-1, 1, 'offline', NULL")).rejects.toThrow(/CHECK/);
    await expect(agent('Bea', "1, 1, 'not-ready', NULL")).rejects.toThrow(/CHECK/); // not ready needs a reason
    await expect(agent('Bea', "1, 1, 'ready', 'lunch'")).rejects.toThrow(/CHECK/);
    await expect(agent('Bea', "1, 1, 'asleep', NULL")).rejects.toThrow(/CHECK/);
    await db.run("INSERT INTO agent_skills (agent_id, skill, level) VALUES (1, 'billing', 10)");
    await expect(db.run("INSERT INTO agent_skills (agent_id, skill, level) VALUES (1, 'spanish', 11)")).rejects.toThrow(/CHECK/);
    await expect(db.run("INSERT INTO agent_skills (agent_id, skill, level) VALUES (1, 'billing', 5)")).rejects.toThrow(/UNIQUE|PRIMARY/);
    await expect(db.run("INSERT INTO agent_skills (agent_id, skill, level) VALUES (9, 'billing', 5)")).rejects.toThrow(/FOREIGN KEY/);

    const queue = (values: string) =>
      db.run(
        `INSERT INTO queues (name, priority, service_level_percent, service_level_within_ms, overflow_after_ms, overflow_every_ms, overflow_level_drop, created_at, updated_at) VALUES (${values}, 0, 0)`,
      );
    await queue("'Billing', 50, 80, 900000, 300000, 300000, 2");
    await queue("'Legal', 50, 80, 900000, NULL, NULL, NULL");
    await expect(queue("'BILLING', 50, 80, 900000, NULL, NULL, NULL")).rejects.toThrow(/UNIQUE/);
    await expect(queue("'Tech', 50, 80, 900000, 300000, NULL, 2")).rejects.toThrow(/CHECK/); // overflow is all or nothing
    await expect(queue("'Tech', 101, 80, 900000, NULL, NULL, NULL")).rejects.toThrow(/CHECK/);
    await db.run("INSERT INTO queue_skills (queue_id, position, skill, min_level) VALUES (1, 0, 'billing', 6)");
    await expect(db.run("INSERT INTO queue_skills (queue_id, position, skill, min_level) VALUES (1, 1, 'billing', 3)")).rejects.toThrow(/UNIQUE/);
    await expect(db.run("INSERT INTO queue_skills (queue_id, position, skill, min_level) VALUES (1, 1, 'spanish', 0)")).rejects.toThrow(/CHECK/);

    const entry = (values: string) =>
      db.run(`INSERT INTO queue_entries (interaction_id, queue_id, group_name, priority, work_kind, entered_at, queue_entered_at) VALUES (${values}, 0, 0)`);
    await expect(entry("1, 1, 'dm-team', 50, 'public'")).rejects.toThrow(/CHECK/); // a queue or a group, not both
    await expect(entry("1, NULL, NULL, 50, 'public'")).rejects.toThrow(/CHECK/);
    await expect(entry("1, 1, NULL, 50, 'sideways'")).rejects.toThrow(/CHECK/);
    await expect(entry("1, 7, NULL, 50, 'public'")).rejects.toThrow(/FOREIGN KEY/);
    await expect(entry("99, 1, NULL, 50, 'public'")).rejects.toThrow(/FOREIGN KEY/);
    await entry("1, 1, NULL, 50, 'public'");
    await expect(entry("1, 2, NULL, 50, 'public'")).rejects.toThrow(/UNIQUE|PRIMARY/);

    const offer = () =>
      db.run(
        `INSERT INTO assignments (interaction_id, agent_id, queue_id, work_kind, entered_at, offered_at, offered_by, explanation, why)
         VALUES (1, 1, 1, 'public', 0, 0, 'routing', 'Ana: billing 10 ≥ 6', '{}')`,
      );
    await offer();
    await expect(offer()).rejects.toThrow(/UNIQUE/); // one open assignment per interaction
    await expect(db.run("UPDATE assignments SET ended_at = 5")).rejects.toThrow(/CHECK/); // an end needs its reason
    await db.run("UPDATE assignments SET ended_at = 5, end_reason = 'returned'");
    await offer();
    await expect(db.run("UPDATE assignments SET end_reason = 'lost' WHERE ended_at IS NOT NULL")).rejects.toThrow(/CHECK/);
    await expect(db.run("UPDATE assignments SET why = 'not json'")).rejects.toThrow(/CHECK/);
    await db.close();
  });
});

describe('005-rule-decisions (from 004 with data in place)', () => {
  it('keeps messages, interactions and routing; adds the decision columns, message language and queue samples', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 4);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at)
        VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0);
      INSERT INTO interactions (id, message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 1, 'queued', 0, 0);
      INSERT INTO queues (name, priority, service_level_percent, service_level_within_ms, created_at, updated_at) VALUES ('general', 50, 80, 900000, 0, 0);
      INSERT INTO queue_entries (interaction_id, queue_id, priority, work_kind, entered_at, queue_entered_at) VALUES (1, 1, 50, 'public', 0, 0);
    `);
    expect(await migrate(db, loadMigrations(), 5)).toBe(5);
    expect(await db.get('SELECT id, state, rule_decision, route_target, sentiment, calendar_on_arrival FROM interactions')).toEqual({
      id: 1,
      state: 'queued',
      rule_decision: null,
      route_target: null,
      sentiment: null,
      calendar_on_arrival: null,
    });
    expect(await db.get('SELECT text, lang FROM messages')).toEqual({ text: 'hi', lang: null });
    expect(await db.get('SELECT count(*) AS c FROM queue_entries')).toEqual({ c: 1 });

    await db.run(`UPDATE interactions SET rule_decision = '{"rule":"x"}', route_target = '{"queue":"general","priority":50}', sentiment = -0.5, calendar_on_arrival = 'emergency'`);
    await expect(db.run("UPDATE interactions SET rule_decision = 'not json'")).rejects.toThrow(/CHECK/);
    await expect(db.run('UPDATE interactions SET sentiment = 1.5')).rejects.toThrow(/CHECK/);
    await expect(db.run("UPDATE interactions SET calendar_on_arrival = 'maybe'")).rejects.toThrow(/CHECK/);
    await db.run("INSERT INTO queue_samples (at, queue_key, waiting) VALUES (60000, 'queue:1', 3)");
    await expect(db.run("INSERT INTO queue_samples (at, queue_key, waiting) VALUES (60000, 'queue:1', 4)")).rejects.toThrow(/UNIQUE|PRIMARY/);
    await expect(db.run("INSERT INTO queue_samples (at, queue_key, waiting) VALUES (0, 'queue:1', -1)")).rejects.toThrow(/CHECK/);
    await db.close();
  });
});

describe('006-dispositions (from 005 with data in place)', () => {
  it('keeps interactions, dates those already completed, seeds the default codes and adds the completion columns', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 5);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at)
        VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0), ('messenger', 'm1', 1, 'messenger.message', 'inbound', 'private', 'psst', 0, 0);
      INSERT INTO interactions (id, message_id, contact_id, state, created_at, updated_at, sentiment, calendar_on_arrival)
        VALUES (1, 1, 1, 'queued', 100, 100, 0.5, 'open'), (2, 2, 1, 'completed', 100, 900, NULL, 'closed');
      INSERT INTO interaction_state_history (interaction_id, at, from_state, to_state, actor, reason) VALUES (2, 700, 'assigned', 'completed', 'Ana', NULL);
      INSERT INTO agents (name, public_capacity, private_capacity, state, not_ready_reason, state_since, idle_since, created_at, updated_at)
        VALUES ('Ines', 1, 1, 'offline', NULL, 0, 0, 0, 0);
    `);
    expect(await migrate(db, loadMigrations(), 6)).toBe(6);
    expect(await schemaVersion(db)).toBe(6);
    expect(
      await db.all(
        'SELECT id, state, sentiment, calendar_on_arrival, completed_at, completed_channel, disposition_code_id, first_response_at, answer_visibility FROM interactions ORDER BY id',
      ),
    ).toEqual([
      { id: 1, state: 'queued', sentiment: 0.5, calendar_on_arrival: 'open', completed_at: null, completed_channel: null, disposition_code_id: null, first_response_at: null, answer_visibility: null },
      // Completed before codes existed: it counts on the day it was completed, without a code.
      { id: 2, state: 'completed', sentiment: null, calendar_on_arrival: 'closed', completed_at: 700, completed_channel: 'messenger', disposition_code_id: null, first_response_at: null, answer_visibility: null },
    ]);
    expect((await db.all<{ name: string }>('SELECT name FROM disposition_codes ORDER BY id')).map((row) => row.name)).toEqual([
      'Resolved',
      'Information given',
      'Escalated',
      'Follow-up needed',
      'Spam / no action',
    ]);
    const indexes = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['interactions_by_arrival', 'interactions_by_completion', 'interactions_by_disposition']));

    const code = (name: string) => db.run('INSERT INTO disposition_codes (name, created_at, updated_at) VALUES (?, 0, 0)', [name]);
    await expect(code('resolved')).rejects.toThrow(/UNIQUE/); // unique whatever the case
    await expect(code('   ')).rejects.toThrow(/CHECK/);
    await expect(db.run('UPDATE interactions SET disposition_code_id = 99 WHERE id = 2')).rejects.toThrow(/FOREIGN KEY/);
    await expect(db.run('UPDATE interactions SET completed_by_agent_id = 99 WHERE id = 2')).rejects.toThrow(/FOREIGN KEY/);
    await expect(db.run('UPDATE interactions SET completed_queue_id = 99 WHERE id = 2')).rejects.toThrow(/FOREIGN KEY/);
    await expect(db.run("UPDATE interactions SET answer_visibility = 'loud' WHERE id = 2")).rejects.toThrow(/CHECK/);
    await expect(db.run("UPDATE interactions SET completed_channel = 'myspace' WHERE id = 2")).rejects.toThrow(/CHECK/);
    await db.run("UPDATE interactions SET disposition_code_id = 1, completed_by_agent_id = 1, answer_visibility = 'both' WHERE id = 2");
    await db.close();
  });
});

describe('007-pipeline-indexes (from 006 with data in place)', () => {
  it('keeps the data and lets the rules stage look up conversations and open chats by index', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await migrate(db, loadMigrations(), 6);
    await db.exec(`
      INSERT INTO contacts (id, display_name, search_text, created_at, updated_at) VALUES (1, 'Ana', 'ana', 0, 0);
      INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, conversation_ref, created_at, received_at)
        VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'awful', 'c1', 0, 0), ('x', 'r1', 1, 'x.reply', 'outbound', 'public', 'sorry', 'c1', 1, 1);
      INSERT INTO interactions (id, message_id, contact_id, state, sentiment, created_at, updated_at) VALUES (1, 1, 1, 'queued', -0.8, 0, 0);
    `);
    expect(await migrate(db, loadMigrations(), 7)).toBe(7);
    expect(await db.get('SELECT count(*) AS c FROM messages')).toEqual({ c: 2 });
    expect(await db.get('SELECT state, sentiment FROM interactions')).toEqual({ state: 'queued', sentiment: -0.8 });
    const plan = async (sql: string) => (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)).map((row) => row.detail).join(' | ');
    expect(await plan("SELECT 1 FROM messages WHERE platform = 'x' AND conversation_ref = 'c1'")).toMatch(/messages_by_conversation/);
    expect(await plan("SELECT id FROM interactions WHERE contact_id IN (1, 2) AND state IN ('queued', 'assigned')")).toMatch(/interactions_by_contact/);
    await db.close();
  });
});
