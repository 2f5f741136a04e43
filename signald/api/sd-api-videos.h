/* sd-api-videos.h — what the video routes share with other families (the
 * asset routes show their videos): loading a video as the caller may see
 * it, and its JSON.
 *
 * Visibility: a video is visible to the owner of its asset, the admins of
 * the organization, the owner of the asset's group and the experts who are
 * members of that group.  To anybody else it does not exist (404), and
 * other organizations never see it (row-level security and org_id in every
 * query). */
#pragma once

#include "api/sd-api.h"

G_BEGIN_DECLS

/* The columns sd_api_video_json() reads; "v" is the videos table. */
#define SD_API_VIDEO_COLUMNS \
  "v.id, v.asset_id, v.position, v.filename, v.size, v.status, v.error_code, v.error_message," \
  " v.duration_ms, v.width, v.height, v.fps_num, v.fps_den, v.container, v.video_codec," \
  " v.audio_codec, v.thumbnail_key, v.strip_key, v.strip_frames, v.strip_interval_ms," \
  " v.playback_key, v.playback_type, v.created_at, v.updated_at"

/* {"id","asset_id","position","filename","size","status","error",
 *  "duration_ms","width","height","fps_num","fps_den","container",
 *  "video_codec","audio_codec","thumbnail_url","strip","playback_type",
 *  "created_at","updated_at"}; the media fields are null until the video
 * is ready, "error" is null unless it failed. */
JsonObject *sd_api_video_json  (SdDbRows *rows,
                                guint     i);

/* Inside an open transaction: the video @video_id (SD_API_VIDEO_COLUMNS)
 * if the caller may see it; NOT_FOUND otherwise. */
SdDbRows   *sd_api_video_load  (SdRequest   *req,
                                const char  *video_id,
                                GError     **error);

G_END_DECLS
