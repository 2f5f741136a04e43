-- Accounts, organizations, sessions, groups, invitations, outbox.
-- Times are INTEGER unix seconds (UTC); ids are UUID strings made by signald.

CREATE TABLE organizations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email          TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'expert', 'student')),
  password_hash  TEXT NOT NULL,
  language       TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de', 'fr')),
  time_zone      TEXT NOT NULL DEFAULT 'UTC',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX users_org ON users (org_id, created_at, id);

-- Session tokens (kind 'session') and scoped API tokens (kind 'api').
-- Only the SHA-256 of a token is stored.
CREATE TABLE sessions (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash    TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('session', 'api')),
  name          TEXT,
  scopes        TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,
  revoked_at    INTEGER
);
CREATE INDEX sessions_user ON sessions (org_id, user_id, kind);

CREATE TABLE groups (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  owner_id     TEXT NOT NULL REFERENCES users(id),
  avatar       BLOB,
  avatar_type  TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX groups_org ON groups (org_id, created_at, id);

CREATE TABLE group_members (
  org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id    TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE invitations (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id     TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  inviter_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
  email        TEXT NOT NULL,
  code         TEXT NOT NULL UNIQUE,
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  accepted_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
  accepted_at  INTEGER
);
CREATE INDEX invitations_group ON invitations (group_id, created_at, id);

-- Transactional outbox: written in the same transaction as the change it
-- announces; the outbox worker delivers e-mails (and later webhooks).
CREATE TABLE outbox (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  next_attempt_at  INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  done_at          INTEGER,
  last_error       TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE done_at IS NULL;
