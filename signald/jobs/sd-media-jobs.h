/* sd-media-jobs.h — the media worker: a thread that takes videos whose
 * upload is complete (status 'processing') from every organization, probes
 * them, makes the thumbnail, the timeline strip and, when the desktop
 * cannot play the original, a transcode, stores them, and marks the video
 * 'ready' (with its metadata) or 'failed' (with error_code/error_message).
 *
 * Claims go through SD_DB_SYS_MEDIA_CLAIM: a lease in videos.lease_until,
 * renewed while the work runs, so several signald instances share the work
 * and a video whose worker died is taken up again once its lease ends
 * (a video left in 'processing' without a lease is taken at once).
 * Failures that may pass (time-outs, storage, database) are retried with
 * backoff, for at most SD_MEDIA_JOBS_MAX_ATTEMPTS attempts in all; a file
 * that is no video fails at once.  A failed video keeps its row (status,
 * error_code, error_message) but nothing in storage: its upload and any
 * file made from it are deleted and released from storage_used when it
 * fails.
 *
 * Stored objects, under the storage key ORG/videos/VIDEO/:
 *   thumb.jpg (or .png)   the thumbnail, at most 640 px wide
 *   strip.jpg (or .png)   the timeline strip (media/sd-media-strip.h)
 *   playback.mp4|webm|ogv the transcode, only when one is needed
 * Their sizes are videos.derived_bytes and count in the organization's
 * storage_used. */
#pragma once

#include "sd-types.h"

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdMediaJobs SdMediaJobs;

#define SD_MEDIA_JOBS_MAX_ATTEMPTS 3
#define SD_MEDIA_JOBS_LEASE_S      120

SdMediaJobs *sd_media_jobs_new   (SdServer     *server,
                                  GError      **error);
gboolean     sd_media_jobs_start (SdMediaJobs  *jobs,
                                  GError      **error);
/* Look for work now rather than at the next poll (every second).
 * Thread-safe; call it after committing a video's move to 'processing'. */
void         sd_media_jobs_kick  (SdMediaJobs  *jobs);
/* Stop the thread and wait for it; work under way is cancelled and its
 * video released for the next start.  Safe to call twice. */
void         sd_media_jobs_stop  (SdMediaJobs  *jobs);
void         sd_media_jobs_free  (SdMediaJobs  *jobs);

/* Process at most one claimable video on the calling thread with @conn;
 * TRUE when one was taken.  For tests. */
gboolean     sd_media_jobs_run_once (SdMediaJobs *jobs,
                                     gpointer     conn);

G_END_DECLS
