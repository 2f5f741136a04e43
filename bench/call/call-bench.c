/* call-bench.c — time from join to the first decoded remote frame, and the
 * CPU and memory a call costs, for the call engine and for the floor.
 *
 *   call-bench engines N   N calls between two TcCalls in this process,
 *                          joined through the in-memory relay
 *   call-bench signald N   N calls between two TcCalls in this process
 *                          through a real signald started in-process
 *                          (GET …/connect, then /ws over loopback TCP)
 *   call-bench cli N       N calls between two tandem-cli processes (the
 *                          binary in $TANDEM_CLI) through that signald:
 *                          the figure is the newcomer's own
 *                          first_remote_frame_ms (from its join, in a cold
 *                          process: plugins load, the certificate is made
 *                          while it asks the server for the call token)
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
#ifdef CALL_BENCH_SIGNALD
#include "th-booking.h"
#include "th-server.h"
#endif

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include <stdio.h>
#include <string.h>
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


/* ---- engines through signald ---- */

#ifdef CALL_BENCH_SIGNALD
static ThServer *server;
static ThClub *club;
static char *booking;

static void
window_tweak (SdConfig *config,
              gpointer  data)
{
  config->connect_window_s = 3600;
}

typedef struct {
  TcCall *call;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  gboolean failed;
} Side;

static void
side_send_cb (TcCall *call, const char *text, Side *side)
{
  if (side->ws != NULL && soup_websocket_connection_get_state (side->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (side->ws, text);
}

static void
side_message_cb (SoupWebsocketConnection *ws, int type, GBytes *bytes, Side *side)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = g_strndup (data, size);
  tc_call_receive (side->call, text, NULL);
}

static void
side_ready_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Side *side = data;
  side->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  if (side->ws == NULL)
    {
      side->failed = TRUE;
      return;
    }
  g_signal_connect (side->ws, "message", G_CALLBACK (side_message_cb), side);
}

/* GET …/connect as @token, then the engine, then /ws (the join). */
static void
side_join (Side       *side,
           const char *token,
           const char *pattern)
{
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s/connect", club->group_id, booking);
  g_autoptr(ThResponse) r = th_request (server, "GET", path, token, NULL);
  if (r->status != 200)
    g_error ("connect: %u", r->status);
  side->call = new_engine (pattern);
  g_signal_connect (side->call, "send", G_CALLBACK (side_send_cb), side);
  side->session = soup_session_new ();
  g_autofree char *escaped = g_uri_escape_string (th_json_str (r, "call_token"), NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("ws%s/ws?token=%s", server->url + strlen ("http"), escaped);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (side->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, side_ready_cb, side);
}

static void
side_leave (Side *side)
{
  if (side->call != NULL)
    {
      tc_call_hangup (side->call);
      g_signal_handlers_disconnect_by_data (side->call, side);
    }
  if (side->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (side->ws, side);
      soup_websocket_connection_close (side->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&side->ws);
    }
  g_clear_object (&side->call);
  g_clear_object (&side->session);
}

static gboolean
run_signald (Result *r)
{
  Side a = { 0 }, b = { 0 };
  Engines e = { 0 };

  long rss0 = rss_kib ();
  side_join (&a, club->expert, "test:red");
  e.a = a.call;
  g_signal_connect (e.a, "first-remote-frame", G_CALLBACK (first_frame_cb), &e.a_first);
  spin_until (is_waiting, e.a, 5000);
  spin_until (never, NULL, 300);

  gint64 join = now_us ();
  side_join (&b, club->student, "test:blue");
  e.b = b.call;
  g_signal_connect (e.b, "first-remote-frame", G_CALLBACK (first_frame_cb), &e.b_first);
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
  side_leave (&b);
  side_leave (&a);
  spin_until (never, NULL, 100);
  return ok;
}

/* Two tandem-cli processes through the in-process signald. */
static GSubprocess *
spawn_cli (const char *token,
           const char *pattern,
           const char *duration,
           GError    **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_SERVER", server->url, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_TOKEN", token, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_NO_KEYRING", "1", TRUE);
  return g_subprocess_launcher_spawn (launcher, error, g_getenv ("TANDEM_CLI"), "--json", "call", booking,
                                      "--video", pattern, "--audio", "test", "--no-sound",
                                      "--duration", duration, NULL);
}

static double
cli_first_frame (GSubprocess *proc)
{
  g_autofree char *out = NULL;
  if (!g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, NULL))
    return -1;
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (out == NULL || !json_parser_load_from_data (parser, out, -1, NULL))
    return -1;
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  JsonNode *n = json_object_get_member (o, "first_remote_frame_ms");
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_double (n) : -1;
}

