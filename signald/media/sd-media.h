/* sd-media.h — what every file of signald/media shares: GStreamer start-up
 * and the media error domain.
 *
 * The media files are pure functions over local files (no HTTP, no
 * database): probe (sd-media-probe.h), single frames (sd-media-frames.h),
 * thumbnail, timeline strip, the playback decision and transcoding.  Each
 * runs its own pipeline synchronously on the calling thread with a time
 * limit, so they are meant for a background thread (jobs/sd-media-jobs.c),
 * never a request thread.
 *
 * Errors are SD_MEDIA_ERROR with a code the API shows as a string
 * (sd_media_error_code_name()) and a translated message fit for users.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define SD_MEDIA_ERROR (sd_media_error_quark ())

typedef enum {
  SD_MEDIA_ERROR_NOT_A_VIDEO,   /* no video stream, or not a media file at all */
  SD_MEDIA_ERROR_UNREADABLE,    /* a video, but damaged or truncated: cannot be decoded */
  SD_MEDIA_ERROR_UNSUPPORTED,   /* a format this server has no decoder for */
  SD_MEDIA_ERROR_TOO_LARGE,     /* beyond the limits below */
  SD_MEDIA_ERROR_TIMEOUT,       /* a pipeline took longer than allowed (may be retried) */
  SD_MEDIA_ERROR_FAILED,        /* anything else: missing element, I/O (may be retried) */
} SdMediaError;

GQuark      sd_media_error_quark     (void);

/* "not_a_video", "unreadable", "unsupported_format", "video_too_large",
 * "media_timeout", "media_failed". */
const char *sd_media_error_code_name (SdMediaError code);

/* TRUE for errors that will not go away by trying again (the file itself
 * is at fault); FALSE for timeouts, I/O and anything outside the domain. */
gboolean    sd_media_error_is_permanent (const GError *error);

/* Largest frame side accepted, in pixels. */
#define SD_MEDIA_MAX_SIDE 8192

/* Initializes GStreamer once per process; thread-safe, cannot fail in a
 * way that matters (a missing element shows up as an error later). */
void        sd_media_init            (void);

/* TRUE when an element factory of that name is installed. */
gboolean    sd_media_have_element    (const char *name);

/* Makes an element of @factory and adds it to @bin (which owns it).
 * Returns NULL with FAILED when the element is not installed. */
GstElement *sd_media_bin_add         (GstBin      *bin,
                                      const char  *factory,
                                      GError     **error);

/* Sets @error from a GST_MESSAGE_ERROR: type-finding failures become
 * NOT_A_VIDEO, missing decoders UNSUPPORTED, decode/demux failures
 * UNREADABLE, anything else FAILED.  The GStreamer debug text is logged,
 * not shown. */
void        sd_media_error_from_message (GstMessage *message,
                                         GError    **error);

G_END_DECLS
