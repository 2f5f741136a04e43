-- 1-on-1 video calls (issue 6): one call per coaching booking and the
-- short-lived call tokens that open its signaling WebSocket (/ws).  Columns
-- match migrations/postgres/0004_calls.sql (see the comments there).

CREATE TABLE calls (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  booking_id  TEXT NOT NULL UNIQUE REFERENCES coaching_bookings(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE call_tokens (
  token_hash  TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  call_id     TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX call_tokens_user ON call_tokens (user_id, expires_at);
