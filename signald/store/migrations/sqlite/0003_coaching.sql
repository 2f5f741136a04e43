-- Live coaching (issue 5): session types, weekly availability, blocked
-- ranges, bookings, reminders, calendar feeds.  Columns match
-- migrations/postgres/0003_coaching.sql (see the comments there).  Booleans
-- are 0/1.  SQLite has no exclusion constraints: the triggers below refuse
-- overlapping live bookings of one expert with the error message
-- 'slot_unavailable', and writers are serialized (BEGIN IMMEDIATE).

CREATE TABLE coaching_session_types (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id          TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  expert_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 120),
  active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX coaching_session_types_group ON coaching_session_types (group_id, expert_id, created_at, id);

CREATE TABLE coaching_experts (
  org_id                  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id                TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  expert_id               TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  time_zone               TEXT NOT NULL,
  buffer_before_minutes   INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes    INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  updated_at              INTEGER NOT NULL,
  PRIMARY KEY (group_id, expert_id)
);

CREATE TABLE coaching_availability (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id      TEXT NOT NULL,
  expert_id     TEXT NOT NULL,
  day_of_week   INTEGER NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
  start_minute  INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute    INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
  FOREIGN KEY (group_id, expert_id) REFERENCES coaching_experts (group_id, expert_id) ON DELETE CASCADE
);
CREATE INDEX coaching_availability_expert ON coaching_availability (group_id, expert_id);

CREATE TABLE coaching_blocked (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id    TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  expert_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  start_at    INTEGER NOT NULL,
  end_at      INTEGER NOT NULL CHECK (end_at > start_at),
  reason      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX coaching_blocked_expert ON coaching_blocked (expert_id, end_at);

CREATE TABLE coaching_bookings (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id          TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  session_type_id   TEXT NOT NULL REFERENCES coaching_session_types(id) ON DELETE CASCADE,
  expert_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  student_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  start_at          INTEGER NOT NULL,
  end_at            INTEGER NOT NULL CHECK (end_at > start_at),
  block_start       INTEGER NOT NULL,
  block_end         INTEGER NOT NULL CHECK (block_end > block_start),
  status            TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  notes             TEXT NOT NULL DEFAULT '',
  cancel_reason     TEXT,
  cancelled_by      TEXT REFERENCES users(id) ON DELETE SET NULL,
  cancelled_at      INTEGER,
  sequence          INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX coaching_bookings_expert ON coaching_bookings (expert_id, start_at);
CREATE INDEX coaching_bookings_student ON coaching_bookings (student_id, start_at);

CREATE TRIGGER coaching_bookings_no_overlap_insert
BEFORE INSERT ON coaching_bookings
WHEN NEW.status = 'booked' AND EXISTS (
  SELECT 1 FROM coaching_bookings b
   WHERE b.expert_id = NEW.expert_id AND b.status = 'booked'
     AND b.block_start < NEW.block_end AND NEW.block_start < b.block_end)
BEGIN
  SELECT RAISE(ABORT, 'slot_unavailable');
END;

CREATE TRIGGER coaching_bookings_no_overlap_update
BEFORE UPDATE OF block_start, block_end, status, expert_id ON coaching_bookings
WHEN NEW.status = 'booked' AND EXISTS (
  SELECT 1 FROM coaching_bookings b
   WHERE b.id <> NEW.id AND b.expert_id = NEW.expert_id AND b.status = 'booked'
     AND b.block_start < NEW.block_end AND NEW.block_start < b.block_end)
BEGIN
  SELECT RAISE(ABORT, 'slot_unavailable');
END;

CREATE TABLE coaching_reminders (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  booking_id     TEXT NOT NULL REFERENCES coaching_bookings(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('24h', '1h', '15m')),
  due_at         INTEGER NOT NULL,
  claimed_until  INTEGER,
  sent_at        INTEGER,
  UNIQUE (booking_id, kind)
);
CREATE INDEX coaching_reminders_due ON coaching_reminders (due_at) WHERE sent_at IS NULL;

CREATE TABLE coaching_feeds (
  expert_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL
);
