/* th-media.c — generating test videos with GStreamer pipelines. */
#include "th-media.h"

#include <gst/gst.h>
#include <glib/gstdio.h>

static const ThMediaSpec specs[TH_MEDIA_N_KINDS] = {
  [TH_MEDIA_WEBM_VP8_OPUS] = {
    "vp8-opus.webm", 320, 240, 30, 1, 2000, "webm", "vp8", "opus", TRUE,
    "videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1"
    " ! vp8enc deadline=1 keyframe-max-dist=15 ! webmmux name=m ! filesink name=out"
    " audiotestsrc num-buffers=200 samplesperbuffer=480 ! audio/x-raw,rate=48000,channels=2"
    " ! audioconvert ! opusenc ! m.",
    (const char *const[]) { "videotestsrc", "audiotestsrc", "vp8enc", "opusenc", "webmmux", NULL } },
  [TH_MEDIA_WEBM_VP9] = {
    "vp9.webm", 256, 144, 25, 1, 2000, "webm", "vp9", NULL, TRUE,
    "videotestsrc num-buffers=50 pattern=smpte ! video/x-raw,width=256,height=144,framerate=25/1"
    " ! vp9enc deadline=1 cpu-used=8 keyframe-max-dist=10 ! webmmux ! filesink name=out",
    (const char *const[]) { "videotestsrc", "vp9enc", "webmmux", NULL } },
  [TH_MEDIA_MKV_H264_VORBIS] = {
    "h264-vorbis.mkv", 320, 180, 24, 1, 2000, "matroska", "h264", "vorbis", TRUE,
    "videotestsrc num-buffers=48 pattern=ball ! video/x-raw,width=320,height=180,framerate=24/1,format=I420"
    " ! x264enc speed-preset=ultrafast key-int-max=12 ! h264parse ! matroskamux name=m ! filesink name=out"
    " audiotestsrc num-buffers=200 samplesperbuffer=441 ! audio/x-raw,rate=44100"
    " ! audioconvert ! vorbisenc ! m.",
    (const char *const[]) { "videotestsrc", "audiotestsrc", "x264enc", "h264parse", "vorbisenc",
                            "matroskamux", NULL } },
  [TH_MEDIA_MP4_H264_AAC] = {
    "h264-aac.mp4", 352, 288, 25, 1, 3000, "mp4", "h264", "aac", TRUE,
    "videotestsrc num-buffers=75 pattern=smpte ! video/x-raw,width=352,height=288,framerate=25/1,format=I420"
    " ! x264enc speed-preset=ultrafast key-int-max=12 ! h264parse ! mp4mux name=m ! filesink name=out"
    " audiotestsrc num-buffers=300 samplesperbuffer=480 ! audio/x-raw,rate=48000"
    " ! audioconvert ! avenc_aac ! m.",
    (const char *const[]) { "videotestsrc", "audiotestsrc", "x264enc", "h264parse", "avenc_aac",
                            "mp4mux", NULL } },
  [TH_MEDIA_OGG_THEORA_VORBIS] = {
    "theora-vorbis.ogv", 320, 240, 15, 1, 2000, "ogg", "theora", "vorbis", TRUE,
    "videotestsrc num-buffers=30 ! video/x-raw,width=320,height=240,framerate=15/1"
    " ! theoraenc keyframe-freq=5 ! oggmux name=m ! filesink name=out"
    " audiotestsrc num-buffers=200 samplesperbuffer=441 ! audio/x-raw,rate=44100"
    " ! audioconvert ! vorbisenc ! m.",
    (const char *const[]) { "videotestsrc", "audiotestsrc", "theoraenc", "vorbisenc", "oggmux", NULL } },
  [TH_MEDIA_AVI_MPEG4] = {
    "mpeg4.avi", 320, 240, 25, 1, 2000, "avi", "mpeg4", NULL, FALSE,
    "videotestsrc num-buffers=50 pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1"
    " ! avenc_mpeg4 ! avimux ! filesink name=out",
    (const char *const[]) { "videotestsrc", "avenc_mpeg4", "avimux", NULL } },
  [TH_MEDIA_WEBM_STREAMED] = {
    "streamed.webm", 320, 240, 30, 1, 2000, "webm", "vp8", NULL, TRUE,
    "videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1"
    " ! vp8enc deadline=1 ! webmmux streamable=true ! filesink name=out",
    (const char *const[]) { "videotestsrc", "vp8enc", "webmmux", NULL } },
  [TH_MEDIA_TRUNCATED_WEBM] = {
    "truncated.webm", 0, 0, 0, 1, 0, NULL, NULL, NULL, FALSE,
    "videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1"
    " ! vp8enc deadline=1 keyframe-max-dist=15 ! webmmux ! filesink name=out",
    (const char *const[]) { "videotestsrc", "vp8enc", "webmmux", NULL } },
  [TH_MEDIA_TRUNCATED] = {
    "truncated.mp4", 0, 0, 0, 1, 0, NULL, NULL, NULL, FALSE,
    "videotestsrc num-buffers=50 ! video/x-raw,width=320,height=240,framerate=25/1,format=I420"
    " ! x264enc speed-preset=ultrafast ! mp4mux ! filesink name=out",
    (const char *const[]) { "videotestsrc", "x264enc", "mp4mux", NULL } },
  [TH_MEDIA_TEXT] = {
    "notes.txt", 0, 0, 0, 1, 0, NULL, NULL, NULL, FALSE, NULL,
    (const char *const[]) { NULL } },
  [TH_MEDIA_AUDIO_ONLY] = {
    "voice.opus", 0, 0, 0, 1, 0, NULL, NULL, NULL, FALSE,
    "audiotestsrc num-buffers=100 samplesperbuffer=480 ! audio/x-raw,rate=48000"
    " ! audioconvert ! opusenc ! oggmux ! filesink name=out",
    (const char *const[]) { "audiotestsrc", "opusenc", "oggmux", NULL } },
};

