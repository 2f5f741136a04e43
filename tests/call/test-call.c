/* test-call.c — the call engine with real pipelines: two TcCalls in one
 * process, joined through the in-memory relay (th-call-relay.h), on
 * loopback ICE.  Each test is bounded (a few seconds). */
#include "th-call-relay.h"
#include "th-call-test.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <unistd.h>

#define TIMEOUT_S 15

/* Runs the main context until @cond (evaluated each iteration) holds, or
 * fails the test after @seconds. */

static TcCall *
make_call (const char *video,
           const char *audio,
           gboolean    polite,
           const char *codecs)
{
  return th_call_test_make (video, audio, polite, codecs, TRUE);
}

static guint64
audio_buffers (TcCall *call)
{
  TcCallStats stats;
  tc_call_get_stats (call, &stats);
  return stats.audio_buffers_received;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
count_frame_cb (GstSample *sample,
                gpointer   user_data)
{
  g_atomic_int_inc ((guint *) user_data);
}

static void
keep_reason_cb (TcCall     *call,
                const char *reason,
                char      **out)
{
  g_free (*out);
  *out = g_strdup (reason);
}

/* ---- tests ---- */

static void
test_basic (void)
{
  ThCallRelay *relay = th_call_relay_new ();
  g_autoptr(TcCall) a = make_call ("test:red", "test", FALSE, NULL);
  g_autoptr(TcCall) b = make_call ("test:blue", "test:880", TRUE, NULL);

  th_call_relay_join (relay, a, "user-a", "Alice");
  TH_WAIT_FOR (tc_call_get_state (a) == TC_CALL_STATE_WAITING, TIMEOUT_S);
  th_call_relay_join (relay, b, "user-b", "Bob");

  TH_WAIT_FOR (th_call_test_frames (a) >= 10 && th_call_test_frames (b) >= 10 && audio_buffers (a) >= 10 && audio_buffers (b) >= 10, TIMEOUT_S);
  g_assert_cmpint (tc_call_get_state (a), ==, TC_CALL_STATE_CONNECTED);
  g_assert_cmpint (tc_call_get_state (b), ==, TC_CALL_STATE_CONNECTED);
  TH_WAIT_FOR (th_call_test_colour (a) == 'b' && th_call_test_colour (b) == 'r', 5);
  g_assert_cmpstr (tc_call_get_peer_id (a), ==, "user-b");
  g_assert_cmpstr (tc_call_get_peer_name (b), ==, "Alice");

  TcCallStats stats;
  tc_call_get_stats (b, &stats);
  g_assert_cmpint (stats.first_remote_frame_ms, >=, 0);
  g_assert_cmpint (stats.first_remote_frame_ms, <, 5000);
  g_test_message ("first remote frame after %" G_GINT64_FORMAT " ms", stats.first_remote_frame_ms);

  /* the tones each side sends: 440 Hz from a, 880 Hz from b */
  TH_WAIT_FOR ((tc_call_get_stats (a, &stats), stats.audio_frequency_hz > 0), 5);
  g_test_message ("a hears %.0f Hz", stats.audio_frequency_hz);
  g_assert_cmpfloat_with_epsilon (stats.audio_frequency_hz, 880, 60);
  tc_call_get_stats (b, &stats);
  g_test_message ("b hears %.0f Hz", stats.audio_frequency_hz);
  g_assert_cmpfloat_with_epsilon (stats.audio_frequency_hz, 440, 40);

  gboolean audio, video, screen;
  tc_call_get_peer_media (a, &audio, &video, &screen);
  g_assert_true (audio && video && !screen);

  /* statistics: two reads a moment apart give bitrates; RTCP gives the RTT */
  guint updated = 0;
  g_signal_connect_swapped (a, "stats-updated", G_CALLBACK (count_cb), &updated);
  tc_call_update_stats (a);
  th_call_test_spin (1200);
  tc_call_update_stats (a);
  th_call_test_spin (300);
  tc_call_get_stats (a, &stats);
  g_assert_cmpuint (updated, ==, 2);
  g_assert_cmpfloat (stats.bitrate_in_kbps, >, 10);
  g_assert_cmpfloat (stats.bitrate_out_kbps, >, 10);
  g_assert_cmpint (stats.packets_received, >, 10);
  g_test_message ("rtt %.1f ms, in %.0f kbit/s, out %.0f kbit/s, lost %" G_GINT64_FORMAT,
                  stats.rtt_ms, stats.bitrate_in_kbps, stats.bitrate_out_kbps, stats.packets_lost);

  tc_call_hangup (a);
  TH_WAIT_FOR (tc_call_get_state (b) == TC_CALL_STATE_WAITING, 5);
  g_assert_cmpint (tc_call_get_state (a), ==, TC_CALL_STATE_ENDED);
  th_call_relay_leave (relay, a, "hangup");
  th_call_relay_free (relay);
}


/* A call of two engines, connected with media both ways. */
typedef struct {
  ThCallRelay *relay;
  TcCall *a;
  TcCall *b;
} Pair;

static void
pair_connect (Pair       *p,
              const char *a_video,
              const char *b_video,
              const char *a_codecs,
              const char *b_codecs)
{
  p->relay = th_call_relay_new ();
  p->a = make_call (a_video, "test", FALSE, a_codecs);
  p->b = make_call (b_video, "test:880", TRUE, b_codecs);
  th_call_relay_join (p->relay, p->a, "user-a", "Alice");
  TH_WAIT_FOR (tc_call_get_state (p->a) == TC_CALL_STATE_WAITING, TIMEOUT_S);
  th_call_relay_join (p->relay, p->b, "user-b", "Bob");
  TH_WAIT_FOR (tc_call_get_state (p->a) == TC_CALL_STATE_CONNECTED &&
            tc_call_get_state (p->b) == TC_CALL_STATE_CONNECTED &&
            audio_buffers (p->a) >= 5 && audio_buffers (p->b) >= 5, TIMEOUT_S);
}

static void
pair_end (Pair *p)
{
  if (p->a != NULL)
    {
      tc_call_hangup (p->a);
      th_call_relay_leave (p->relay, p->a, "hangup");
    }
  if (p->b != NULL)
    {
      tc_call_hangup (p->b);
      th_call_relay_leave (p->relay, p->b, "hangup");
    }
  g_clear_object (&p->a);
  g_clear_object (&p->b);
  th_call_relay_free (p->relay);
}

/* One side has no camera at first; when it turns one on, the call
 * renegotiates and the other side gets its picture. */
static void
test_camera_later (void)
{
  Pair p = { 0 };
  g_autoptr(GError) error = NULL;

  pair_connect (&p, NULL, "test:red", NULL, NULL);
  TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_colour (p.a) == 'r', TIMEOUT_S);
  th_call_test_spin (300);
  g_assert_cmpuint (th_call_test_frames (p.b), ==, 0);
  gboolean video = TRUE;
  tc_call_get_peer_media (p.b, NULL, &video, NULL);
  g_assert_false (video);

  guint offers = th_call_relay_count (p.relay, "offer");
  g_assert_true (tc_call_set_video_source (p.a, "test:blue", &error));
  g_assert_no_error (error);
  TH_WAIT_FOR (th_call_test_frames (p.b) >= 5 && th_call_test_colour (p.b) == 'b', TIMEOUT_S);
  g_assert_cmpuint (th_call_relay_count (p.relay, "offer"), >, offers);
  tc_call_get_peer_media (p.b, NULL, &video, NULL);
  g_assert_true (video);
  /* and the first stream still flows */
  guint64 before = th_call_test_frames (p.a);
  TH_WAIT_FOR (th_call_test_frames (p.a) > before + 5, 5);

  /* camera off: the peer is told */
  g_assert_true (tc_call_set_video_source (p.a, NULL, &error));
  TH_WAIT_FOR ((tc_call_get_peer_media (p.b, NULL, &video, NULL), !video), 5);
  pair_end (&p);
}

