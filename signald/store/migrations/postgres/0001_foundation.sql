-- Accounts, organizations, sessions, groups, invitations, outbox.
-- Times are bigint unix seconds (UTC); ids are uuid made by signald.  The
-- columns match migrations/sqlite/0001_foundation.sql so that the handlers'
-- SQL runs unchanged on both backends.
--
-- Roles and row-level security
-- ----------------------------
-- This file runs as the *owner role* (signald's owner_url), which owns every
-- table and function below.  signald serves requests as a distinct *serving
-- role* (its url): no superuser, no BYPASSRLS, owns nothing here, is no member
-- of the owner role.  sd-db-pg.c grants it SELECT/INSERT/UPDATE/DELETE on the
-- tables and EXECUTE on the functions after migrating, and refuses to start
-- when any of this does not hold.
--
-- Every tenant table (each table with an org_id column, and organizations
-- keyed by id) has ENABLE and FORCE ROW LEVEL SECURITY and two permissive
-- policies:
--
--   tenant_isolation  for PUBLIC: a row is visible and writable only when its
--                     org_id equals the transaction's `tandem.org_id` setting
--                     (set by sd_db_begin()).  With the setting unset or ''
--                     the comparison is NULL and no row is visible.
--   owner_access      TO CURRENT_USER, i.e. the owner role running this file:
--                     every row.
--
-- FORCE makes the owner subject to policies like anybody else, so the owner
-- sees all rows only through owner_access, which names it explicitly: no role
-- has BYPASSRLS.  current_user becomes the owner role only inside the
-- SECURITY DEFINER functions below (or for a session logged in as the owner,
-- which signald never serves from), so those functions are the only way the
-- serving role reaches across organizations.  Each of them answers one fixed
-- question (SdDbSys in sd-db.h), pins search_path, and is executable only by
-- roles signald grants it to (EXECUTE is revoked from PUBLIC).
--
-- Foreign keys between tenant tables include org_id, so a row can only point
-- at rows of its own organization (foreign-key checks bypass row security).
--
-- Outbox claims: tandem_outbox_pending() claims the rows it returns by moving
-- their next_attempt_at 300 seconds ahead (a lease), picking them with
-- FOR UPDATE SKIP LOCKED so that concurrent callers never wait on or return
-- the same row.  The claim commits with the call, so two signald instances
-- never deliver the same row twice while the lease runs; a worker that dies
-- mid-delivery leaves the row to be retried when the lease ends.
-- tandem_outbox_done() / tandem_outbox_retry() end the lease.

CREATE TABLE organizations (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  created_at  bigint NOT NULL
);

CREATE TABLE users (
  id             uuid PRIMARY KEY,
  org_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email          text NOT NULL UNIQUE,
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'expert', 'student')),
  password_hash  text NOT NULL,
  language       text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de', 'fr')),
  time_zone      text NOT NULL DEFAULT 'UTC',
  created_at     bigint NOT NULL,
  updated_at     bigint NOT NULL,
  UNIQUE (org_id, id)
);
CREATE INDEX users_org ON users (org_id, created_at, id);

-- Session tokens (kind 'session') and scoped API tokens (kind 'api').
-- Only the SHA-256 of a token is stored.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id       uuid NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('session', 'api')),
  name          text,
  scopes        text NOT NULL DEFAULT '',
  created_at    bigint NOT NULL,
  expires_at    bigint,
  revoked_at    bigint,
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (org_id, user_id, kind);

CREATE TABLE groups (
  id           uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name         text NOT NULL,
  owner_id     uuid NOT NULL,
  avatar       bytea,
  avatar_type  text,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, owner_id) REFERENCES users (org_id, id)
);
CREATE INDEX groups_org ON groups (org_id, created_at, id);

CREATE TABLE group_members (
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id    uuid NOT NULL,
  user_id     uuid NOT NULL,
  created_at  bigint NOT NULL,
  PRIMARY KEY (group_id, user_id),
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE invitations (
  id           uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id     uuid NOT NULL,
  inviter_id   uuid,
  email        text NOT NULL,
  code         text NOT NULL UNIQUE,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
  created_at   bigint NOT NULL,
  expires_at   bigint NOT NULL,
  accepted_by  uuid REFERENCES users(id) ON DELETE SET NULL,
  accepted_at  bigint,
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, inviter_id) REFERENCES users (org_id, id) ON DELETE SET NULL (inviter_id)
);
CREATE INDEX invitations_group ON invitations (group_id, created_at, id);

-- Transactional outbox: written in the same transaction as the change it
-- announces; the outbox worker delivers e-mails (and later webhooks).
CREATE TABLE outbox (
  id               uuid PRIMARY KEY,
  org_id           uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind             text NOT NULL,
  payload          text NOT NULL,
  created_at       bigint NOT NULL,
  next_attempt_at  bigint NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  done_at          bigint,
  last_error       text
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, created_at) WHERE done_at IS NULL;

