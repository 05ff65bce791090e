-- The outbox: every outbound action (reply, DM, Messenger message, like, retweet, hide), stored
-- before its first try and kept after it ends, so the desk retries across restarts until the
-- deadline and never sends the same thing twice (see electron/core/outbox/README.md).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('x.reply', 'x.dm', 'x.like', 'x.unlike', 'x.retweet', 'x.unretweet', 'x.hide-reply',
                                     'facebook.comment', 'facebook.like', 'facebook.unlike', 'facebook.hide',
                                     'facebook.private-reply', 'messenger.send')),
  platform TEXT NOT NULL CHECK (platform IN ('x', 'facebook', 'messenger')),
  -- The action's own fields (ids, text, tag) as the schema in outbox/actions.ts reads them.
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  interaction_id INTEGER REFERENCES interactions(id),
  origin TEXT NOT NULL CHECK (origin IN ('agent', 'auto-reply', 'closed-desk', 'auto-like', 'system')),
  -- Enqueueing the same key twice gives back the first item (NULLs never collide).
  idempotency_key TEXT UNIQUE CHECK (idempotency_key IS NULL OR length(idempotency_key) > 0),
  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'retrying', 'sent', 'failed', 'cancelled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deadline_at INTEGER NOT NULL,
  -- Due time of the next try while pending or retrying; NULL once it has ended.
  next_attempt_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the latest try was committed as `sending` (the intent), before its request.
  intent_at INTEGER,
  -- The first try whose outcome the desk never saw (a crash, a dropped answer): the next try
  -- looks on the platform from this time before it sends again. NULL: nothing in doubt.
  doubt_since INTEGER,
  last_error TEXT,
  -- Why it ended failed or cancelled.
  reason TEXT,
  result_id TEXT,
  message_id INTEGER REFERENCES messages(id),
  sent_at INTEGER,
  CHECK ((state IN ('pending', 'retrying')) = (next_attempt_at IS NOT NULL)),
  CHECK (state <> 'sending' OR intent_at IS NOT NULL),
  CHECK (state <> 'sent' OR sent_at IS NOT NULL)
);
-- The runner's questions (what is due, what a crash left in `sending`) and the console's list
-- by state all read one state's rows, newest first.
CREATE INDEX outbox_by_state ON outbox (state, id);
CREATE INDEX outbox_by_contact ON outbox (contact_id, id);
-- In-doubt checks skip what other items already claimed.
CREATE INDEX outbox_by_result ON outbox (kind, result_id) WHERE result_id IS NOT NULL;