/* Both turn their cameras on at the same moment: the offers cross (the
 * relay holds them until both are out), the polite side gives way — with
 * webrtcbin 1.22, which cannot roll back an offer, by starting the
 * connection afresh — and both end up with the other's picture. */
static void
test_glare (void)
{
  Pair p = { 0 };
  g_autoptr(GError) error = NULL;

  pair_connect (&p, NULL, NULL, NULL, NULL);
  /* hold the messages until both offers are out, so that they cross */
  guint offers = th_call_relay_count (p.relay, "offer");
  th_call_relay_hold (p.relay, TRUE);
  g_assert_true (tc_call_set_video_source (p.a, "test:red", &error));
  g_assert_true (tc_call_set_video_source (p.b, "test:blue", &error));
  g_assert_no_error (error);
  TH_WAIT_FOR (th_call_relay_count (p.relay, "offer") == offers + 2, TIMEOUT_S);
  th_call_relay_hold (p.relay, FALSE);
  TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_frames (p.b) >= 5, TIMEOUT_S);
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'b' && th_call_test_colour (p.b) == 'r', 5);
  pair_end (&p);
}

/* One side drops; a new engine joins in its place (the rule: the one who
 * stayed offers on a fresh connection); media flows again both ways. */
static void
test_rejoin (void)
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'b' && th_call_test_colour (p.b) == 'r', TIMEOUT_S);

  g_autofree char *reason = NULL;
  g_signal_connect (p.a, "peer-left", G_CALLBACK (keep_reason_cb), &reason);
  th_call_relay_leave (p.relay, p.b, "dropped");
  g_clear_object (&p.b);
  TH_WAIT_FOR (tc_call_get_state (p.a) == TC_CALL_STATE_WAITING, 5);
  g_assert_cmpstr (reason, ==, "dropped");
  g_assert_null (tc_call_get_peer_id (p.a));

  p.b = make_call ("test:green", "test", TRUE, NULL);
  th_call_relay_join (p.relay, p.b, "user-b", "Bob");
  TH_WAIT_FOR (th_call_test_frames (p.b) >= 5 && th_call_test_colour (p.b) == 'r', TIMEOUT_S);
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'g', TIMEOUT_S);
  g_assert_cmpint (tc_call_get_state (p.a), ==, TC_CALL_STATE_CONNECTED);
  g_assert_cmpstr (tc_call_get_peer_id (p.a), ==, "user-b");
  pair_end (&p);
}

