/* th-call-test.c — see th-call-test.h. */
#include "th-call-test.h"

#include <gst/video/video.h>
#include <unistd.h>

static GPtrArray *all_calls;   /* weak */

void
th_call_test_dump (void)
{
  for (guint i = 0; all_calls != NULL && i < all_calls->len; i++)
    {
      TcCall *call = g_ptr_array_index (all_calls, i);
      TcCallStats stats;
      tc_call_get_stats (call, &stats);
      g_printerr ("call %u: %s, peer %s, video frames %" G_GUINT64_FORMAT ", audio buffers %" G_GUINT64_FORMAT
                  ", ICE restarts %u\n", i,
                  tc_call_state_to_string (tc_call_get_state (call)), tc_call_get_peer_id (call),
                  stats.video_frames_received, stats.audio_buffers_received, stats.ice_restarts);
      g_autofree char *name = g_strdup_printf ("call-%u-%d", i, getpid ());
      GST_DEBUG_BIN_TO_DOT_FILE (GST_BIN (tc_call_get_pipeline (call)), GST_DEBUG_GRAPH_SHOW_ALL, name);
    }
}

void
th_call_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
forget_call (gpointer  data,
             GObject  *gone)
{
  g_ptr_array_remove (all_calls, gone);
}

TcCall *
th_call_test_make (const char *video,
                   const char *audio,
                   gboolean    polite,
                   const char *codecs,
                   gboolean    loopback_only)
{
  g_autoptr(GError) error = NULL;
  TcCallOptions options = {
    .video = video,
    .audio = audio,
    .polite = polite,
    .width = 320,
    .height = 240,
    .framerate = 30,
    .video_codecs = codecs,
    .loopback_only = loopback_only,
  };
  TcCall *call = tc_call_new (&options, &error);
  g_assert_no_error (error);
  if (all_calls == NULL)
    all_calls = g_ptr_array_new ();
  g_ptr_array_add (all_calls, call);
  g_object_weak_ref (G_OBJECT (call), forget_call, NULL);
  g_assert_true (tc_call_start (call, &error));
  g_assert_no_error (error);
  return call;
}

TcCallStats
th_call_test_stats (TcCall *call)
{
  TcCallStats stats;
  tc_call_get_stats (call, &stats);
  return stats;
}

guint64
th_call_test_frames (TcCall *call)
{
  return th_call_test_stats (call).video_frames_received;
}

char
th_call_test_colour (TcCall *call)
{
  g_autoptr(GstSample) sample = tc_call_dup_last_frame (call, TC_CALL_VIDEO_REMOTE);
  GstVideoInfo info;
  GstMapInfo map;
  char colour = '?';

  if (sample == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return '?';
  g_assert_cmpint (GST_VIDEO_INFO_FORMAT (&info), ==, GST_VIDEO_FORMAT_BGRA);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return '?';
  const guint8 *p = map.data + (GST_VIDEO_INFO_HEIGHT (&info) / 2) * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) +
                    (GST_VIDEO_INFO_WIDTH (&info) / 2) * 4;
  int b = p[0], g = p[1], r = p[2];
  if (r > 180 && g < 80 && b < 80)
    colour = 'r';
  else if (g > 180 && r < 80 && b < 80)
    colour = 'g';
  else if (b > 180 && r < 80 && g < 80)
    colour = 'b';
  gst_buffer_unmap (buffer, &map);
  return colour;
}
