/* sd-api-media-common.h — what the media families (assets, uploads, and
 * later reviews and playback) share: loading an asset or a video as the
 * caller sees it, the caller's rights on it, their JSON, storage keys,
 * quota accounting, and creating and deleting assets with their videos and
 * uploads.
 *
 * Visibility: an asset (and each of its videos) is visible to its owner
 * (who uploaded it), the organization's admins, the owner of its group and
 * the experts who are members of its group.  To everybody else, other
 * students of the group included, it does not exist (404, never 403).
 *
 * Storage keys (storage/sd-storage.h): an upload's bytes are
 * "ORG/uploads/UPLOAD_ID"; files derived from a video (thumbnail, strip,
 * transcode) live under the prefix "ORG/videos/VIDEO_ID/", which deleting
 * the video removes.
 *
 * Quota: organizations.storage_used counts, per organization, the declared
 * size of every upload that exists plus each video's derived_bytes.  The
 * declared size is reserved when the upload is created (507 when it does
 * not fit in organizations.storage_quota, else the server's
 * --storage-quota) and released exactly when the upload or its video is
 * deleted. */
#pragma once

#include "api/sd-api.h"

G_BEGIN_DECLS

/* ---- assets ---- */

typedef struct {
  SdDbRows *rows;          /* one row; sd_api_asset_json (rows, 0) */
  const char *id;          /* these belong to rows */
  const char *group_id;
  const char *owner_id;
  const char *status;      /* waiting_upload, pending, completed */
  gboolean is_owner;       /* the caller uploaded it */
  gboolean is_admin;       /* the caller is an admin of the organization */
  gboolean is_group_owner; /* the caller owns the asset's group */
  gboolean is_group_expert;/* the caller is an expert and a member of the group */
  gboolean can_edit;       /* rename, complete: owner and admins */
  gboolean can_delete;     /* owner, admins and the group's owner */
  gboolean can_review;     /* admins, the group's owner and its experts */
} SdApiAsset;

void        sd_api_asset_clear   (SdApiAsset *asset);

/* Inside an open transaction: loads @asset_id as the caller sees it.  Fails
 * with NOT_FOUND when it does not exist in the caller's organization or is
 * not visible to the caller. */
gboolean    sd_api_asset_load    (SdRequest   *req,
                                  const char  *asset_id,
                                  SdApiAsset  *out,
                                  GError     **error);

/* The columns sd_api_asset_json() reads, for SELECTs over
 * "assets a JOIN groups g ON g.id = a.group_id AND g.org_id = a.org_id
 *  JOIN users u ON u.id = a.owner_id AND u.org_id = a.org_id". */
#define SD_API_ASSET_COLUMNS \
  "a.id, a.group_id, a.owner_id, u.name AS owner_name, a.name, a.description, a.status," \
  " a.created_at, a.updated_at, a.completed_at, a.finalized_at, a.finalized_by," \
  " g.name AS group_name, g.owner_id AS group_owner_id," \
  " (SELECT COUNT(*) FROM videos c WHERE c.asset_id = a.id AND c.org_id = a.org_id) AS video_count"
#define SD_API_ASSET_FROM \
  " FROM assets a JOIN groups g ON g.id = a.group_id AND g.org_id = a.org_id" \
  " JOIN users u ON u.id = a.owner_id AND u.org_id = a.org_id"

/* {"id","name","description","status","group_id","group_name","owner_id",
 *  "owner_name","video_count","created_at","updated_at","completed_at",
 *  "finalized_at","finalized_by"} of row @i. */
JsonObject *sd_api_asset_json    (SdDbRows   *rows,
                                  guint       i);

/* ---- videos ---- */

/* The videos of @asset_id in order (columns for sd_api_video_json), inside
 * an open transaction. */
SdDbRows   *sd_api_videos_query  (SdRequest   *req,
                                  const char  *asset_id,
                                  GError     **error);

/* Inside an open transaction: the video @video_id (one row for
 * sd_api_video_json) and its asset in @asset, both as the caller sees them
 * (NOT_FOUND otherwise). */
SdDbRows   *sd_api_video_load    (SdRequest   *req,
                                  const char  *video_id,
                                  SdApiAsset  *asset,
                                  GError     **error);

/* {"id","asset_id","position","filename","size","status","duration_ms",
 *  "width","height","fps","fps_num","fps_den","container","video_codec",
 *  "audio_codec","thumbnail_url","strip","playback_type","sha256","error",
 *  "upload_id","upload_url",
 *  "uploaded_bytes","upload_expires_at","created_at","updated_at"}
 * of row @i of sd_api_videos_query() or sd_api_video_load(). */
JsonObject *sd_api_video_json    (SdRequest  *req,
                                  SdDbRows   *rows,
                                  guint       i);

/* The asset's JSON with "videos": [...] added; NULL with @error set. */
JsonObject *sd_api_asset_json_with_videos (SdRequest   *req,
                                           SdDbRows    *asset_rows,
                                           GError     **error);