static void
note_state_cb (TcCall *call,
               guint   state,
               GString *log)
{
  g_string_append_printf (log, "%s ", tc_call_state_to_string (state));
}

/* Checks that a pair whose signaling broke (as @broken) goes on as it
 * was: same connections, no new offer, no state change, media flowing. */
static void
signaling_break (void (*broken) (Pair *p))
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'b' && th_call_test_colour (p.b) == 'r', TIMEOUT_S);
  guint offers = th_call_relay_count (p.relay, "offer");
  g_autoptr(GString) log = g_string_new (NULL);
  g_signal_connect (p.a, "state-changed", G_CALLBACK (note_state_cb), log);
  g_signal_connect (p.b, "state-changed", G_CALLBACK (note_state_cb), log);
  g_autofree char *reason = NULL;
  g_signal_connect (p.a, "peer-left", G_CALLBACK (keep_reason_cb), &reason);

  broken (&p);
  /* while away, the media keeps the call as it is */
  th_call_test_spin (800);
  g_assert_cmpint (tc_call_get_state (p.a), ==, TC_CALL_STATE_CONNECTED);
  guint64 a = th_call_test_frames (p.a), b = th_call_test_frames (p.b);
  th_call_relay_join (p.relay, p.b, "user-b", "Bob");
  TH_WAIT_FOR (th_call_test_stats (p.a).signaling_resumes == 1, 5);
  TH_WAIT_FOR (th_call_test_frames (p.a) > a + 20 && th_call_test_frames (p.b) > b + 20, 5);
  g_assert_cmpint (th_call_test_colour (p.a), ==, 'b');
  g_assert_cmpint (th_call_test_colour (p.b), ==, 'r');

  g_test_message ("states meanwhile: %s", log->str);
  g_assert_cmpstr (log->str, ==, "");
  g_assert_null (reason);
  g_assert_cmpuint (th_call_relay_count (p.relay, "offer"), ==, offers);
  g_assert_cmpuint (th_call_test_stats (p.a).peer_connections, ==, 1);
  g_assert_cmpuint (th_call_test_stats (p.b).peer_connections, ==, 1);
  g_assert_cmpstr (tc_call_get_peer_id (p.a), ==, "user-b");
  g_assert_cmpstr (tc_call_get_peer_id (p.b), ==, "user-a");

  /* and the signaling works again: a hangup arrives */
  g_signal_connect (p.b, "peer-left", G_CALLBACK (keep_reason_cb), &reason);
  tc_call_hangup (p.a);
  th_call_relay_leave (p.relay, p.a, "hangup");
  TH_WAIT_FOR (reason != NULL && tc_call_get_state (p.b) == TC_CALL_STATE_WAITING, 5);
  g_assert_cmpstr (reason, ==, "hangup");
  pair_end (&p);
}

