-- The rules stage (R2, R12-R14): each interaction keeps what the rules decided and why (the
-- rule, keywords matched, sentiment, calendar state, action) and, when it is routed, where to:
-- an interaction that waits for the desk to reopen must enter the queue its rule chose.
-- Queue samples feed the Queues page's chart of waiting work over the last hours.

-- The platform's language code (X gives one): sentiment and language conditions read it.
ALTER TABLE messages ADD COLUMN lang TEXT CHECK (lang IS NULL OR length(lang) <= 16);

ALTER TABLE interactions ADD COLUMN rule_decision TEXT CHECK (rule_decision IS NULL OR json_valid(rule_decision));
-- {"queue": name, "priority": 0-100} or {"group": name, "priority": 0-100}; NULL: not routed.
ALTER TABLE interactions ADD COLUMN route_target TEXT CHECK (route_target IS NULL OR json_valid(route_target));
ALTER TABLE interactions ADD COLUMN sentiment REAL CHECK (sentiment IS NULL OR sentiment BETWEEN -1 AND 1);
ALTER TABLE interactions ADD COLUMN calendar_on_arrival TEXT CHECK (calendar_on_arrival IS NULL OR calendar_on_arrival IN ('open', 'closed', 'emergency'));

-- Automatic likes per day (R14's daily cap) are counted from the outbox by origin and time.
CREATE INDEX outbox_by_origin ON outbox (origin, created_at);

-- Waiting work per queue or agent group, one row per key per minute.
CREATE TABLE queue_samples (
  at INTEGER NOT NULL,
  -- "queue:<id>" or "group:<name>"
  queue_key TEXT NOT NULL CHECK (length(queue_key) > 2),
  waiting INTEGER NOT NULL CHECK (waiting >= 0),
  PRIMARY KEY (at, queue_key)
) WITHOUT ROWID;
