-- Disposition codes and completion (R11), first response, and what the reports read.
--
-- A completed interaction keeps its code, note, agent, and (copied at completion) its channel
-- and queue: the disposition report then reads one covering index instead of joining messages
-- and assignments for every row (see test/bench/reports.ts for the numbers).

CREATE TABLE disposition_codes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- Retired codes stay in old reports and can no longer be chosen; NULL: in use.
  retired_at INTEGER
);

ALTER TABLE interactions ADD COLUMN completed_at INTEGER;
ALTER TABLE interactions ADD COLUMN completed_by_agent_id INTEGER REFERENCES agents(id);
ALTER TABLE interactions ADD COLUMN disposition_code_id INTEGER REFERENCES disposition_codes(id);
ALTER TABLE interactions ADD COLUMN disposition_note TEXT;
-- Copied from the message and the routing at completion, for the report's filters.
ALTER TABLE interactions ADD COLUMN completed_channel TEXT CHECK (completed_channel IS NULL OR completed_channel IN ('x', 'facebook', 'messenger'));
ALTER TABLE interactions ADD COLUMN completed_queue_id INTEGER REFERENCES queues(id);
-- When an agent first answered (reply, private message, like), and how the customer was answered.
ALTER TABLE interactions ADD COLUMN first_response_at INTEGER;
ALTER TABLE interactions ADD COLUMN answer_visibility TEXT CHECK (answer_visibility IS NULL OR answer_visibility IN ('public', 'private', 'both'));

-- Interactions completed before this migration (by a test or a tool: nothing in the desk could
-- complete one yet) enter the reports on the day they were completed, without a code.
UPDATE interactions
SET completed_at = coalesce(
      (SELECT max(h.at) FROM interaction_state_history h WHERE h.interaction_id = interactions.id AND h.to_state = 'completed'),
      interactions.updated_at),
    completed_channel = (SELECT m.platform FROM messages m WHERE m.id = interactions.message_id)
WHERE state = 'completed';

-- The disposition report counts one range of this index per (code, channel, day): ordered so no
-- completion is sorted or read from the table, with queue and agent in it for the filters
-- (store/reports.ts says why, test/bench/reports.ts measures it).
CREATE INDEX interactions_by_disposition
  ON interactions (disposition_code_id, completed_channel, completed_at, completed_queue_id, completed_by_agent_id)
  WHERE completed_at IS NOT NULL;
-- First response and handle time read the completions of a range.
CREATE INDEX interactions_by_completion ON interactions (completed_at) WHERE completed_at IS NOT NULL;
-- Volume by channel and the CSV export read interactions by arrival.
CREATE INDEX interactions_by_arrival ON interactions (created_at);
-- Auto-handled counts read the outbox by origin and time (outbox_by_origin, from 005).

-- A first set of codes a social-care team recognises; supervisors rename or retire them.
INSERT INTO disposition_codes (name, created_at, updated_at) VALUES
  ('Resolved', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER)),
  ('Information given', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER)),
  ('Escalated', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER)),
  ('Follow-up needed', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER)),
  ('Spam / no action', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER));
