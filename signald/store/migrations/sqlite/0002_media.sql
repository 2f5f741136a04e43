-- Assets, videos, resumable uploads, reviews, storage quota (issue 3).
-- Columns match migrations/postgres/0002_media.sql.

-- Storage accounting per organization, in bytes.  storage_used counts the
-- declared size of every upload that exists (reserved when the upload is
-- created, released when it is deleted) plus derived files (thumbnails,
-- strips, transcodes) once written.  storage_quota NULL means the server's
-- default (--storage-quota).
ALTER TABLE organizations ADD COLUMN storage_used  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN storage_quota INTEGER;

CREATE TABLE assets (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  group_id      TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  owner_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'waiting_upload'
                CHECK (status IN ('waiting_upload', 'pending', 'completed')),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  completed_at  INTEGER,
  finalized_at  INTEGER,
  finalized_by  TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX assets_org ON assets (org_id, created_at, id);
CREATE INDEX assets_group ON assets (group_id, created_at, id);
CREATE INDEX assets_owner ON assets (owner_id, created_at, id);

-- One tus upload per file (api/sd-api-uploads.c).  storage_key names the
-- bytes in the storage backend (sd-storage.h); received is the tus offset:
-- bytes stored durably.  Every upload belongs to one video.
CREATE TABLE uploads (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  owner_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  filename      TEXT NOT NULL,
  length        INTEGER NOT NULL CHECK (length >= 0),
  received      INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
  metadata      TEXT NOT NULL DEFAULT '',     -- the raw tus Upload-Metadata header
  storage_key   TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'complete')),
  sha256        TEXT,                         -- hex, once complete
  hash_state    BLOB,                         -- SHA-256 state after `received` bytes (nettle's
                                              -- struct sha256_ctx), so each PATCH goes on hashing
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX uploads_org ON uploads (org_id, created_at, id);
CREATE INDEX uploads_expiry ON uploads (expires_at) WHERE status = 'receiving';

-- A video of an asset.  status: waiting_upload -> processing (upload
-- complete, media job queued or running) -> ready | failed.
CREATE TABLE videos (
  id                 TEXT PRIMARY KEY,
  org_id             TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  asset_id           TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  upload_id          TEXT REFERENCES uploads(id) ON DELETE SET NULL,
  position           INTEGER NOT NULL DEFAULT 0,
  filename           TEXT NOT NULL,
  size               INTEGER NOT NULL,
  status             TEXT NOT NULL DEFAULT 'waiting_upload'
                     CHECK (status IN ('waiting_upload', 'processing', 'ready', 'failed')),
  error_code         TEXT,
  error_message      TEXT,
  duration_ms        INTEGER,
  width              INTEGER,
  height             INTEGER,
  fps_num            INTEGER,
  fps_den            INTEGER,
  container          TEXT,
  video_codec        TEXT,
  audio_codec        TEXT,
  source_key         TEXT,                    -- the uploaded original in storage
  thumbnail_key      TEXT,
  strip_key          TEXT,                    -- timeline strip image
  strip_frames       INTEGER,
  strip_interval_ms  INTEGER,
  playback_key       TEXT,                    -- what playback serves: original or transcode
  playback_type      TEXT,                    -- its MIME type
  derived_bytes      INTEGER NOT NULL DEFAULT 0,  -- bytes of thumbnail+strip+transcode, counted in storage_used
  attempts           INTEGER NOT NULL DEFAULT 0,
  lease_until        INTEGER,                 -- media job lease (unix seconds)
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX videos_asset ON videos (asset_id, position, id);
CREATE INDEX videos_processing ON videos (lease_until) WHERE status = 'processing';

-- Time-stamped feedback on a video; replies point at their parent.
CREATE TABLE reviews (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  asset_id    TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  video_id    TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  author_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  parent_id   TEXT REFERENCES reviews(id) ON DELETE CASCADE,
  at_ms       INTEGER NOT NULL CHECK (at_ms >= 0),
  end_ms      INTEGER CHECK (end_ms IS NULL OR end_ms >= at_ms),
  text        TEXT NOT NULL,
  drawing     TEXT,                           -- validated JSON, see sd-api-reviews.c
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX reviews_video ON reviews (video_id, at_ms, created_at, id);
