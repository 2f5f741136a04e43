/* test-media.c — the media library on videos made here with GStreamer test
 * sources: probe values per container and codec, the bad files' errors,
 * thumbnail and strip sizes (decoded again to check they are pictures),
 * the direct-play rule, and transcodes that probe and play to the end. */
#include "media/sd-media.h"
#include "media/sd-media-frames.h"
#include "media/sd-media-image.h"
#include "media/sd-media-playback.h"
#include "media/sd-media-probe.h"
#include "media/sd-media-strip.h"
#include "media/sd-media-thumbnail.h"
#include "media/sd-media-transcode.h"
#include "th-media.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#define TIMEOUT_MS 20000

static char *tmpdir;

static char *
make (ThMediaKind kind)
{
  if (!th_media_available (kind))
    return NULL;
  return th_media_make (tmpdir, kind);
}

static GdkPixbuf *
decode_image (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Plays @path to its end through decodebin; TRUE when it gets there. */
static gboolean
plays_to_end (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *desc = g_strdup_printf ("filesrc name=src ! decodebin ! fakesink sync=false");
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_autoptr(GstElement) src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_set (src, "location", path, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
                                                          GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
}

/* ---- probe ---- */

static void
test_probe (gconstpointer data)
{
  ThMediaKind kind = GPOINTER_TO_INT (data);
  const ThMediaSpec *spec = th_media_spec (kind);
  g_autofree char *path = make (kind);
  if (path == NULL)
    {
      g_test_skip ("encoder not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMediaInfo) info = sd_media_probe (path, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  g_assert_cmpint (info->width, ==, spec->width);
  g_assert_cmpint (info->height, ==, spec->height);
  g_assert_cmpint (info->fps_num * spec->fps_den, ==, spec->fps_num * info->fps_den);
  g_assert_cmpint (info->par_num, ==, 1);
  g_assert_cmpint (info->par_den, ==, 1);
  /* Audio frames may run a little past the last picture. */
  g_assert_cmpint (info->duration_ms, >=, spec->duration_ms - 100);
  g_assert_cmpint (info->duration_ms, <=, spec->duration_ms + 150);
  g_assert_cmpstr (info->container, ==, spec->container);
  g_assert_cmpstr (info->video_codec, ==, spec->video_codec);
  g_assert_cmpstr (info->audio_codec, ==, spec->audio_codec);
  g_assert_cmpstr (info->mime_type, !=, "application/octet-stream");
  g_assert_nonnull (info->video_caps);
}

static void
expect_probe_error (ThMediaKind kind,
                    int         code)
{
  g_autofree char *path = make (kind);
  if (path == NULL)
    {
      g_test_skip ("encoder not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMediaInfo) info = sd_media_probe (path, TIMEOUT_MS, &error);
  g_assert_null (info);
  g_assert_error (error, SD_MEDIA_ERROR, code);
  g_assert_true (sd_media_error_is_permanent (error));
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_probe_truncated (void)
{
  expect_probe_error (TH_MEDIA_TRUNCATED, SD_MEDIA_ERROR_UNREADABLE);
}

static void
test_probe_truncated_webm (void)
{
  expect_probe_error (TH_MEDIA_TRUNCATED_WEBM, SD_MEDIA_ERROR_UNREADABLE);
}

static void
test_probe_text (void)
{
  expect_probe_error (TH_MEDIA_TEXT, SD_MEDIA_ERROR_NOT_A_VIDEO);
}

static void
test_probe_audio_only (void)
{
  expect_probe_error (TH_MEDIA_AUDIO_ONLY, SD_MEDIA_ERROR_NOT_A_VIDEO);
}

static void
test_probe_image (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  gdk_pixbuf_fill (pb, 0x3366ccff);
  g_autofree char *path = g_build_filename (tmpdir, "still.png", NULL);
  g_assert_true (gdk_pixbuf_save (pb, path, "png", &error, NULL));
  g_autoptr(SdMediaInfo) info = sd_media_probe (path, TIMEOUT_MS, &error);
  g_assert_null (info);
  g_assert_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_NOT_A_VIDEO);
}

static void
test_probe_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "nothing-here.webm", NULL);
  g_autoptr(SdMediaInfo) info = sd_media_probe (path, TIMEOUT_MS, &error);
  g_assert_null (info);
  g_assert_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED);
  g_assert_false (sd_media_error_is_permanent (error));
}

static void
test_error_names (void)
{
  g_assert_cmpstr (sd_media_error_code_name (SD_MEDIA_ERROR_NOT_A_VIDEO), ==, "not_a_video");
  g_assert_cmpstr (sd_media_error_code_name (SD_MEDIA_ERROR_UNREADABLE), ==, "unreadable");
  g_assert_cmpstr (sd_media_error_code_name (SD_MEDIA_ERROR_UNSUPPORTED), ==, "unsupported_format");
  g_assert_cmpstr (sd_media_error_code_name (SD_MEDIA_ERROR_TIMEOUT), ==, "media_timeout");
}

/* ---- frames, thumbnail, strip ---- */

static SdMediaInfo *
probe_kind (ThMediaKind kind, char **path)
{
  g_autoptr(GError) error = NULL;
  *path = make (kind);
  if (*path == NULL)
    return NULL;
  SdMediaInfo *info = sd_media_probe (*path, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  return info;
}

static void
test_frames (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (TH_MEDIA_WEBM_VP8_OPUS, &path);
  if (info == NULL)
    {
      g_test_skip ("encoder not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMediaFrames) frames = sd_media_frames_open (path, 80, 60, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  /* Forwards, backwards, exact and by key frame. */
  const gint64 at[] = { 0, 1500, 500, 1900, 100 };
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_autoptr(GstSample) s = sd_media_frames_grab (frames, at[i], i % 2 == 0, &error);
      g_assert_no_error (error);
      GstStructure *st = gst_caps_get_structure (gst_sample_get_caps (s), 0);
      int w = 0, h = 0;
      g_assert_true (gst_structure_get_int (st, "width", &w));
      g_assert_true (gst_structure_get_int (st, "height", &h));
      g_assert_cmpint (w, ==, 80);
      g_assert_cmpint (h, ==, 60);
      if (i % 2 == 0)
        {
          /* An exact seek lands on the frame shown at that time. */
          GstBuffer *b = gst_sample_get_buffer (s);
          gint64 pts_ms = (gint64) (GST_BUFFER_PTS (b) / GST_MSECOND);
          g_assert_cmpint (pts_ms, <=, at[i]);
          g_assert_cmpint (pts_ms, >, at[i] - 40);
        }
    }
}

static void
test_thumbnail (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (TH_MEDIA_MP4_H264_AAC, &path);
  if (info == NULL)
    {
      g_test_skip ("encoder not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  int w = 0, h = 0;
  g_autoptr(GBytes) full = sd_media_thumbnail (path, info, SD_MEDIA_THUMBNAIL_WIDTH, TIMEOUT_MS,
                                               &w, &h, &error);
  g_assert_no_error (error);
  /* Never enlarged: 352×288 stays. */
  g_assert_cmpint (w, ==, 352);
  g_assert_cmpint (h, ==, 288);
  g_autoptr(GdkPixbuf) pb = decode_image (full);
  g_assert_cmpint (gdk_pixbuf_get_width (pb), ==, 352);
  g_assert_cmpint (gdk_pixbuf_get_height (pb), ==, 288);

  g_autoptr(GBytes) small = sd_media_thumbnail (path, info, 176, TIMEOUT_MS, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, 176);
  g_assert_cmpint (h, ==, 144);
  g_autoptr(GdkPixbuf) pb2 = decode_image (small);
  g_assert_cmpint (gdk_pixbuf_get_width (pb2), ==, 176);
  g_assert_cmpint (gdk_pixbuf_get_height (pb2), ==, 144);

  /* The encoded type is the one announced. */
  const guint8 *d = g_bytes_get_data (small, NULL);
  if (g_str_equal (sd_media_image_type (), "image/jpeg"))
    g_assert_true (d[0] == 0xff && d[1] == 0xd8);
  else
    g_assert_true (d[0] == 0x89 && d[1] == 'P');
}

static void
test_thumbnail_anamorphic (void)
{
  /* A 4:3 PAR makes a 240×240 coded picture show as 320×240. */
  SdMediaInfo info = { .duration_ms = 1000, .width = 240, .height = 240, .par_num = 4, .par_den = 3 };
  int w = 0, h = 0;
  sd_media_image_fit (&info, 640, &w, &h);
  g_assert_cmpint (w, ==, 320);
  g_assert_cmpint (h, ==, 240);
  sd_media_image_fit (&info, 160, &w, &h);
  g_assert_cmpint (w, ==, 160);
  g_assert_cmpint (h, ==, 120);
}

static void
test_strip_plan (void)
{
  int n = 0;
  gint64 interval = 0;
  sd_media_strip_plan (2000, 100, 200, &n, &interval);
  g_assert_cmpint (n, ==, 10);
  g_assert_cmpint (interval, ==, 200);
  sd_media_strip_plan (3600 * 1000, 100, 200, &n, &interval);
  g_assert_cmpint (n, ==, 100);
  g_assert_cmpint (interval, ==, 36000);
  sd_media_strip_plan (50, 100, 200, &n, &interval);
  g_assert_cmpint (n, ==, 1);
  sd_media_strip_plan (10000, 500, 1, &n, &interval);
  g_assert_cmpint (n, ==, SD_MEDIA_STRIP_MAX_FRAMES);
}

static void
test_strip (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (TH_MEDIA_WEBM_VP8_OPUS, &path);
  if (info == NULL)
    {
      g_test_skip ("encoder not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  /* 2 s at one frame per 150 ms: 14 frames, two rows of 10. */
  g_autoptr(SdMediaStrip) strip = sd_media_strip (path, info, SD_MEDIA_STRIP_TILE_WIDTH, 100, 150,
                                                  TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (strip->frames, ==, (int) ((info->duration_ms + 149) / 150));
  g_assert_cmpint (strip->interval_ms, ==, 150);
  g_assert_cmpint (strip->columns, ==, 10);
  g_assert_cmpint (strip->tile_width, ==, 160);
  g_assert_cmpint (strip->tile_height, ==, 120);
  g_assert_cmpint (strip->width, ==, 1600);
  g_assert_cmpint (strip->height, ==, 240);
  g_autoptr(GdkPixbuf) pb = decode_image (strip->image);
  g_assert_cmpint (gdk_pixbuf_get_width (pb), ==, 1600);
  g_assert_cmpint (gdk_pixbuf_get_height (pb), ==, 240);

  /* The ball moves: the first and the fifth tile differ. */
  const guint8 *px = gdk_pixbuf_read_pixels (pb);
  int stride = gdk_pixbuf_get_rowstride (pb), nc = gdk_pixbuf_get_n_channels (pb);
  guint64 diff = 0;
  for (int y = 0; y < 120; y++)
    for (int x = 0; x < 160; x++)
      for (int c = 0; c < 3; c++)
        diff += (guint64) ABS ((int) px[y * stride + x * nc + c] - (int) px[y * stride + (x + 4 * 160) * nc + c]);
  g_assert_cmpuint (diff, >, 1000);

  /* A short video still gets one frame. */
  g_autoptr(SdMediaStrip) one = sd_media_strip (path, info, 80, 1, 1000, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->frames, ==, 1);
  g_assert_cmpint (one->width, ==, 80);
  g_assert_cmpint (one->height, ==, 60);
}

/* ---- playback ---- */

static void
test_playback_direct (gconstpointer data)
{
  ThMediaKind kind = GPOINTER_TO_INT (data);
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (kind, &path);
  if (info == NULL)
    {
      g_test_skip ("encoder not installed");
      return;
    }
  g_autofree char *reason = NULL;
  g_assert_cmpint (sd_media_playback_direct (info, &reason), ==, th_media_spec (kind)->direct);
  if (!th_media_spec (kind)->direct)
    g_assert_nonnull (reason);
}

static void
test_playback_rule (void)
{
  SdMediaInfo info = {
    .duration_ms = 1000, .width = 320, .height = 240, .par_num = 1, .par_den = 1,
    .container = (char *) "webm", .video_codec = (char *) "vp8",
    .video_caps = (char *) "video/x-vp8, width=(int)320, height=(int)240",
  };
  if (!sd_media_have_element ("vp8dec"))
    {
      g_test_skip ("no vp8dec");
      return;
    }
  g_assert_true (sd_media_playback_direct (&info, NULL));
  info.container = (char *) "avi";
  g_assert_false (sd_media_playback_direct (&info, NULL));
  info.container = (char *) "webm";
  info.audio_codec = (char *) "wma";
  info.audio_caps = (char *) "audio/x-wma, wmaversion=(int)2";
  g_assert_false (sd_media_playback_direct (&info, NULL));
  /* A codec name we know, but no decoder for its caps. */
  info.audio_codec = NULL;
  info.audio_caps = NULL;
  info.video_caps = (char *) "video/x-vp8-from-mars";
  g_assert_false (sd_media_playback_direct (&info, NULL));
}

static void
test_transcode_size (void)
{
  SdMediaInfo info = { .width = 3840, .height = 2160, .par_num = 1, .par_den = 1 };
  int w = 0, h = 0;
  sd_media_transcode_size (&info, 1920, 1080, &w, &h);
  g_assert_cmpint (w, ==, 1920);
  g_assert_cmpint (h, ==, 1080);
  info.width = 2160, info.height = 3840;       /* portrait: the box turns */
  sd_media_transcode_size (&info, 1920, 1080, &w, &h);
  g_assert_cmpint (w, ==, 1080);
  g_assert_cmpint (h, ==, 1920);
  info.width = 4000, info.height = 3000;
  sd_media_transcode_size (&info, 1920, 1080, &w, &h);
  g_assert_cmpint (w, ==, 1440);
  g_assert_cmpint (h, ==, 1080);
  info.width = 321, info.height = 241;          /* small: kept, made even */
  sd_media_transcode_size (&info, 1920, 1080, &w, &h);
  g_assert_cmpint (w, ==, 320);
  g_assert_cmpint (h, ==, 240);
}

static void
test_transcode (gconstpointer data)
{
  const char *target_name = data;
  const SdMediaTarget *target = sd_media_transcode_target (target_name);
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (TH_MEDIA_AVI_MPEG4, &path);
  if (target == NULL || info == NULL)
    {
      g_test_skip ("encoders not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("out-%s.%s", target->name, target->extension);
  g_autofree char *out = g_build_filename (tmpdir, name, NULL);
  gboolean ok = sd_media_transcode (path, out, info, target, 1920, 1080, 60000, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_autoptr(SdMediaInfo) result = sd_media_probe (out, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, 320);
  g_assert_cmpint (result->height, ==, 240);
  g_assert_cmpint (result->duration_ms, >=, info->duration_ms - 100);
  g_assert_cmpint (result->duration_ms, <=, info->duration_ms + 100);
  g_assert_cmpstr (result->mime_type, ==, target->mime_type);
  g_assert_true (sd_media_playback_direct (result, NULL));
  g_assert_true (plays_to_end (out));
}

static void
test_transcode_with_audio_scaled (void)
{
  const SdMediaTarget *target = sd_media_transcode_target (NULL);
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (TH_MEDIA_OGG_THEORA_VORBIS, &path);
  if (target == NULL || info == NULL)
    {
      g_test_skip ("encoders not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (tmpdir, "scaled-out", NULL);
  /* A tiny box stands for the 1080p bound. */
  g_assert_true (sd_media_transcode (path, out, info, target, 160, 120, 60000, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_autoptr(SdMediaInfo) result = sd_media_probe (out, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, 160);
  g_assert_cmpint (result->height, ==, 120);
  g_assert_nonnull (result->audio_codec);
  g_assert_true (plays_to_end (out));
}

static void
test_transcode_cancelled (void)
{
  const SdMediaTarget *target = sd_media_transcode_target (NULL);
  g_autofree char *path = NULL;
  g_autoptr(SdMediaInfo) info = probe_kind (TH_MEDIA_AVI_MPEG4, &path);
  if (target == NULL || info == NULL)
    {
      g_test_skip ("encoders not installed");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_autofree char *out = g_build_filename (tmpdir, "cancelled-out", NULL);
  g_assert_false (sd_media_transcode (path, out, info, target, 1920, 1080, 60000, cancellable,
                                      NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
add_kind_test (const char *prefix,
               ThMediaKind kind,
               GTestDataFunc func)
{
  g_autofree char *name = g_strdup_printf ("%s/%s", prefix, th_media_spec (kind)->name);
  g_test_add_data_func (name, GINT_TO_POINTER (kind), func);
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  sd_media_init ();
  tmpdir = g_dir_make_tmp ("tandem-media-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  const ThMediaKind good[] = {
    TH_MEDIA_WEBM_VP8_OPUS, TH_MEDIA_WEBM_VP9, TH_MEDIA_MKV_H264_VORBIS,
    TH_MEDIA_MP4_H264_AAC, TH_MEDIA_OGG_THEORA_VORBIS, TH_MEDIA_AVI_MPEG4, TH_MEDIA_WEBM_STREAMED,
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    add_kind_test ("/media/probe", good[i], test_probe);
  g_test_add_func ("/media/probe/truncated/mp4", test_probe_truncated);
  g_test_add_func ("/media/probe/truncated/webm", test_probe_truncated_webm);
  g_test_add_func ("/media/probe/not-a-video/text", test_probe_text);
  g_test_add_func ("/media/probe/not-a-video/audio-only", test_probe_audio_only);
  g_test_add_func ("/media/probe/not-a-video/image", test_probe_image);
  g_test_add_func ("/media/probe/missing-file", test_probe_missing);
  g_test_add_func ("/media/error-names", test_error_names);
  g_test_add_func ("/media/frames/seek", test_frames);
  g_test_add_func ("/media/thumbnail/size", test_thumbnail);
  g_test_add_func ("/media/thumbnail/anamorphic", test_thumbnail_anamorphic);
  g_test_add_func ("/media/strip/plan", test_strip_plan);
  g_test_add_func ("/media/strip/image", test_strip);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    add_kind_test ("/media/playback/direct", good[i], test_playback_direct);
  g_test_add_func ("/media/playback/rule", test_playback_rule);
  g_test_add_func ("/media/transcode/size", test_transcode_size);
  g_test_add_data_func ("/media/transcode/default", NULL, test_transcode);
  g_test_add_data_func ("/media/transcode/mp4-h264-aac", "mp4-h264-aac", test_transcode);
  g_test_add_data_func ("/media/transcode/webm-vp8-opus", "webm-vp8-opus", test_transcode);
  g_test_add_func ("/media/transcode/audio-and-bound", test_transcode_with_audio_scaled);
  g_test_add_func ("/media/transcode/cancelled", test_transcode_cancelled);

  int rc = g_test_run ();
  if (g_getenv ("TANDEM_TEST_KEEP") == NULL)
    rm_rf (tmpdir);
  g_free (tmpdir);
  return rc;
}