static void
b_drops (Pair *p)
{
  th_call_relay_leave (p->relay, p->b, "dropped");
}

static void
server_restarts (Pair *p)
{
  th_call_relay_leave (p->relay, p->a, NULL);
  th_call_relay_leave (p->relay, p->b, NULL);
  /* a is back first and finds nobody */
  th_call_relay_join (p->relay, p->a, "user-a", "Alice");
}

/* b's link to signald breaks and comes back: the media never stops. */
static void
test_signaling_drop (void)
{
  signaling_break (b_drops);
}

/* signald restarts: both come back, the media never stops. */
static void
test_signaling_restart (void)
{
  signaling_break (server_restarts);
}

/* b drops and a new b (a new process) joins at once, before a noticed
 * that the old one's media stopped: a offers it a fresh connection. */
static void
test_rejoin_at_once (void)
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'b', TIMEOUT_S);
  th_call_relay_leave (p.relay, p.b, "dropped");
  g_clear_object (&p.b);
  p.b = make_call ("test:green", "test", TRUE, NULL);
  th_call_relay_join (p.relay, p.b, "user-b", "Bob");
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'g' && th_call_test_colour (p.b) == 'r', TIMEOUT_S);
  g_assert_cmpuint (th_call_test_stats (p.a).peer_connections, ==, 2);
  g_assert_cmpuint (th_call_test_stats (p.a).signaling_resumes, ==, 0);
  pair_end (&p);
}

/* A restart (new ICE and DTLS on both sides) keeps the call going. */
static void
test_restart (void)
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_frames (p.b) >= 5, TIMEOUT_S);
  guint offers = th_call_relay_count (p.relay, "offer");
  tc_call_restart_ice (p.a);
  g_assert_cmpint (tc_call_get_state (p.a), ==, TC_CALL_STATE_RECONNECTING);
  TH_WAIT_FOR (tc_call_get_state (p.a) == TC_CALL_STATE_CONNECTED &&
            tc_call_get_state (p.b) == TC_CALL_STATE_CONNECTED, TIMEOUT_S);
  g_assert_cmpuint (th_call_relay_count (p.relay, "offer"), ==, offers + 1);
  guint64 a = th_call_test_frames (p.a), b = th_call_test_frames (p.b);
  TH_WAIT_FOR (th_call_test_frames (p.a) > a + 10 && th_call_test_frames (p.b) > b + 10, TIMEOUT_S);
  g_assert_cmpint (th_call_test_colour (p.a), ==, 'b');
  pair_end (&p);
}

/* The polite side restarts (its network changed, the other's did not):
 * its offer with new ICE credentials makes the other side follow. */
static void
test_restart_polite (void)
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_frames (p.b) >= 5, TIMEOUT_S);
  tc_call_restart_ice (p.b);
  TH_WAIT_FOR (tc_call_get_state (p.a) == TC_CALL_STATE_CONNECTED &&
            tc_call_get_state (p.b) == TC_CALL_STATE_CONNECTED, TIMEOUT_S);
  guint64 a = th_call_test_frames (p.a), b = th_call_test_frames (p.b);
  TH_WAIT_FOR (th_call_test_frames (p.a) > a + 10 && th_call_test_frames (p.b) > b + 10, TIMEOUT_S);
  TcCallStats stats;
  tc_call_get_stats (p.a, &stats);
  g_assert_cmpuint (stats.ice_restarts, ==, 1);   /* followed */
  tc_call_get_stats (p.b, &stats);
  g_assert_cmpuint (stats.ice_restarts, ==, 1);   /* made */
  g_assert_cmpint (th_call_test_colour (p.a), ==, 'b');
  pair_end (&p);
}

/* Both sides restart at the same moment (both saw their network change):
 * the restart offers cross, the polite side answers the other's on a
 * fresh connection, whether its own offer is still being made or already
 * set. */