-- ---- Row-level security (see the top of this file) ----

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
  USING (id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON organizations TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON users TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON sessions TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE groups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON groups
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON groups TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE group_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE group_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON group_members
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON group_members TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON invitations TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON outbox TO CURRENT_USER USING (true) WITH CHECK (true);

-- ---- System queries (SdDbSys): the only cross-organization reads ----
-- Parameters are named p_* so that they never shadow a column.

-- SD_DB_SYS_LOGIN_LOOKUP ($1 email lowercased)
CREATE FUNCTION tandem_login_lookup (p_email text)
RETURNS TABLE (id uuid, org_id uuid, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT u.id, u.org_id, u.password_hash
    FROM users u
   WHERE u.email = p_email
$$;

-- SD_DB_SYS_SESSION_LOOKUP ($1 token hash, $2 now): live sessions only.
CREATE FUNCTION tandem_session_lookup (p_token_hash text, p_now bigint)
RETURNS TABLE (session_id uuid, org_id uuid, user_id uuid, kind text, scopes text,
               expires_at bigint, role text, email text, name text, language text,
               time_zone text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT s.id, s.org_id, s.user_id, s.kind, s.scopes, s.expires_at,
         u.role, u.email, u.name, u.language, u.time_zone
    FROM sessions s
    JOIN users u ON u.id = s.user_id
   WHERE s.token_hash = p_token_hash
     AND s.revoked_at IS NULL
     AND (s.expires_at IS NULL OR s.expires_at > p_now)
$$;

-- SD_DB_SYS_INVITATION_LOOKUP ($1 code)
CREATE FUNCTION tandem_invitation_lookup (p_code text)
RETURNS TABLE (id uuid, org_id uuid, group_id uuid, status text, expires_at bigint,
               group_name text, has_avatar boolean, email text, inviter_name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.id, i.org_id, i.group_id, i.status, i.expires_at, g.name,
         (g.avatar IS NOT NULL), i.email, u.name
    FROM invitations i
    JOIN groups g ON g.id = i.group_id
    LEFT JOIN users u ON u.id = i.inviter_id
   WHERE i.code = p_code
$$;

-- SD_DB_SYS_INVITATION_AVATAR ($1 code): only for a pending invitation.
CREATE FUNCTION tandem_invitation_avatar (p_code text)
RETURNS TABLE (avatar bytea, avatar_type text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT g.avatar, g.avatar_type
    FROM invitations i
    JOIN groups g ON g.id = i.group_id
   WHERE i.code = p_code
     AND i.status = 'pending'
     AND g.avatar IS NOT NULL
$$;

-- SD_DB_SYS_OUTBOX_PENDING ($1 now, $2 limit): claims the rows it returns
-- for 300 seconds (see the top of this file), oldest first.
CREATE FUNCTION tandem_outbox_pending (p_now bigint, p_limit bigint)
RETURNS TABLE (id uuid, org_id uuid, kind text, payload text, attempts integer)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH picked AS (
    SELECT o.id, o.next_attempt_at, o.created_at
      FROM outbox o
     WHERE o.done_at IS NULL
       AND o.next_attempt_at <= p_now
     ORDER BY o.next_attempt_at, o.created_at
     LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE outbox o
       SET next_attempt_at = p_now + 300
      FROM picked
     WHERE o.id = picked.id
    RETURNING o.id, o.org_id, o.kind, o.payload, o.attempts
  )
  SELECT c.id, c.org_id, c.kind, c.payload, c.attempts
    FROM claimed c
    JOIN picked p ON p.id = c.id
   ORDER BY p.next_attempt_at, p.created_at
$$;

-- SD_DB_SYS_OUTBOX_DONE ($1 id, $2 now)
CREATE FUNCTION tandem_outbox_done (p_id uuid, p_now bigint)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  UPDATE outbox o
     SET done_at = p_now, attempts = o.attempts + 1, last_error = NULL
   WHERE o.id = p_id
$$;

-- SD_DB_SYS_OUTBOX_RETRY ($1 id, $2 next attempt, $3 error)
CREATE FUNCTION tandem_outbox_retry (p_id uuid, p_next bigint, p_error text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  UPDATE outbox o
     SET next_attempt_at = p_next, attempts = o.attempts + 1, last_error = p_error
   WHERE o.id = p_id
$$;

-- SD_DB_SYS_ORG_EXISTS ($1 org id as text): one row when it exists.  Takes
-- text so that a malformed id finds nothing instead of raising an error.
CREATE FUNCTION tandem_org_exists (p_id text)
RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
  IF p_id IS NULL
     OR p_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT 1 FROM organizations o WHERE o.id = p_id::uuid;
END
$$;

REVOKE ALL ON FUNCTION tandem_login_lookup (text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_session_lookup (text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_invitation_lookup (text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_invitation_avatar (text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_outbox_pending (bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_outbox_done (uuid, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_outbox_retry (uuid, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tandem_org_exists (text) FROM PUBLIC;
