/** Contacts and their platform identities. */
import type { ContactSummary, Platform, PlatformIdentity } from '../contract';
import { insertWithIds, type Sql } from './db';
import { escapeLike, foldForSearch } from './text';

export interface NewContact {
  displayName: string;
  identities: PlatformIdentity[];
  at: number;
}

interface ContactRow {
  id: number;
  display_name: string;
  message_count: number;
  last_message_at: number | null;
}

interface IdentityRow {
  contact_id: number;
  platform: Platform;
  platform_user_id: string;
  handle: string | null;
  name: string | null;
}

function searchTextOf(displayName: string, identities: readonly PlatformIdentity[]): string {
  const parts = [displayName];
  for (const identity of identities) {
    if (identity.handle) parts.push(identity.handle, `@${identity.handle}`);
    if (identity.name) parts.push(identity.name);
  }
  return foldForSearch(parts.join(' '));
}

/** Creates a contact with its identities in one go; returns its id. */
export async function addContact(sql: Sql, contact: NewContact): Promise<number> {
  const { lastID } = await sql.run('INSERT INTO contacts (display_name, search_text, created_at, updated_at) VALUES (?, ?, ?, ?)', [
    contact.displayName,
    searchTextOf(contact.displayName, contact.identities),
    contact.at,
    contact.at,
  ]);
  await sql.insertMany(
    'contact_identities',
    ['contact_id', 'platform', 'platform_user_id', 'handle', 'name', 'first_seen_at', 'last_seen_at'],
    contact.identities.map((identity) => [lastID, identity.platform, identity.platformUserId, identity.handle, identity.name, contact.at, contact.at]),
  );
  return lastID;
}

const SUMMARY_COLUMNS = `
  c.id, c.display_name,
  (SELECT count(*) FROM messages m WHERE m.contact_id = c.id) AS message_count,
  (SELECT max(m.created_at) FROM messages m WHERE m.contact_id = c.id) AS last_message_at`;

async function withIdentities(sql: Sql, rows: ContactRow[]): Promise<ContactSummary[]> {
  if (rows.length === 0) return [];
  const identities = await sql.all<IdentityRow>(
    `SELECT contact_id, platform, platform_user_id, handle, name FROM contact_identities
     WHERE contact_id IN (${rows.map(() => '?').join(', ')}) ORDER BY platform, id`,
    rows.map((row) => row.id),
  );
  const byContact = new Map<number, PlatformIdentity[]>();
  for (const identity of identities) {
    const list = byContact.get(identity.contact_id) ?? [];
    list.push({ platform: identity.platform, platformUserId: identity.platform_user_id, handle: identity.handle, name: identity.name });
    byContact.set(identity.contact_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    displayName: row.display_name,
    identities: byContact.get(row.id) ?? [],
    messageCount: row.message_count,
    lastMessageAt: row.last_message_at,
  }));
}

/** The contact a (possibly merged) id stands for today. */
export async function currentContactId(sql: Sql, id: number): Promise<number | null> {
  let current = id;
  // Merges can chain (A into B, later B into C); a few hops at most.
  for (let hop = 0; hop < 16; hop += 1) {
    const row = await sql.get<{ merged_into_id: number | null }>('SELECT merged_into_id FROM contacts WHERE id = ?', [current]);
    if (!row) return null;
    if (row.merged_into_id === null) return current;
    current = row.merged_into_id;
  }
  return null;
}

export async function getContact(sql: Sql, id: number): Promise<ContactSummary | null> {
  const current = await currentContactId(sql, id);
  if (current === null) return null;
  const row = await sql.get<ContactRow>(`SELECT ${SUMMARY_COLUMNS} FROM contacts c WHERE c.id = ?`, [current]);
  if (!row) return null;
  const [summary] = await withIdentities(sql, [row]);
  return summary ?? null;
}

/**
 * Contacts whose name or handles contain the query, most recently active first. An empty
 * query lists the most recently active contacts.
 */