static void
test_restart_both (void)
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  for (guint round = 0; round < 2; round++)
    {
      TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_frames (p.b) >= 5, TIMEOUT_S);
      /* round 0: each offer arrives while the other is being made;
       * round 1: the relay holds them until both are set */
      if (round == 1)
        th_call_relay_hold (p.relay, TRUE);
      guint offers = th_call_relay_count (p.relay, "offer");
      tc_call_restart_ice (p.a);
      tc_call_restart_ice (p.b);
      if (round == 1)
        {
          TH_WAIT_FOR (th_call_relay_count (p.relay, "offer") == offers + 2, TIMEOUT_S);
          th_call_relay_hold (p.relay, FALSE);
        }
      TH_WAIT_FOR (tc_call_get_state (p.a) == TC_CALL_STATE_CONNECTED &&
                tc_call_get_state (p.b) == TC_CALL_STATE_CONNECTED, TIMEOUT_S);
      guint64 a = th_call_test_frames (p.a), b = th_call_test_frames (p.b);
      TH_WAIT_FOR (th_call_test_frames (p.a) > a + 10 && th_call_test_frames (p.b) > b + 10, TIMEOUT_S);
    }
  g_assert_cmpint (th_call_test_colour (p.a), ==, 'b');
  g_assert_cmpint (th_call_test_colour (p.b), ==, 'r');
  pair_end (&p);
}

/* H.264 when the side that offers prefers it and both have it: the other
 * side starts with VP8 and switches its encoder to what the answer chose. */
static void
test_h264 (void)
{
  Pair p = { 0 };

  pair_connect (&p, "test:red", "test:blue", "h264,vp8", NULL);
  TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_frames (p.b) >= 5, TIMEOUT_S);
  TH_WAIT_FOR (th_call_test_colour (p.a) == 'b' && th_call_test_colour (p.b) == 'r', 5);
  /* the decoders are H.264 ones */
  gboolean h264 = FALSE;
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (tc_call_get_pipeline (p.a)));
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
    {
      GstElementFactory *f = gst_element_get_factory (g_value_get_object (&v));
      h264 |= f != NULL && g_str_equal (GST_OBJECT_NAME (f), "rtph264depay");
      g_value_reset (&v);
    }
  g_value_unset (&v);
  g_assert_true (h264);
  pair_end (&p);
}

typedef struct {
  gint64 seek_at;
  gint64 seek_ns;
  gint64 stroke_at;
  JsonNode *stroke;
  double rate;
  int steps;
  char *video_id;
  gint64 play_ns;
} Review;

static void
on_seek (TcReviewSync *sync, gint64 ns, Review *r)
{
  r->seek_at = g_get_monotonic_time ();
  r->seek_ns = ns;
}

static void
on_stroke (TcReviewSync *sync, JsonNode *drawing, Review *r)
{
  r->stroke_at = g_get_monotonic_time ();
  g_clear_pointer (&r->stroke, json_node_unref);
  r->stroke = json_node_copy (drawing);
}

static void
on_rate (TcReviewSync *sync, double rate, Review *r)
{
  r->rate = rate;
}

static void
on_step (TcReviewSync *sync, int frames_, Review *r)
{
  r->steps += frames_;
}

static void
on_open_video (TcReviewSync *sync, const char *id, Review *r)
{
  g_free (r->video_id);
  r->video_id = g_strdup (id);
}

static void
on_play (TcReviewSync *sync, gint64 ns, Review *r)
{
  r->play_ns = ns;
}

/* Review together: a seek and a stroke on one side arrive on the other
 * within 100 ms; the other messages arrive too, in order. */
