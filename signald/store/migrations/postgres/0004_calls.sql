-- 1-on-1 video calls (issue 6).  Columns match
-- migrations/sqlite/0004_calls.sql; row-level security as in
-- 0001_foundation.sql (tenant_isolation + owner_access, forced).
--
-- A booking has one call, made by the first GET …/connect; its id is the
-- call_id both participants see, stable for the booking's life.  Each
-- connect makes a call token (256 random bits, "tdc_…"), stored only as its
-- SHA-256 like session tokens; /ws?token= finds it across organizations
-- with tandem_call_token_lookup(), the only way the serving role reads
-- these rows without an organization set.

CREATE TABLE calls (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  booking_id  uuid NOT NULL UNIQUE,
  created_at  bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, booking_id) REFERENCES coaching_bookings (org_id, id) ON DELETE CASCADE
);

CREATE TABLE call_tokens (
  token_hash  text PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  call_id     uuid NOT NULL,
  user_id     uuid NOT NULL,
  expires_at  bigint NOT NULL,
  created_at  bigint NOT NULL,
  FOREIGN KEY (org_id, call_id) REFERENCES calls (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX call_tokens_user ON call_tokens (user_id, expires_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['calls', 'call_tokens'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
      WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)$p$, t);
    EXECUTE format('CREATE POLICY owner_access ON %I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;

-- ---- Cross-organization queries (see 0001_foundation.sql) ----

-- SD_DB_SYS_CALL_TOKEN_LOOKUP ($1 token hash, $2 now): the call a live
-- token opens, for a booking that is still booked and whose participant
-- the token's user still is; with both participants' names.
CREATE FUNCTION tandem_call_token_lookup (p_token_hash text, p_now bigint)
RETURNS TABLE (call_id uuid, org_id uuid, booking_id uuid, user_id uuid, user_name text,
               peer_id uuid, peer_name text, expires_at bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT t.call_id, t.org_id, c.booking_id, t.user_id, u.name, p.id, p.name, t.expires_at
    FROM call_tokens t
    JOIN calls c ON c.id = t.call_id
    JOIN coaching_bookings b ON b.id = c.booking_id
    JOIN users u ON u.id = t.user_id
    JOIN users p ON p.id = CASE WHEN b.expert_id = t.user_id THEN b.student_id ELSE b.expert_id END
   WHERE t.token_hash = p_token_hash
     AND t.expires_at > p_now
     AND b.status = 'booked'
     AND t.user_id IN (b.expert_id, b.student_id)
$$;

REVOKE ALL ON FUNCTION tandem_call_token_lookup (text, bigint) FROM PUBLIC;