/* ---- creating and deleting ---- */

typedef struct {
  const char *filename;
  gint64 size;
} SdApiNewFile;

/* Inside a write transaction as the caller: checks that the caller may add
 * assets to @group_id (a member, the group's owner or an admin; NOT_FOUND
 * otherwise), that each file is at most --max-upload-size
 * (PAYLOAD_TOO_LARGE) and that their sizes fit in the organization's quota
 * (QUOTA_EXCEEDED); then reserves the quota and inserts the asset
 * (waiting_upload), one video per file and one tus upload per video.
 * Returns the asset id. */
char       *sd_api_asset_create  (SdRequest           *req,
                                  const char          *group_id,
                                  const char          *name,
                                  const char          *description,
                                  const SdApiNewFile  *files,
                                  guint                n_files,
                                  const char          *tus_metadata,
                                  GError             **error);

/* Inside the write transaction that made @asset_id: commits and replies
 * 201 {"asset": {…}, "videos": [{…, "upload_url"}, …]}. */
gboolean    sd_api_asset_reply_created (SdRequest   *req,
                                        const char  *asset_id,
                                        GError     **error);

/* Storage to remove once the transaction that deleted its rows committed. */
typedef struct {
  GPtrArray *keys;
  GPtrArray *prefixes;
} SdApiMediaFiles;

void        sd_api_media_files_init   (SdApiMediaFiles *files);
void        sd_api_media_files_clear  (SdApiMediaFiles *files);
/* Removes the files (after commit).  Failures are logged, not returned:
 * the rows are gone already. */
void        sd_api_media_files_remove (SdRequest       *req,
                                       SdApiMediaFiles *files);

/* Inside a write transaction: deletes the videos of @asset_id — only
 * @video_id when it is not NULL — with their reviews and uploads, releases
 * their bytes from the organization's storage_used and adds their files to
 * @files.  Returns the number of videos deleted, or -1. */
gint64      sd_api_videos_delete (SdRequest        *req,
                                  const char       *asset_id,
                                  const char       *video_id,
                                  SdApiMediaFiles  *files,
                                  GError          **error);

/* Inside a write transaction: subtracts @bytes from the caller's
 * organization's storage_used (never below 0). */
gboolean    sd_api_quota_release (SdRequest   *req,
                                  gint64       bytes,
                                  GError     **error);

/* The same on a connection, for jobs without a request (the transaction
 * must be @org_id's). */
gint64      sd_api_videos_delete_db  (SdDbConn         *db,
                                      const char       *org_id,
                                      const char       *asset_id,
                                      const char       *video_id,
                                      SdApiMediaFiles  *files,
                                      GError          **error);
gboolean    sd_api_quota_release_db  (SdDbConn    *db,
                                      const char  *org_id,
                                      gint64       bytes,
                                      GError     **error);
void        sd_api_media_files_remove_from (SdStorage       *storage,
                                            SdApiMediaFiles *files);

/* Inside a write transaction as @org_id: keeps the row of video @video_id
 * but nothing it holds in storage — its upload (row and file), its
 * original and its derived files go, their bytes (the upload's declared
 * size and derived_bytes) are released from storage_used, and the video's
 * upload and file columns are cleared, so that deleting it later releases
 * nothing twice.  For a video that failed.  The files are added to @files
 * (remove them after commit). */
gboolean    sd_api_video_drop_files_db (SdDbConn         *db,
                                        const char       *org_id,
                                        const char       *video_id,
                                        SdApiMediaFiles  *files,
                                        GError          **error);

/* Inside a write transaction as @org_id: deletes the upload @upload_id
 * with its video, and the video's asset when that was its last video (an
 * upload without a video alone), releasing their quota and adding their
 * files to @files.  With @expired_by > 0 only an unfinished upload whose
 * expires_at <= @expired_by.  Returns FALSE without @error set when there
 * is no such upload. */
gboolean    sd_api_upload_delete_db  (SdDbConn         *db,
                                      const char       *org_id,
                                      const char       *upload_id,
                                      gint64            expired_by,
                                      SdApiMediaFiles  *files,
                                      GError          **error);

/* ---- URLs and keys ---- */

/* The public base URL (no trailing slash): --public-url, or the address the
 * server listens on when the configured one names port 0. */
const char *sd_api_public_url    (SdRequest  *req);
/* public URL + "/uploads/" + @upload_id; newly allocated. */
char       *sd_api_upload_url    (SdRequest  *req,
                                  const char *upload_id);
char       *sd_api_upload_key    (const char *org_id,
                                  const char *upload_id);
char       *sd_api_video_prefix  (const char *org_id,
                                  const char *video_id);

/* A file name, asset name or description is acceptable: valid UTF-8 (the
 * caller checked), no control characters (@multiline allows \n and \t). */
gboolean    sd_api_media_text_ok (const char *text,
                                  gboolean    multiline);

G_END_DECLS

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdApiAsset, sd_api_asset_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdApiMediaFiles, sd_api_media_files_clear)