static void
test_review (void)
{
  Pair p = { 0 };
  Review r = { .play_ns = -1 };
  g_autoptr(GError) error = NULL;

  pair_connect (&p, "test", "test", NULL, NULL);
  TcReviewSync *sa = tc_call_get_review (p.a);
  TcReviewSync *sb = tc_call_get_review (p.b);
  TH_WAIT_FOR (tc_review_sync_is_open (sa) && tc_review_sync_is_open (sb), TIMEOUT_S);
  g_signal_connect (sb, "seek", G_CALLBACK (on_seek), &r);
  g_signal_connect (sb, "stroke", G_CALLBACK (on_stroke), &r);
  g_signal_connect (sb, "rate", G_CALLBACK (on_rate), &r);
  g_signal_connect (sb, "frame-step", G_CALLBACK (on_step), &r);
  g_signal_connect (sb, "open-video", G_CALLBACK (on_open_video), &r);
  g_signal_connect (sb, "play", G_CALLBACK (on_play), &r);

  tc_review_sync_open_video (sa, "0b7e4a4e-8f4c-4b8e-9a53-2f1c33f1d001");
  TH_WAIT_FOR (r.video_id != NULL, 5);
  g_assert_cmpstr (r.video_id, ==, "0b7e4a4e-8f4c-4b8e-9a53-2f1c33f1d001");

  gint64 sent = g_get_monotonic_time ();
  tc_review_sync_seek (sa, G_GINT64_CONSTANT (12345678901));
  TH_WAIT_FOR (r.seek_at != 0, 5);
  g_test_message ("seek arrived after %.1f ms", (r.seek_at - sent) / 1000.0);
  g_assert_cmpint (r.seek_at - sent, <, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (r.seek_ns, ==, G_GINT64_CONSTANT (12345678901));

  g_autoptr(JsonNode) drawing = json_from_string (
    "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[0.1,0.2],[0.3,0.4],[0.5,0.45]],\"color\":\"#ff0000\",\"width\":0.01}]}",
    &error);
  g_assert_no_error (error);
  sent = g_get_monotonic_time ();
  g_assert_true (tc_review_sync_stroke (sa, drawing, &error));
  g_assert_no_error (error);
  TH_WAIT_FOR (r.stroke_at != 0, 5);
  g_test_message ("stroke arrived after %.1f ms", (r.stroke_at - sent) / 1000.0);
  g_assert_cmpint (r.stroke_at - sent, <, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (json_node_equal (r.stroke, drawing));

  tc_review_sync_set_rate (sa, 0.5);
  tc_review_sync_frame_step (sa, 1);
  tc_review_sync_frame_step (sa, 1);
  tc_review_sync_frame_step (sa, -1);
  tc_review_sync_play (sa, 42);
  TH_WAIT_FOR (r.play_ns == 42, 5);
  g_assert_cmpfloat (r.rate, ==, 0.5);
  g_assert_cmpint (r.steps, ==, 1);

  /* not a drawing */
  g_autoptr(JsonNode) bad = json_from_string ("{\"lines\":[]}", NULL);
  g_assert_false (tc_review_sync_stroke (sa, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_clear_pointer (&r.stroke, json_node_unref);
  g_free (r.video_id);
  pair_end (&p);
}

/* Messages from the channel are checked before they reach the player. */
static void
test_review_parse (void)
{
  static const char *const bad[] = {
    "", "[]", "{}", "{\"type\":\"dance\"}", "{\"type\":\"seek\"}", "{\"type\":\"seek\",\"position_ns\":-1}",
    "{\"type\":\"seek\",\"position_ns\":\"5\"}", "{\"type\":\"seek\",\"position_ns\":1.5}",
    "{\"type\":\"rate\",\"rate\":0}", "{\"type\":\"rate\",\"rate\":100}", "{\"type\":\"frame-step\",\"frames\":0}",
    "{\"type\":\"frame-step\",\"frames\":5000}", "{\"type\":\"stroke\",\"drawing\":{}}",
    "{\"type\":\"open-video\",\"video_id\":\"\"}", "{\"type\":\"open-video\"}",
  };
  static const char *const good[] = {
    "{\"type\":\"seek\",\"position_ns\":0}", "{\"type\":\"pause\",\"position_ns\":9007199254740992}",
    "{\"type\":\"rate\",\"rate\":2}", "{\"type\":\"frame-step\",\"frames\":-3}", "{\"type\":\"close-video\"}",
    "{\"type\":\"stroke\",\"drawing\":{\"shapes\":[]}}", "{\"type\":\"clear-drawing\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) o = NULL;
      g_assert_null (tc_review_sync_parse (bad[i], &o, &error));
      g_assert_nonnull (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) o = NULL;
      g_assert_nonnull (tc_review_sync_parse (good[i], &o, &error));
      g_assert_no_error (error);
    }
}

/* What the call received, recorded without re-encoding, plays back: a
 * Matroska file with a video and an audio track. */
static void
test_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-call-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "call.mkv", NULL);
  ThCallRelay *relay = th_call_relay_new ();
  TcCallOptions options = {
    .video = "test:red", .audio = "test", .width = 320, .height = 240, .loopback_only = TRUE,
    .record_path = path,
  };
  g_autoptr(TcCall) a = tc_call_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (tc_call_start (a, &error));
  g_autoptr(TcCall) b = make_call ("test:blue", "test", TRUE, NULL);
  th_call_relay_join (relay, a, "user-a", "Alice");
  TH_WAIT_FOR (tc_call_get_state (a) == TC_CALL_STATE_WAITING, TIMEOUT_S);
  th_call_relay_join (relay, b, "user-b", "Bob");
  TH_WAIT_FOR (th_call_test_frames (a) >= 30 && audio_buffers (a) >= 50, TIMEOUT_S);
  tc_call_hangup (a);
  th_call_relay_leave (relay, a, "hangup");

  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (5 * GST_SECOND, &error);
  g_assert_no_error (error);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  GList *video = gst_discoverer_info_get_video_streams (info);
  GList *audio = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (video), ==, 1);
  g_assert_cmpuint (g_list_length (audio), ==, 1);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), >, 300 * GST_MSECOND);
  gst_discoverer_stream_info_list_free (video);
  gst_discoverer_stream_info_list_free (audio);

  th_call_relay_leave (relay, b, "left");
  th_call_relay_free (relay);
  g_unlink (path);
  g_rmdir (dir);
}


