-- Skills-based routing (R8, R13, R17): agents with skills, groups and capacity per kind of work;
-- queues with required skills (most important first), priority, service level and overflow;
-- the interactions in routing (waiting or assigned); and every assignment with why it was made.
-- The router keeps indexes in memory and rebuilds them from these tables on start.

CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
  -- How many public threads and private chats the agent holds at once (offered or accepted).
  public_capacity INTEGER NOT NULL CHECK (public_capacity >= 0),
  private_capacity INTEGER NOT NULL CHECK (private_capacity >= 0),
  state TEXT NOT NULL CHECK (state IN ('ready', 'not-ready', 'offline')),
  not_ready_reason TEXT,
  state_since INTEGER NOT NULL,
  -- Since when the agent has had nothing new: became ready, was offered work, or finished some.
  idle_since INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((state = 'not-ready') = (not_ready_reason IS NOT NULL))
);

CREATE TABLE agent_skills (
  agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  skill TEXT NOT NULL CHECK (length(skill) > 0),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
  PRIMARY KEY (agent_id, skill)
) WITHOUT ROWID;
CREATE INDEX agent_skills_by_skill ON agent_skills (skill, level);

CREATE TABLE agent_groups (
  agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  group_name TEXT NOT NULL CHECK (length(group_name) > 0),
  PRIMARY KEY (agent_id, group_name)
) WITHOUT ROWID;

CREATE TABLE queues (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
  -- 0 to 100, higher first: the priority of an interaction enqueued without one.
  priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
  -- The service-level target: percent of interactions accepted within this long.
  service_level_percent INTEGER NOT NULL CHECK (service_level_percent BETWEEN 1 AND 100),
  service_level_within_ms INTEGER NOT NULL CHECK (service_level_within_ms > 0),
  -- Overflow (all three, or none: the requirement never relaxes).
  overflow_after_ms INTEGER CHECK (overflow_after_ms > 0),
  overflow_every_ms INTEGER CHECK (overflow_every_ms > 0),
  overflow_level_drop INTEGER CHECK (overflow_level_drop BETWEEN 1 AND 9),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((overflow_after_ms IS NULL) = (overflow_every_ms IS NULL) AND (overflow_every_ms IS NULL) = (overflow_level_drop IS NULL))
);

-- A queue's required skills; position 0 is the most important (the last one is dropped first).
CREATE TABLE queue_skills (
  queue_id INTEGER NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 0),
  skill TEXT NOT NULL CHECK (length(skill) > 0),
  min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 10),
  PRIMARY KEY (queue_id, position),
  UNIQUE (queue_id, skill)
) WITHOUT ROWID;

-- Each interaction in routing, waiting or assigned, in a queue or an agent group (R13).
CREATE TABLE queue_entries (
  interaction_id INTEGER PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
  queue_id INTEGER REFERENCES queues(id),
  group_name TEXT CHECK (group_name IS NULL OR length(group_name) > 0),
  priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
  work_kind TEXT NOT NULL CHECK (work_kind IN ('public', 'private')),
  -- First entered routing (its age); entered its current queue (the overflow clock).
  entered_at INTEGER NOT NULL,
  queue_entered_at INTEGER NOT NULL,
  -- Given back by an agent: it waits at the front.
  returned INTEGER NOT NULL DEFAULT 0 CHECK (returned IN (0, 1)),
  -- First accepted by an agent (service level counts it once).
  answered_at INTEGER,
  CHECK ((queue_id IS NULL) <> (group_name IS NULL))
);
CREATE INDEX queue_entries_by_queue ON queue_entries (queue_id) WHERE queue_id IS NOT NULL;

-- Every offer of an interaction to an agent; open while ended_at is NULL (one open per interaction).
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  queue_id INTEGER REFERENCES queues(id),
  group_name TEXT,
  work_kind TEXT NOT NULL CHECK (work_kind IN ('public', 'private')),
  entered_at INTEGER NOT NULL,
  offered_at INTEGER NOT NULL,
  accepted_at INTEGER,
  ended_at INTEGER,
  end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('completed', 'returned', 'moved')),
  end_detail TEXT,
  offered_by TEXT NOT NULL CHECK (offered_by IN ('routing', 'supervisor')),
  explanation TEXT NOT NULL,
  why TEXT NOT NULL CHECK (json_valid(why)),
  CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  CHECK ((queue_id IS NULL) <> (group_name IS NULL))
);
CREATE UNIQUE INDEX assignments_open_by_interaction ON assignments (interaction_id) WHERE ended_at IS NULL;
CREATE INDEX assignments_by_interaction ON assignments (interaction_id, accepted_at);
CREATE INDEX assignments_by_agent ON assignments (agent_id, offered_at);
CREATE INDEX assignments_by_accepted ON assignments (accepted_at) WHERE accepted_at IS NOT NULL;
