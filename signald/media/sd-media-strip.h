/* sd-media-strip.h — the timeline strip: small frames at even intervals,
 * tiled into one picture, for showing where a scrubber is.
 *
 * Frame i stands for the time [i·interval_ms, (i+1)·interval_ms) and sits
 * at column i % columns, row i / columns, each tile_width × tile_height. */
#pragma once

#include "media/sd-media-probe.h"

G_BEGIN_DECLS

#define SD_MEDIA_STRIP_TILE_WIDTH  160
#define SD_MEDIA_STRIP_MAX_FRAMES  100
#define SD_MEDIA_STRIP_COLUMNS     10

typedef struct {
  GBytes *image;            /* encoded as sd_media_image_type() */
  int frames;
  gint64 interval_ms;
  int columns;
  int tile_width;
  int tile_height;
  int width;                /* of the whole picture */
  int height;
} SdMediaStrip;

/* The number of frames and their interval for a video of @duration_ms:
 * one frame per @min_interval_ms or more, at most @max_frames. */
void          sd_media_strip_plan (gint64   duration_ms,
                                   int      max_frames,
                                   gint64   min_interval_ms,
                                   int     *frames,
                                   gint64  *interval_ms);

/* Makes the strip of the video at @path (see sd_media_strip_plan for
 * @max_frames and @min_interval_ms; tiles @tile_width wide, SD_MEDIA_STRIP_COLUMNS
 * per row).  Each grab has @timeout_ms.  A frame that cannot be had near
 * the end repeats the one before it. */
SdMediaStrip *sd_media_strip      (const char         *path,
                                   const SdMediaInfo  *info,
                                   int                 tile_width,
                                   int                 max_frames,
                                   gint64              min_interval_ms,
                                   guint               timeout_ms,
                                   GError            **error);
void          sd_media_strip_free (SdMediaStrip *strip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMediaStrip, sd_media_strip_free)

G_END_DECLS