/* Muting: the camera's picture stops and comes back (with a key frame),
 * and the peer hears of both mutes through "media". */
static void
test_mute (void)
{
  Pair p = { 0 };
  gboolean audio = TRUE, video = TRUE;

  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_frames (p.b) >= 10, TIMEOUT_S);
  tc_call_set_video_muted (p.a, TRUE);
  tc_call_set_audio_muted (p.a, TRUE);
  TH_WAIT_FOR ((tc_call_get_peer_media (p.b, &audio, &video, NULL), !audio && !video), 5);
  th_call_test_spin (300);
  guint64 stopped = th_call_test_frames (p.b);
  th_call_test_spin (500);
  g_assert_cmpuint (th_call_test_frames (p.b), <=, stopped + 1);

  tc_call_set_video_muted (p.a, FALSE);
  tc_call_set_audio_muted (p.a, FALSE);
  TH_WAIT_FOR ((tc_call_get_peer_media (p.b, &audio, &video, NULL), audio && video), 5);
  TH_WAIT_FOR (th_call_test_frames (p.b) > stopped + 10, 5);
  pair_end (&p);
}

/* A video file as the camera: decoded, paced to the clock, sent. */
static void
test_file_source (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-call-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "red.webm", NULL);
  g_autofree char *description = g_strdup_printf (
    "videotestsrc pattern=red num-buffers=150 ! video/x-raw,width=320,height=240,framerate=30/1 ! "
    "vp8enc deadline=1 ! webmmux ! filesink location=\"%s\"", path);
  g_autoptr(GstElement) maker = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_element_set_state (maker, GST_STATE_PLAYING);
  g_autoptr(GstBus) bus = gst_element_get_bus (maker);
  g_autoptr(GstMessage) done = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (done);
  g_assert_cmpint (GST_MESSAGE_TYPE (done), ==, GST_MESSAGE_EOS);
  gst_element_set_state (maker, GST_STATE_NULL);

  g_autofree char *spec = g_strconcat ("file:", path, NULL);
  Pair p = { 0 };
  pair_connect (&p, spec, "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_frames (p.b) >= 10 && th_call_test_colour (p.b) == 'r', TIMEOUT_S);
  /* paced: about 30 frames a second, not the whole file at once */
  guint64 before = th_call_test_frames (p.b);
  th_call_test_spin (1000);
  guint64 per_second = th_call_test_frames (p.b) - before;
  g_test_message ("%" G_GUINT64_FORMAT " frames in a second", per_second);
  g_assert_cmpuint (per_second, >=, 10);
  g_assert_cmpuint (per_second, <=, 45);
  pair_end (&p);
  g_unlink (path);
  g_rmdir (dir);
}

