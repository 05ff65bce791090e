-- The desk's first schema: contacts and their platform identities, messages, interactions
-- with their state history, connector cursors, settings and the audit log.
-- Every instant is UTC epoch milliseconds.

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  display_name TEXT NOT NULL,
  -- Lower-cased, accent-free name and handles, so search does not depend on how a person typed them.
  search_text TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE contact_identities (
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  platform TEXT NOT NULL CHECK (platform IN ('x', 'facebook', 'messenger')),
  -- X user id, Facebook app-scoped id, Messenger page-scoped id: stable where handles are not.
  platform_user_id TEXT NOT NULL CHECK (length(platform_user_id) > 0),
  handle TEXT,
  name TEXT,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  UNIQUE (platform, platform_user_id)
);
CREATE INDEX contact_identities_by_contact ON contact_identities (contact_id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL CHECK (platform IN ('x', 'facebook', 'messenger')),
  external_id TEXT NOT NULL CHECK (length(external_id) > 0),
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  kind TEXT NOT NULL CHECK (kind IN ('x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment',
                                     'facebook.reply', 'facebook.private-reply', 'messenger.message')),
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  text TEXT NOT NULL,
  -- The platform's thread: X conversation id, Facebook post id, Messenger conversation id.
  conversation_ref TEXT,
  in_reply_to_external_id TEXT,
  created_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  UNIQUE (platform, external_id)
);
CREATE INDEX messages_by_contact ON messages (contact_id, created_at DESC, id DESC);

CREATE TABLE interactions (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  state TEXT NOT NULL CHECK (state IN ('new', 'ignored', 'auto-handled', 'waiting-for-open', 'queued', 'assigned', 'completed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX interactions_by_state ON interactions (state, created_at);

-- Every change of state after the first: an interaction is born `new` at its created_at.
CREATE TABLE interaction_state_history (
  id INTEGER PRIMARY KEY,
  interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX interaction_state_history_by_interaction ON interaction_state_history (interaction_id, at);

CREATE TABLE connector_cursors (
  connector TEXT NOT NULL,
  stream TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (connector, stream)
) WITHOUT ROWID;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT CHECK (detail IS NULL OR json_valid(detail))
);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