const ThMediaSpec *
th_media_spec (ThMediaKind kind)
{
  g_assert (kind < TH_MEDIA_N_KINDS);
  return &specs[kind];
}

gboolean
th_media_available (ThMediaKind kind)
{
  gst_init (NULL, NULL);
  for (const char *const *e = th_media_spec (kind)->elements; *e != NULL; e++)
    {
      GstElementFactory *f = gst_element_factory_find (*e);
      if (f == NULL)
        return FALSE;
      gst_object_unref (f);
    }
  return TRUE;
}

static void
run_pipeline (const char *description,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  g_autoptr(GstElement) out = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  g_assert_nonnull (out);
  g_object_set (out, "location", path, NULL);

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                                                          GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (msg == NULL || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      if (msg != NULL)
        gst_message_parse_error (msg, &gst_error, NULL);
      g_error ("making %s failed: %s", path, gst_error != NULL ? gst_error->message : "timeout");
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

char *
th_media_make (const char  *dir,
               ThMediaKind  kind)
{
  const ThMediaSpec *spec = th_media_spec (kind);
  g_autofree char *path = g_build_filename (dir, spec->name, NULL);
  g_autoptr(GError) error = NULL;

  gst_init (NULL, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);
  if (!th_media_available (kind))
    g_error ("the GStreamer elements for %s are not installed", spec->name);

  switch (kind)
    {
    case TH_MEDIA_TEXT:
      {
        static const char text[] = "Practice notes: backhand, footwork, serve toss.\n";
        g_file_set_contents (path, text, sizeof text - 1, &error);
        g_assert_no_error (error);
      }
      break;
    case TH_MEDIA_TRUNCATED:
    case TH_MEDIA_TRUNCATED_WEBM:
      {
        /* mp4mux writes its index (moov) last: the first half has frames
         * but nothing to find them with.  WebM's first half has a header
         * that promises twice the frames. */
        g_autofree char *whole = g_strconcat (path, ".whole", NULL);
        g_autofree char *data = NULL;
        gsize len = 0;
        run_pipeline (spec->pipeline, whole);
        g_file_get_contents (whole, &data, &len, &error);
        g_assert_no_error (error);
        g_file_set_contents (path, data, (gssize) (len / 2), &error);
        g_assert_no_error (error);
        g_unlink (whole);
      }
      break;
    case TH_MEDIA_WEBM_VP8_OPUS:
    case TH_MEDIA_WEBM_STREAMED:
    case TH_MEDIA_WEBM_VP9:
    case TH_MEDIA_MKV_H264_VORBIS:
    case TH_MEDIA_MP4_H264_AAC:
    case TH_MEDIA_OGG_THEORA_VORBIS:
    case TH_MEDIA_AVI_MPEG4:
    case TH_MEDIA_AUDIO_ONLY:
    case TH_MEDIA_N_KINDS:
    default:
      run_pipeline (spec->pipeline, path);
      break;
    }
  return g_steal_pointer (&path);
}
