/* test-call.c — the call engine with real pipelines: two TcCalls in one
 * process, joined through the in-memory relay (th-call-relay.h), on
 * loopback ICE.  Each test is bounded (a few seconds). */
#include "th-call-relay.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <unistd.h>

#define TIMEOUT_S 15

/* Runs the main context until @cond (evaluated each iteration) holds, or
 * fails the test after @seconds. */
#define WAIT_FOR(cond, seconds)                                                   \
  G_STMT_START {                                                                  \
    gint64 end_ = g_get_monotonic_time () + (seconds) * G_TIME_SPAN_SECOND;       \
    while (!(cond))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > end_)                                       \
          {                                                                       \
            dump_calls ();                                                        \
            g_error ("timed out waiting for %s", #cond);                          \
          }                                                                       \
        g_main_context_iteration (NULL, FALSE);                                   \
        g_usleep (1000);                                                          \
      }                                                                           \
  } G_STMT_END

static GPtrArray *all_calls;

static void
dump_calls (void)
{
  for (guint i = 0; all_calls != NULL && i < all_calls->len; i++)
    {
      TcCall *call = g_ptr_array_index (all_calls, i);
      TcCallStats stats;
      tc_call_get_stats (call, &stats);
      g_printerr ("call %u: %s, peer %s, video frames %" G_GUINT64_FORMAT ", audio buffers %" G_GUINT64_FORMAT "\n", i,
                  tc_call_state_to_string (tc_call_get_state (call)), tc_call_get_peer_id (call),
                  stats.video_frames_received, stats.audio_buffers_received);
      g_autofree char *name = g_strdup_printf ("call-%u-%d", i, getpid ());
      GST_DEBUG_BIN_TO_DOT_FILE (GST_BIN (tc_call_get_pipeline (call)), GST_DEBUG_GRAPH_SHOW_ALL, name);
    }
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static TcCall *
make_call (const char *video,
           const char *audio,
           gboolean    polite,
           const char *codecs)
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
    .loopback_only = TRUE,
  };
  TcCall *call = tc_call_new (&options, &error);
  g_assert_no_error (error);
  if (all_calls == NULL)
    all_calls = g_ptr_array_new ();
  g_ptr_array_add (all_calls, call);
  g_object_weak_ref (G_OBJECT (call), (GWeakNotify) (void (*) (void)) g_ptr_array_remove, all_calls);
  g_assert_true (tc_call_start (call, &error));
  g_assert_no_error (error);
  return call;
}

static guint64
frames (TcCall *call)
{
  TcCallStats stats;
  tc_call_get_stats (call, &stats);
  return stats.video_frames_received;
}

static guint64
audio_buffers (TcCall *call)
{
  TcCallStats stats;
  tc_call_get_stats (call, &stats);
  return stats.audio_buffers_received;
}

/* The colour at the centre of the last remote frame: 'r', 'g', 'b', or '?'. */
static char
remote_colour (TcCall *call)
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

/* ---- tests ---- */

static void
test_basic (void)
{
  ThCallRelay *relay = th_call_relay_new ();
  g_autoptr(TcCall) a = make_call ("test:red", "test", FALSE, NULL);
  g_autoptr(TcCall) b = make_call ("test:blue", "test:880", TRUE, NULL);

  th_call_relay_join (relay, a, "user-a", "Alice");
  WAIT_FOR (tc_call_get_state (a) == TC_CALL_STATE_WAITING, TIMEOUT_S);
  th_call_relay_join (relay, b, "user-b", "Bob");

  WAIT_FOR (frames (a) >= 10 && frames (b) >= 10 && audio_buffers (a) >= 10 && audio_buffers (b) >= 10, TIMEOUT_S);
  g_assert_cmpint (tc_call_get_state (a), ==, TC_CALL_STATE_CONNECTED);
  g_assert_cmpint (tc_call_get_state (b), ==, TC_CALL_STATE_CONNECTED);
  WAIT_FOR (remote_colour (a) == 'b' && remote_colour (b) == 'r', 5);
  g_assert_cmpstr (tc_call_get_peer_id (a), ==, "user-b");
  g_assert_cmpstr (tc_call_get_peer_name (b), ==, "Alice");

  TcCallStats stats;
  tc_call_get_stats (b, &stats);
  g_assert_cmpint (stats.first_remote_frame_ms, >=, 0);
  g_assert_cmpint (stats.first_remote_frame_ms, <, 5000);
  g_test_message ("first remote frame after %" G_GINT64_FORMAT " ms", stats.first_remote_frame_ms);

  gboolean audio, video, screen;
  tc_call_get_peer_media (a, &audio, &video, &screen);
  g_assert_true (audio && video && !screen);

  /* statistics: two reads a moment apart give bitrates; RTCP gives the RTT */
  gboolean updated = FALSE;
  g_signal_connect_swapped (a, "stats-updated", G_CALLBACK (g_nullify_pointer), &updated);
  tc_call_update_stats (a);
  spin (1200);
  tc_call_update_stats (a);
  spin (300);
  tc_call_get_stats (a, &stats);
  g_assert_cmpfloat (stats.bitrate_in_kbps, >, 10);
  g_assert_cmpfloat (stats.bitrate_out_kbps, >, 10);
  g_assert_cmpint (stats.packets_received, >, 10);
  g_test_message ("rtt %.1f ms, in %.0f kbit/s, out %.0f kbit/s, lost %" G_GINT64_FORMAT,
                  stats.rtt_ms, stats.bitrate_in_kbps, stats.bitrate_out_kbps, stats.packets_lost);

  tc_call_hangup (a);
  WAIT_FOR (tc_call_get_state (b) == TC_CALL_STATE_WAITING, 5);
  g_assert_cmpint (tc_call_get_state (a), ==, TC_CALL_STATE_ENDED);
  th_call_relay_leave (relay, a, "hangup");
  th_call_relay_free (relay);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call/basic", test_basic);
  return g_test_run ();
}