static gboolean
run_cli (Result *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) expert = spawn_cli (club->expert, "test:red", "8", &error);
  if (expert == NULL)
    g_error ("tandem-cli: %s", error->message);
  spin_until (never, NULL, 1500);   /* the expert is in and waits */
  g_autoptr(GSubprocess) student = spawn_cli (club->student, "test:blue", "3", &error);
  if (student == NULL)
    g_error ("tandem-cli: %s", error->message);
  r->newcomer_ms = cli_first_frame (student);
  /* the student hung up: the expert's call ends too */
  double expert_ms = cli_first_frame (expert);
  r->both_ms = r->newcomer_ms;
  r->cpu_percent = 0;
  r->rss_kib = 0;
  return r->newcomer_ms >= 0 && expert_ms >= 0;
}
#endif

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

/* One side of the floor: a test pattern and tone into webrtcbin @w. */
#define FLOOR_SIDE \
    "videotestsrc is-live=true pattern=%s ! video/x-raw,width=%d,height=%d,framerate=30/1,format=I420 ! queue ! " \
    "vp8enc deadline=1 cpu-used=8 target-bitrate=800000 lag-in-frames=0 keyframe-max-dist=3000 ! " \
    "rtpvp8pay pt=96 mtu=1200 ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! %s. " \
    "audiotestsrc is-live=true samplesperbuffer=480 ! audioconvert ! audioresample ! queue ! opusenc ! " \
    "rtpopuspay pt=111 ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! %s. "

static gboolean
run_floor (Result *r)
{
  Floor f = { 0 };
  FloorPad p1 = { &f, 0 }, p2 = { &f, 1 };
  long rss0 = rss_kib ();

  gint64 join = now_us ();
  g_autofree char *s1 = g_strdup_printf (FLOOR_SIDE, "red", WIDTH, HEIGHT, "w1", "w1");
  g_autofree char *s2 = g_strdup_printf (FLOOR_SIDE, "blue", WIDTH, HEIGHT, "w2", "w2");
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
  gboolean via_cli = g_str_equal (kind, "cli");
  gboolean via_signald = g_str_equal (kind, "signald") || via_cli;
  if (!engines && !via_signald && !g_str_equal (kind, "floor"))
    return 2;
  if (via_cli && g_getenv ("TANDEM_CLI") == NULL)
    {
      fprintf (stderr, "call-bench cli: set TANDEM_CLI to the tandem-cli binary\n");
      return 2;
    }
#ifdef CALL_BENCH_SIGNALD
  if (via_signald)
    {
      server = th_server_start_full (window_tweak, NULL);
      club = th_club_new (server, "bench");
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      booking = th_club_book (club, now - 60, now + 3600);
    }
#else
  if (via_signald)
    {
      fprintf (stderr, "call-bench was built without signald\n");
      return 2;
    }
#endif

  g_timeout_add (10, tick_cb, NULL);
  tc_call_cert_wait (5000);

  /* One call first that is not counted (unless BENCH_WARMUP=0): plugins
   * load and GStreamer's registry warms up once per process. */
  if (!via_cli && g_strcmp0 (g_getenv ("BENCH_WARMUP"), "0") != 0)
    {
      Result warm = { 0 };
#ifdef CALL_BENCH_SIGNALD
      if (via_signald)
        run_signald (&warm);
      else
#endif
      if (engines)
        run_engines (&warm);
      else
        run_floor (&warm);
    }

  g_autofree double *newcomer = g_new0 (double, n);
  g_autofree double *both = g_new0 (double, n);
  double cpu = 0, rss = 0;
  guint done = 0;
  for (guint i = 0; i < n; i++)
    {
      Result r = { 0 };
#ifdef CALL_BENCH_SIGNALD
      gboolean ok = engines ? run_engines (&r) : via_cli ? run_cli (&r) : via_signald ? run_signald (&r) : run_floor (&r);
#else
      gboolean ok = engines ? run_engines (&r) : run_floor (&r);
#endif
      if (!ok)
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
#ifdef CALL_BENCH_SIGNALD
  if (via_signald)
    {
      th_club_free (club);
      g_free (booking);
      th_server_stop (server);
    }
#endif
  printf ("summary %s n %u newcomer_median %.1f newcomer_p95 %.1f both_median %.1f both_p95 %.1f "
          "cpu_percent %.1f rss_kib %.0f\n", kind, done, nm, np, bm, bp, cpu / done, rss / done);
  return done == n ? 0 : 1;
}