/* Source specs that cannot work are refused when the call is made. */
static void
test_bad_sources (void)
{
  static const char *const video[] = { "test:plaid", "webcam", "camera:/dev/no-such-camera", "/no/such/file.webm" };
  for (guint i = 0; i < G_N_ELEMENTS (video); i++)
    {
      g_autoptr(GError) error = NULL;
      TcCallOptions options = { .video = video[i], .loopback_only = TRUE };
      g_autoptr(TcCall) call = tc_call_new (&options, &error);
      if (call != NULL)
        {
          /* a missing file shows when the pipeline starts */
          g_assert_cmpstr (video[i], ==, "/no/such/file.webm");
          continue;
        }
      g_assert_nonnull (error);
      g_test_message ("%s: %s", video[i], error->message);
    }
  static const char *const audio[] = { "test:5", "test:abc", "speaker" };
  for (guint i = 0; i < G_N_ELEMENTS (audio); i++)
    {
      g_autoptr(GError) error = NULL;
      TcCallOptions options = { .audio = audio[i], .loopback_only = TRUE };
      g_autoptr(TcCall) call = tc_call_new (&options, &error);
      g_assert_null (call);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

static GHashTable *alive_elements;   /* GObject * → its name */

static void
element_gone (gpointer data, GObject *where)
{
  g_hash_table_remove (alive_elements, where);
}

static void
watch_element (GObject *object)
{
  g_object_weak_ref (object, element_gone, NULL);
  g_hash_table_insert (alive_elements, object, g_strdup_printf ("%s (%s)", GST_OBJECT_NAME (object), G_OBJECT_TYPE_NAME (object)));
}

/* When the engines go, every element they made goes with them: webrtcbin
 * and everything inside, sources, encoders, decoders, sinks. */
static void
test_teardown (void)
{
  Pair p = { 0 };

  alive_elements = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  pair_connect (&p, "test:red", "test:blue", NULL, NULL);
  TH_WAIT_FOR (th_call_test_frames (p.a) >= 5 && th_call_test_frames (p.b) >= 5, TIMEOUT_S);
  guint local_frames = 0;
  tc_call_set_frame_func (p.a, TC_CALL_VIDEO_LOCAL, count_frame_cb, &local_frames, NULL);
  TH_WAIT_FOR (g_atomic_int_get (&local_frames) >= 3, 5);
  for (guint i = 0; i < 2; i++)
    {
      GstElement *pipeline = tc_call_get_pipeline (i == 0 ? p.a : p.b);
      g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (pipeline));
      GValue v = G_VALUE_INIT;
      while (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
        {
          watch_element (g_value_get_object (&v));
          g_value_reset (&v);
        }
      g_value_unset (&v);
      watch_element (G_OBJECT (pipeline));
    }
  guint total = g_hash_table_size (alive_elements);
  g_test_message ("%u elements", total);
  g_assert_cmpuint (total, >, 40);

  pair_end (&p);
  gint64 end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (g_hash_table_size (alive_elements) > 0 && g_get_monotonic_time () < end)
    th_call_test_spin (10);
  GHashTableIter iter;
  gpointer name;
  g_hash_table_iter_init (&iter, alive_elements);
  while (g_hash_table_iter_next (&iter, NULL, &name))
    g_printerr ("still alive: %s\n", (char *) name);
  g_assert_cmpuint (g_hash_table_size (alive_elements), ==, 0);
  g_clear_pointer (&alive_elements, g_hash_table_unref);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call/basic", test_basic);
  g_test_add_func ("/call/camera-later", test_camera_later);
  g_test_add_func ("/call/glare", test_glare);
  g_test_add_func ("/call/mute", test_mute);
  g_test_add_func ("/call/rejoin", test_rejoin);
  g_test_add_func ("/call/signaling-drop", test_signaling_drop);
  g_test_add_func ("/call/signaling-restart", test_signaling_restart);
  g_test_add_func ("/call/rejoin-at-once", test_rejoin_at_once);
  g_test_add_func ("/call/restart", test_restart);
  g_test_add_func ("/call/restart-polite", test_restart_polite);
  g_test_add_func ("/call/restart-both", test_restart_both);
  g_test_add_func ("/call/h264", test_h264);
  g_test_add_func ("/call/review", test_review);
  g_test_add_func ("/call/review-parse", test_review_parse);
  g_test_add_func ("/call/record", test_record);
  g_test_add_func ("/call/file-source", test_file_source);
  g_test_add_func ("/call/bad-sources", test_bad_sources);
  g_test_add_func ("/call/teardown", test_teardown);
  return g_test_run ();
}
