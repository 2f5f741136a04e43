/* th-media.h — test videos made with real GStreamer pipelines
 * (videotestsrc/audiotestsrc into the installed encoders and muxers), a
 * truncated one and files that are no videos, for the media tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TH_MEDIA_WEBM_VP8_OPUS,      /* 320×240 @ 30, 2 s, with audio */
  TH_MEDIA_WEBM_VP9,           /* 256×144 @ 25, 2 s, no audio */
  TH_MEDIA_MKV_H264_VORBIS,    /* 320×180 @ 24, 2 s */
  TH_MEDIA_MP4_H264_AAC,       /* 352×288 @ 25, 3 s */
  TH_MEDIA_OGG_THEORA_VORBIS,  /* 320×240 @ 15, 2 s */
  TH_MEDIA_AVI_MPEG4,          /* 320×240 @ 25, 2 s: plays here, but not directly (transcoded) */
  TH_MEDIA_WEBM_STREAMED,      /* 320×240 @ 30, 2 s, written as a live stream: no length in the header */
  TH_MEDIA_TRUNCATED,          /* an MP4 cut in half before its index: cannot be decoded */
  TH_MEDIA_TRUNCATED_WEBM,     /* a WebM cut in half: its header promises more than it holds */
  TH_MEDIA_TEXT,               /* a text file */
  TH_MEDIA_AUDIO_ONLY,         /* Ogg/Opus without a picture */
  TH_MEDIA_N_KINDS
} ThMediaKind;

typedef struct {
  const char *name;            /* file name */
  int width;
  int height;
  int fps_num;
  int fps_den;
  gint64 duration_ms;
  const char *container;       /* as sd_media_probe() names it; NULL for the bad files */
  const char *video_codec;
  const char *audio_codec;     /* NULL: none */
  gboolean direct;             /* plays without transcoding */
  const char *pipeline;        /* gst-launch syntax; the file sink is named "out" */
  const char *const *elements; /* what must be installed */
} ThMediaSpec;

const ThMediaSpec *th_media_spec      (ThMediaKind kind);

/* Are the elements for @kind installed? */
gboolean           th_media_available (ThMediaKind kind);

/* Makes the file of @kind in @dir (once per directory: an existing file is
 * reused) and returns its path.  Aborts the test when GStreamer fails. */
char              *th_media_make      (const char  *dir,
                                       ThMediaKind  kind);

G_END_DECLS
