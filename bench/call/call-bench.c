/* call-bench.c — time from join to the first decoded remote frame, and the
 * CPU and memory a call costs, for the call engine and for the floor.
 *
 *   call-bench engines N   N calls between two TcCalls in this process,
 *                          joined through the in-memory relay
 *   call-bench floor N     N times two bare webrtcbins wired back to back
 *                          (offer, answer and candidates handed over in
 *                          code), same sources, encoders and jitterbuffer
 *
 * Each call: the first side starts and waits; "join" is the moment the
 * second side's engine is created; the figure is the time until the second
 * side decoded its first remote video frame ("newcomer"), and until both
 * sides had one ("both").  Then the call runs BENCH_HOLD_MS (1000) more to
 * measure CPU (user+system of this process, per second of call) and the
 * growth of RSS.  The DTLS certificate is made once before the first call
 * (as the engine does at start-up).
 *
 * Prints one line per call and a summary line:
 *   call I newcomer_ms both_ms cpu_percent rss_kib
 *   summary KIND n N newcomer_median M newcomer_p95 P both_median M both_p95 P cpu_percent C rss_kib R
 */
#include "th-call-relay.h"
#include "tc-call-cert.h"

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#define WIDTH 320
#define HEIGHT 240
#define LATENCY_MS 30

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long
rss_kib (void)
{
  long pages = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");
  if (f != NULL)
    {
      if (fscanf (f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
      fclose (f);
    }
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static void
spin_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = now_us () + (gint64) timeout_ms * 1000;
  while (!done (data) && now_us () < end)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* A timeout so that g_main_context_iteration (TRUE) wakes up. */
static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct {
  double newcomer_ms;
  double both_ms;
  double cpu_percent;
  long rss_kib;
} Result;

/* ---- engines ---- */

typedef struct {
  TcCall *a;
  TcCall *b;
  gint64 a_first;
  gint64 b_first;
} Engines;

static void
first_frame_cb (TcCall *call, gint64 ms, gint64 *when)
{
  *when = now_us ();
}

static gboolean
both_have_frames (gpointer data)
{
  Engines *e = data;
  return e->a_first > 0 && e->b_first > 0;
}

static gboolean
is_waiting (gpointer data)
{
  return tc_call_get_state (TC_CALL (data)) == TC_CALL_STATE_WAITING;
}

static TcCall *
new_engine (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  TcCallOptions options = {
    .video = pattern, .audio = "test", .width = WIDTH, .height = HEIGHT, .framerate = 30,
    .latency_ms = LATENCY_MS, .loopback_only = TRUE,
  };
  TcCall *call = tc_call_new (&options, &error);
  if (call == NULL || !tc_call_start (call, &error))
    g_error ("engine: %s", error->message);
  return call;
}

static gboolean
run_engines (Result *r)
{
  ThCallRelay *relay = th_call_relay_new ();
  Engines e = { 0 };

  long rss0 = rss_kib ();
  e.a = new_engine ("test:red");
  g_signal_connect (e.a, "first-remote-frame", G_CALLBACK (first_frame_cb), &e.a_first);
  th_call_relay_join (relay, e.a, "a", "A");
  spin_until (is_waiting, e.a, 5000);
  /* the first side has been in the call a moment when the other joins */
  spin_until (never, NULL, 300);

  gint64 join = now_us ();
  e.b = new_engine ("test:blue");
  g_signal_connect (e.b, "first-remote-frame", G_CALLBACK (first_frame_cb), &e.b_first);
  th_call_relay_join (relay, e.b, "b", "B");
  spin_until (both_have_frames, &e, 10000);
  gboolean ok = both_have_frames (&e);
  if (ok)
    {
      r->newcomer_ms = (e.b_first - join) / 1000.0;
      r->both_ms = (MAX (e.a_first, e.b_first) - join) / 1000.0;
      spin_until (never, NULL, 300);
      double cpu0 = cpu_seconds ();
      gint64 t0 = now_us ();
      spin_until (never, NULL, atoi (g_getenv ("BENCH_HOLD_MS") ? g_getenv ("BENCH_HOLD_MS") : "1000"));
      r->cpu_percent = (cpu_seconds () - cpu0) / ((now_us () - t0) / 1e6) * 100;
      r->rss_kib = rss_kib () - rss0;
    }
  tc_call_hangup (e.a);
  th_call_relay_leave (relay, e.a, "hangup");
  tc_call_stop (e.b);
  th_call_relay_leave (relay, e.b, "left");
  g_object_unref (e.a);
  g_object_unref (e.b);
  th_call_relay_free (relay);
  spin_until (never, NULL, 50);
  return ok;
}

/* ---- floor: two webrtcbins back to back ---- */

typedef struct {
  GstElement *pipeline;
  GstElement *w1, *w2;
  gint64 first[2];
} Floor;

static gboolean
floor_done (gpointer data)
{
  Floor *f = data;
  return f->first[0] > 0 && f->first[1] > 0;
}

static void
candidate_cb (GstElement *webrtc, guint mline, const char *candidate, GstElement *other)
{
  g_signal_emit_by_name (other, "add-ice-candidate", mline, candidate);
}

static GstPadProbeReturn
floor_frame_cb (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  gint64 *when = data;
  if (*when == 0)
    *when = now_us ();
  return GST_PAD_PROBE_REMOVE;
}

typedef struct {
  Floor *f;
  int side;
} FloorPad;

static void
floor_pad_added_cb (GstElement *webrtc, GstPad *pad, FloorPad *fp)
{
  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *media = gst_structure_get_string (gst_caps_get_structure (caps, 0), "media");
  const char *desc = g_str_equal (media, "video")
    ? "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec name=dec ! fakesink sync=false async=false"
    : "rtpopusdepay ! opusdec ! fakesink sync=false async=false";
  GstElement *bin = gst_parse_bin_from_description (desc, TRUE, NULL);
  gst_bin_add (GST_BIN (fp->f->pipeline), bin);
  gst_element_sync_state_with_parent (bin);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (bin, "sink");
  gst_pad_link (pad, sink);
  if (g_str_equal (media, "video"))
    {
      g_autoptr(GstElement) dec = gst_bin_get_by_name (GST_BIN (bin), "dec");
      g_autoptr(GstPad) src = gst_element_get_static_pad (dec, "src");
      gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, floor_frame_cb, &fp->f->first[fp->side], NULL);
    }
}

static void
answer_created_cb (GstPromise *promise, gpointer data)
{
  Floor *f = data;
  GstWebRTCSessionDescription *answer = NULL;
  gst_structure_get (gst_promise_get_reply (promise), "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL);
  gst_promise_unref (promise);
  g_signal_emit_by_name (f->w2, "set-local-description", answer, NULL);
  g_signal_emit_by_name (f->w1, "set-remote-description", answer, NULL);
  gst_webrtc_session_description_free (answer);
}

static void
offer_created_cb (GstPromise *promise, gpointer data)
{
  Floor *f = data;
  GstWebRTCSessionDescription *offer = NULL;
  gst_structure_get (gst_promise_get_reply (promise), "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL);
  gst_promise_unref (promise);
  g_signal_emit_by_name (f->w1, "set-local-description", offer, NULL);
  g_signal_emit_by_name (f->w2, "set-remote-description", offer, NULL);
  gst_webrtc_session_description_free (offer);
  g_signal_emit_by_name (f->w2, "create-answer", NULL, gst_promise_new_with_change_func (answer_created_cb, f, NULL));
}

static gboolean
run_floor (Result *r)
{
  static const char *const side =
    "videotestsrc is-live=true pattern=%s ! video/x-raw,width=%d,height=%d,framerate=30/1,format=I420 ! queue ! "
    "vp8enc deadline=1 cpu-used=8 target-bitrate=800000 lag-in-frames=0 keyframe-max-dist=3000 ! "
    "rtpvp8pay pt=96 mtu=1200 ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! %s. "
    "audiotestsrc is-live=true samplesperbuffer=480 ! audioconvert ! audioresample ! queue ! opusenc ! "
    "rtpopuspay pt=111 ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! %s. ";
  Floor f = { 0 };
  FloorPad p1 = { &f, 0 }, p2 = { &f, 1 };
  long rss0 = rss_kib ();

  gint64 join = now_us ();
  g_autofree char *s1 = g_strdup_printf (side, "red", WIDTH, HEIGHT, "w1", "w1");
  g_autofree char *s2 = g_strdup_printf (side, "blue", WIDTH, HEIGHT, "w2", "w2");
  g_autofree char *desc = g_strdup_printf ("webrtcbin name=w1 bundle-policy=max-bundle latency=%d "
                                           "webrtcbin name=w2 bundle-policy=max-bundle latency=%d %s %s",
                                           LATENCY_MS, LATENCY_MS, s1, s2);
  g_autoptr(GError) error = NULL;
  f.pipeline = gst_parse_launch (desc, &error);
  if (f.pipeline == NULL)
    g_error ("floor: %s", error->message);
  f.w1 = gst_bin_get_by_name (GST_BIN (f.pipeline), "w1");
  f.w2 = gst_bin_get_by_name (GST_BIN (f.pipeline), "w2");
  for (int i = 0; i < 2; i++)
    {
      GstElement *w = i == 0 ? f.w1 : f.w2;
      GObject *ice = NULL;
      gboolean ok;
      g_object_get (w, "ice-agent", &ice, NULL);
      g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
      g_object_set (ice, "ice-tcp", FALSE, NULL);
      GObject *agent = NULL;
      g_object_get (ice, "agent", &agent, NULL);
      g_object_set (agent, "upnp", FALSE, NULL);
      g_object_unref (agent);
      g_object_unref (ice);
    }
  g_signal_connect (f.w1, "on-ice-candidate", G_CALLBACK (candidate_cb), f.w2);
  g_signal_connect (f.w2, "on-ice-candidate", G_CALLBACK (candidate_cb), f.w1);
  g_signal_connect (f.w1, "pad-added", G_CALLBACK (floor_pad_added_cb), &p1);
  g_signal_connect (f.w2, "pad-added", G_CALLBACK (floor_pad_added_cb), &p2);
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  g_signal_emit_by_name (f.w1, "create-offer", NULL, gst_promise_new_with_change_func (offer_created_cb, &f, NULL));

  spin_until (floor_done, &f, 10000);
  gboolean ok = floor_done (&f);
  if (ok)
    {
      r->newcomer_ms = (f.first[1] - join) / 1000.0;
      r->both_ms = (MAX (f.first[0], f.first[1]) - join) / 1000.0;
      spin_until (never, NULL, 300);
      double cpu0 = cpu_seconds ();
      gint64 t0 = now_us ();
      spin_until (never, NULL, atoi (g_getenv ("BENCH_HOLD_MS") ? g_getenv ("BENCH_HOLD_MS") : "1000"));
      r->cpu_percent = (cpu_seconds () - cpu0) / ((now_us () - t0) / 1e6) * 100;
      r->rss_kib = rss_kib () - rss0;
    }
  gst_element_set_state (f.pipeline, GST_STATE_NULL);
  gst_object_unref (f.w1);
  gst_object_unref (f.w2);
  gst_object_unref (f.pipeline);
  return ok;
}

/* ---- main ---- */

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (double *v, guint n, double p)
{
  qsort (v, n, sizeof *v, compare);
  guint i = (guint) (p * (n - 1) + 0.5);
  return v[MIN (i, n - 1)];
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  if (argc < 3)
    {
      fprintf (stderr, "usage: call-bench engines|floor N\n");
      return 2;
    }
  const char *kind = argv[1];
  guint n = (guint) atoi (argv[2]);
  gboolean engines = g_str_equal (kind, "engines");
  if (!engines && !g_str_equal (kind, "floor"))
    return 2;

  g_timeout_add (10, tick_cb, NULL);
  tc_call_cert_wait (5000);

  g_autofree double *newcomer = g_new0 (double, n);
  g_autofree double *both = g_new0 (double, n);
  double cpu = 0, rss = 0;
  guint done = 0;
  for (guint i = 0; i < n; i++)
    {
      Result r = { 0 };
      if (!(engines ? run_engines (&r) : run_floor (&r)))
        {
          fprintf (stderr, "call %u: no remote frame within 10 s\n", i);
          continue;
        }
      printf ("call %u %.1f %.1f %.1f %ld\n", i, r.newcomer_ms, r.both_ms, r.cpu_percent, r.rss_kib);
      fflush (stdout);
      newcomer[done] = r.newcomer_ms;
      both[done] = r.both_ms;
      cpu += r.cpu_percent;
      rss += r.rss_kib;
      done++;
    }
  if (done == 0)
    return 1;
  double nm = percentile (newcomer, done, 0.5), np = percentile (newcomer, done, 0.95);
  double bm = percentile (both, done, 0.5), bp = percentile (both, done, 0.95);
  printf ("summary %s n %u newcomer_median %.1f newcomer_p95 %.1f both_median %.1f both_p95 %.1f "
          "cpu_percent %.1f rss_kib %.0f\n", kind, done, nm, np, bm, bp, cpu / done, rss / done);
  return done == n ? 0 : 1;
}
