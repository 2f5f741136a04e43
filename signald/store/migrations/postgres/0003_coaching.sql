-- Live coaching (issue 5): session types, weekly availability, blocked
-- ranges, bookings, reminders, calendar feeds.  Columns match
-- migrations/sqlite/0003_coaching.sql; row-level security as in
-- 0001_foundation.sql (tenant_isolation + owner_access, forced).
--
-- Times are bigint unix seconds (UTC) like everywhere else; availability
-- windows are minutes after local midnight in the expert's time zone.

-- btree_gist lets the exclusion constraint on coaching_bookings compare
-- expert ids with = next to the && of the time ranges (a trusted extension:
-- the database owner may create it).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- What an expert offers in a group.
CREATE TABLE coaching_session_types (
  id                uuid PRIMARY KEY,
  org_id            uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id          uuid NOT NULL,
  expert_id         uuid NOT NULL,
  name              text NOT NULL,
  description       text NOT NULL DEFAULT '',
  duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 120),
  active            boolean NOT NULL DEFAULT true,
  created_at        bigint NOT NULL,
  updated_at        bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, expert_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX coaching_session_types_group ON coaching_session_types (group_id, expert_id, created_at, id);

-- An expert's scheduling settings in one group: the time zone the weekly
-- windows are written in, and the free time kept before and after every
-- session.  One row per (group, expert) once availability has been set.
CREATE TABLE coaching_experts (
  org_id                  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id                uuid NOT NULL,
  expert_id               uuid NOT NULL,
  time_zone               text NOT NULL,
  buffer_before_minutes   integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes    integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  updated_at              bigint NOT NULL,
  PRIMARY KEY (group_id, expert_id),
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, expert_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);

-- Weekly windows.  day_of_week 0 = Sunday; start_minute/end_minute are
-- minutes after local midnight (0..1440).  end_minute <= start_minute means
-- the window runs past midnight into the next day.
CREATE TABLE coaching_availability (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id      uuid NOT NULL,
  expert_id     uuid NOT NULL,
  day_of_week   integer NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
  start_minute  integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute    integer NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
  FOREIGN KEY (group_id, expert_id) REFERENCES coaching_experts (group_id, expert_id) ON DELETE CASCADE
);
CREATE INDEX coaching_availability_expert ON coaching_availability (group_id, expert_id);

-- Time an expert is away (holidays, a dentist): no slots in any group of
-- the organization.  group_id records where it was entered.
CREATE TABLE coaching_blocked (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id    uuid NOT NULL,
  expert_id   uuid NOT NULL,
  start_at    bigint NOT NULL,
  end_at      bigint NOT NULL CHECK (end_at > start_at),
  reason      text NOT NULL DEFAULT '',
  created_at  bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, expert_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX coaching_blocked_expert ON coaching_blocked (expert_id, end_at);

-- A booked session.  block_start/block_end are start/end widened by the
-- expert's buffers at booking time; two live bookings of one expert never
-- have overlapping blocks (in any group).  sequence counts changes, for the
-- iCalendar SEQUENCE of the invitations.
CREATE TABLE coaching_bookings (
  id                uuid PRIMARY KEY,
  org_id            uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id          uuid NOT NULL,
  session_type_id   uuid NOT NULL,
  expert_id         uuid NOT NULL,
  student_id        uuid NOT NULL,
  start_at          bigint NOT NULL,
  end_at            bigint NOT NULL CHECK (end_at > start_at),
  block_start       bigint NOT NULL,
  block_end         bigint NOT NULL CHECK (block_end > block_start),
  status            text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  notes             text NOT NULL DEFAULT '',
  cancel_reason     text,
  cancelled_by      uuid,
  cancelled_at      bigint,
  sequence          integer NOT NULL DEFAULT 0,
  created_at        bigint NOT NULL,
  updated_at        bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, session_type_id) REFERENCES coaching_session_types (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, expert_id) REFERENCES users (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, student_id) REFERENCES users (org_id, id) ON DELETE CASCADE,
  CONSTRAINT coaching_bookings_no_overlap EXCLUDE USING gist
    (expert_id WITH =, int8range(block_start, block_end) WITH &&) WHERE (status = 'booked')
);
CREATE INDEX coaching_bookings_expert ON coaching_bookings (expert_id, start_at);
CREATE INDEX coaching_bookings_student ON coaching_bookings (student_id, start_at);

-- Reminder e-mails (24h, 1h, 15m before), one row per booking and kind,
-- made when a booking is made or moved.  The scheduler claims due rows
-- (claimed_until is its lease) and sets sent_at in the transaction that
-- queues the e-mails, so each fires once.
CREATE TABLE coaching_reminders (
  id             uuid PRIMARY KEY,
  org_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  booking_id     uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('24h', '1h', '15m')),
  due_at         bigint NOT NULL,
  claimed_until  bigint,
  sent_at        bigint,
  UNIQUE (booking_id, kind),
  FOREIGN KEY (org_id, booking_id) REFERENCES coaching_bookings (org_id, id) ON DELETE CASCADE
);
CREATE INDEX coaching_reminders_due ON coaching_reminders (due_at) WHERE sent_at IS NULL;

-- Secret calendar-feed tokens (stored hashed, like session tokens): one per
-- expert; GET of the feed URL needs no session.
CREATE TABLE coaching_feeds (
  expert_id    uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  token_hash   text NOT NULL UNIQUE,
  created_at   bigint NOT NULL,
  FOREIGN KEY (org_id, expert_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['coaching_session_types', 'coaching_experts', 'coaching_availability',
                           'coaching_blocked', 'coaching_bookings', 'coaching_reminders',
                           'coaching_feeds'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
      WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)$p$, t);
    EXECUTE format('CREATE POLICY owner_access ON %I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;

-- ---- System queries (SdDbSys) for reminders and calendar feeds ----

-- SD_DB_SYS_REMINDERS_CLAIM ($1 now, $2 claimed until, $3 limit): claims
-- due reminders not yet sent whose claim is unset or ended, most overdue
-- first, with FOR UPDATE SKIP LOCKED so that concurrent schedulers (several
-- signald instances) never take the same row.  The claim commits with the
-- call.  It only spreads the work: the scheduler sets sent_at in the
-- transaction that queues the e-mails, guarded by sent_at IS NULL, and
-- that is what makes each reminder go out once.
CREATE FUNCTION tandem_reminders_claim (p_now bigint, p_claimed_until bigint, p_limit bigint)
RETURNS TABLE (id uuid, org_id uuid, booking_id uuid, kind text, due_at bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH picked AS (
    SELECT r.id
      FROM coaching_reminders r
     WHERE r.sent_at IS NULL
       AND r.due_at <= p_now
       AND (r.claimed_until IS NULL OR r.claimed_until <= p_now)
     ORDER BY r.due_at, r.id
     LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  )
  UPDATE coaching_reminders r
     SET claimed_until = p_claimed_until
    FROM picked
   WHERE r.id = picked.id
  RETURNING r.id, r.org_id, r.booking_id, r.kind, r.due_at
$$;

-- SD_DB_SYS_FEED_LOOKUP ($1 token hash): whose calendar feed a token opens.
CREATE FUNCTION tandem_feed_lookup (p_token_hash text)
RETURNS TABLE (expert_id uuid, org_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT f.expert_id, f.org_id
    FROM coaching_feeds f
   WHERE f.token_hash = p_token_hash
$$;

REVOKE ALL ON FUNCTION tandem_reminders_claim (bigint, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_feed_lookup (text) FROM PUBLIC;
