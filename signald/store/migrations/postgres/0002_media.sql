-- Assets, videos, resumable uploads, reviews, storage quota (issue 3).
-- Columns match migrations/sqlite/0002_media.sql; row-level security as in
-- 0001_foundation.sql (tenant_isolation + owner_access, forced).

-- Storage accounting per organization, in bytes.  storage_used counts the
-- declared size of every upload that exists (reserved when the upload is
-- created, released when it is deleted) plus derived files (thumbnails,
-- strips, transcodes) once written.  storage_quota NULL means the server's
-- default (--storage-quota).
ALTER TABLE organizations ADD COLUMN storage_used  bigint NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN storage_quota bigint;

CREATE TABLE assets (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id      uuid NOT NULL,
  owner_id      uuid NOT NULL,
  name          text NOT NULL,
  description   text NOT NULL DEFAULT '',
  status        text NOT NULL DEFAULT 'waiting_upload'
                CHECK (status IN ('waiting_upload', 'pending', 'completed')),
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  completed_at  bigint,
  finalized_at  bigint,
  finalized_by  uuid,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, group_id) REFERENCES groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, owner_id) REFERENCES users (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, finalized_by) REFERENCES users (org_id, id) ON DELETE SET NULL (finalized_by)
);
CREATE INDEX assets_org ON assets (org_id, created_at, id);
CREATE INDEX assets_group ON assets (group_id, created_at, id);
CREATE INDEX assets_owner ON assets (owner_id, created_at, id);

-- One tus upload per file.  storage_key names the bytes in the storage
-- backend (sd-storage.h); received is the tus offset: bytes stored durably.
CREATE TABLE uploads (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  owner_id      uuid NOT NULL,
  filename      text NOT NULL,
  length        bigint NOT NULL CHECK (length >= 0),
  received      bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
  metadata      text NOT NULL DEFAULT '',
  storage_key   text NOT NULL,
  status        text NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'complete')),
  sha256        text,
  hash_state    bytea,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  expires_at    bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, owner_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX uploads_org ON uploads (org_id, created_at, id);
CREATE INDEX uploads_expiry ON uploads (expires_at) WHERE status = 'receiving';

-- A video of an asset.  status: waiting_upload -> processing (upload
-- complete, media job queued or running) -> ready | failed.
CREATE TABLE videos (
  id                 uuid PRIMARY KEY,
  org_id             uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  asset_id           uuid NOT NULL,
  upload_id          uuid,
  position           integer NOT NULL DEFAULT 0,
  filename           text NOT NULL,
  size               bigint NOT NULL,
  status             text NOT NULL DEFAULT 'waiting_upload'
                     CHECK (status IN ('waiting_upload', 'processing', 'ready', 'failed')),
  error_code         text,
  error_message      text,
  duration_ms        bigint,
  width              integer,
  height             integer,
  fps_num            integer,
  fps_den            integer,
  container          text,
  video_codec        text,
  audio_codec        text,
  source_key         text,
  thumbnail_key      text,
  strip_key          text,
  strip_frames       integer,
  strip_interval_ms  bigint,
  playback_key       text,
  playback_type      text,
  derived_bytes      bigint NOT NULL DEFAULT 0,
  attempts           integer NOT NULL DEFAULT 0,
  lease_until        bigint,
  created_at         bigint NOT NULL,
  updated_at         bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, asset_id) REFERENCES assets (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, upload_id) REFERENCES uploads (org_id, id) ON DELETE SET NULL (upload_id)
);
CREATE INDEX videos_asset ON videos (asset_id, position, id);
CREATE INDEX videos_processing ON videos (lease_until) WHERE status = 'processing';

CREATE TABLE reviews (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  asset_id    uuid NOT NULL,
  video_id    uuid NOT NULL,
  author_id   uuid NOT NULL,
  parent_id   uuid,
  at_ms       bigint NOT NULL CHECK (at_ms >= 0),
  end_ms      bigint CHECK (end_ms IS NULL OR end_ms >= at_ms),
  text        text NOT NULL,
  drawing     text,
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, asset_id) REFERENCES assets (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, video_id) REFERENCES videos (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, author_id) REFERENCES users (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, parent_id) REFERENCES reviews (org_id, id) ON DELETE CASCADE
);
CREATE INDEX reviews_video ON reviews (video_id, at_ms, created_at, id);

-- ---- Row-level security ----
ALTER TABLE assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE assets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON assets
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON assets TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE uploads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON uploads
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON uploads TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE videos ENABLE ROW LEVEL SECURITY;
ALTER TABLE videos FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON videos
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON videos TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reviews
  USING (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid)
  WITH CHECK (org_id = NULLIF(current_setting('tandem.org_id', true), '')::uuid);
CREATE POLICY owner_access ON reviews TO CURRENT_USER USING (true) WITH CHECK (true);


-- ---- System queries (SdDbSys) for the media jobs ----

-- SD_DB_SYS_MEDIA_CLAIM ($1 now, $2 lease until): claims at most one video
-- waiting for its media job (status 'processing', lease unset or ended),
-- oldest change first, with FOR UPDATE SKIP LOCKED so that concurrent
-- workers (several signald instances) never take the same video.  The claim
-- commits with the call; a worker that dies leaves the video to whoever
-- claims it when the lease ends.
CREATE FUNCTION tandem_media_claim (p_now bigint, p_lease_until bigint)
RETURNS TABLE (id uuid, org_id uuid, asset_id uuid, source_key text, filename text,
               size bigint, attempts integer)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH picked AS (
    SELECT v.id
      FROM videos v
     WHERE v.status = 'processing'
       AND (v.lease_until IS NULL OR v.lease_until <= p_now)
     ORDER BY v.updated_at, v.id
     LIMIT 1
       FOR UPDATE SKIP LOCKED
  )
  UPDATE videos v
     SET lease_until = p_lease_until, attempts = v.attempts + 1
    FROM picked
   WHERE v.id = picked.id
  RETURNING v.id, v.org_id, v.asset_id, v.source_key, v.filename, v.size, v.attempts
$$;

REVOKE ALL ON FUNCTION tandem_media_claim (bigint, bigint) FROM PUBLIC;
-- ---- Cross-organization queries (see 0001_foundation.sql) ----

-- SD_DB_SYS_UPLOADS_EXPIRED ($1 now, $2 limit): unfinished uploads past
-- their expiry, for the sweeper (jobs/sd-sweeper.c), which deletes each in
-- its own organization's transaction.
CREATE FUNCTION tandem_uploads_expired (p_now bigint, p_limit bigint)
RETURNS TABLE (id uuid, org_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT u.id, u.org_id FROM uploads u
   WHERE u.status = 'receiving' AND u.expires_at <= p_now
   ORDER BY u.expires_at, u.id
   LIMIT p_limit
$$;

REVOKE ALL ON FUNCTION tandem_uploads_expired (bigint, bigint) FROM PUBLIC;