export async function searchContacts(sql: Sql, query: string, limit: number): Promise<ContactSummary[]> {
  const folded = foldForSearch(query).replace(/^@/, '');
  const rows = await sql.all<ContactRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM contacts c
     WHERE c.merged_into_id IS NULL AND c.search_text LIKE ? ESCAPE '\\'
     ORDER BY last_message_at IS NULL, last_message_at DESC, c.id DESC
     LIMIT ?`,
    [`%${escapeLike(folded)}%`, limit],
  );
  return withIdentities(sql, rows);
}

export interface IdentityKey {
  platform: Platform;
  platformUserId: string;
}

export interface KnownIdentity extends IdentityKey {
  identityId: number;
  contactId: number;
  contactName: string;
  handle: string | null;
  name: string | null;
}

export function identityKey(key: IdentityKey): string {
  return `${key.platform}\u0000${key.platformUserId}`;
}

/** Looks up many identities in one statement (a JSON array parameter, so no variable limit). */
export async function findIdentities(sql: Sql, keys: readonly IdentityKey[]): Promise<Map<string, KnownIdentity>> {
  const found = new Map<string, KnownIdentity>();
  if (keys.length === 0) return found;
  const rows = await sql.all<{ id: number; contact_id: number; display_name: string; platform: Platform; platform_user_id: string; handle: string | null; name: string | null }>(
    `SELECT i.id, i.contact_id, c.display_name, i.platform, i.platform_user_id, i.handle, i.name
     FROM json_each(?) AS k
     JOIN contact_identities i ON i.platform = k.value ->> 0 AND i.platform_user_id = k.value ->> 1
     JOIN contacts c ON c.id = i.contact_id`,
    [JSON.stringify(keys.map((k) => [k.platform, k.platformUserId]))],
  );
  for (const row of rows) {
    const identity: KnownIdentity = { identityId: row.id, contactId: row.contact_id, contactName: row.display_name, platform: row.platform, platformUserId: row.platform_user_id, handle: row.handle, name: row.name };
    found.set(identityKey(identity), identity);
  }
  return found;
}

/**
 * Creates one contact per identity, in two statements whatever the count. Must run inside a
 * transaction: the new ids are read as the run after the table's previous maximum.
 */
export async function createContactsFor(sql: Sql, identities: readonly PlatformIdentity[], at: number): Promise<number[]> {
  if (identities.length === 0) return [];
  const ids = await insertWithIds(
    sql,
    'contacts',
    ['display_name', 'search_text', 'created_at', 'updated_at'],
    identities.map((identity) => [displayNameOf(identity), searchTextOf(displayNameOf(identity), [identity]), at, at]),
  );
  await sql.insertMany(
    'contact_identities',
    ['contact_id', 'platform', 'platform_user_id', 'handle', 'name', 'first_seen_at', 'last_seen_at'],
    identities.map((identity, index) => [ids[index]!, identity.platform, identity.platformUserId, identity.handle, identity.name, at, at]),
  );
  return ids;
}

/** What to call a person the platform told us little about. */
export function displayNameOf(identity: PlatformIdentity): string {
  return identity.name?.trim() || (identity.handle ? `@${identity.handle}` : `${identity.platform} user ${identity.platformUserId}`);
}

/**
 * Keeps handles and names current (people rename themselves) and refreshes the contact's
 * search text so the new handle is findable.
 */
export async function refreshIdentities(sql: Sql, changes: readonly { identityId: number; contactId: number; handle: string | null; name: string | null }[], at: number): Promise<void> {
  if (changes.length === 0) return;
  for (const change of changes) {
    await sql.run('UPDATE contact_identities SET handle = ?, name = ?, last_seen_at = ? WHERE id = ?', [change.handle, change.name, at, change.identityId]);
  }
  for (const contactId of new Set(changes.map((c) => c.contactId))) {
    const contact = await getContact(sql, contactId);
    if (!contact) continue;
    await sql.run('UPDATE contacts SET search_text = ?, updated_at = ? WHERE id = ?', [searchTextOf(contact.displayName, contact.identities), at, contactId]);
  }
}

/**
 * Makes two contacts one: identities, messages and interactions of `mergeId` move to `keepId`,
 * which keeps its name; `mergeId` stays behind as a pointer. Run inside a transaction.
 */
export async function mergeContacts(sql: Sql, keepId: number, mergeId: number, at: number): Promise<void> {
  for (const table of ['contact_identities', 'messages', 'interactions']) {
    await sql.run(`UPDATE ${table} SET contact_id = ? WHERE contact_id = ?`, [keepId, mergeId]);
  }
  await sql.run('UPDATE contacts SET merged_into_id = ?, search_text = \'\', updated_at = ? WHERE id = ?', [keepId, at, mergeId]);
  const kept = await getContact(sql, keepId);
  if (kept) await sql.run('UPDATE contacts SET search_text = ?, updated_at = ? WHERE id = ?', [searchTextOf(kept.displayName, kept.identities), at, keepId]);
}
