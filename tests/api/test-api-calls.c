/* test-api-calls.c — 1-on-1 calls against a real signald: who may connect
 * to a booking's call and when (…/connect), and the /ws signaling
 * WebSocket with real SoupSession WebSocket clients: the upgrade's token
 * check, welcome and presence, offer/answer/candidates/media relayed with
 * "from", leave, hangup, a dropped peer rejoining, a newer socket replacing
 * an older one, the size, rate and idle limits, two peers on different
 * worker threads, and the upgrade's request log line.
 *
 * Bookings are written with SQL through the server's own database (the
 * booking routes belong to the coaching family).  Runs on SQLite and
 * PostgreSQL. */
#include "th-server.h"

#include "rtc/sd-call-hub.h"
#include "store/sd-db.h"
#include "tandem-signal.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static ThServer *ts;

#define STUN_URL "stun:stun.example.org:3478"
#define TURN_URL "turn:turn.example.org:3478?transport=udp"
#define TURN_SECRET "test-turn-secret"
#define WINDOW_S 600

static void
tweak (SdConfig *config,
       gpointer  data)
{
  g_strfreev (config->stun_urls);
  config->stun_urls = g_strsplit (STUN_URL, ",", -1);
  g_strfreev (config->turn_urls);
  config->turn_urls = g_strsplit (TURN_URL, ",", -1);
  g_free (config->turn_secret);
  config->turn_secret = g_strdup (TURN_SECRET);
  config->connect_window_s = WINDOW_S;
  if (data != NULL)
    config->call_idle_timeout_s = GPOINTER_TO_INT (data);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- database ---- */

static void
db_exec (ThServer   *s,
         const char *org_id,
         const char *sql,
         const char *fmt,
         ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (s->server), &error);
  g_assert_no_error (error);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org_id, &error));
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = sd_db_query_va (conn, &error, sql, fmt, args);
  va_end (args);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

/* ---- an organization with a group: its expert, a student, another
 * student of the group and the admin ---- */

typedef struct {
  ThServer *s;
  char *org_id;
  char *group_id;
  char *admin, *admin_id;
  char *expert, *expert_id;
  char *student, *student_id;
  char *other, *other_id;
} World;

static World *
world_new (ThServer   *s,
           const char *tag)
{
  World *w = g_new0 (World, 1);
  w->s = s;
  g_autofree char *e_admin = g_strdup_printf ("%s-admin@example.org", tag);
  g_autofree char *e_expert = g_strdup_printf ("%s-coach@example.org", tag);
  g_autofree char *e_student = g_strdup_printf ("%s-student@example.org", tag);
  g_autofree char *e_other = g_strdup_printf ("%s-other@example.org", tag);
  w->admin = th_register_admin (s, e_admin, tag, &w->admin_id);
  w->expert = th_add_user (s, w->admin, e_expert, "expert", &w->expert_id);
  w->student = th_add_user (s, w->admin, e_student, "student", &w->student_id);
  w->other = th_add_user (s, w->admin, e_other, "student", &w->other_id);

  g_autoptr(ThResponse) me = th_request (s, "GET", "/auth/me", w->admin, NULL);
  w->org_id = g_strdup (th_json_str (me, "organization_id"));
  g_assert_nonnull (w->org_id);
  g_autoptr(ThResponse) g = th_request (s, "POST", "/groups", w->expert, "{\"name\":\"Rowing\"}");
  g_assert_cmpuint (g->status, ==, 201);
  w->group_id = g_strdup (th_json_str (g, "id"));
  th_join_group (s, w->expert, w->group_id, e_student, w->student);
  th_join_group (s, w->expert, w->group_id, e_other, w->other);
  return w;
}

static void
world_free (World *w)
{
  g_free (w->org_id); g_free (w->group_id);
  g_free (w->admin); g_free (w->admin_id);
  g_free (w->expert); g_free (w->expert_id);
  g_free (w->student); g_free (w->student_id);
  g_free (w->other); g_free (w->other_id);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (World, world_free)

/* A booking of the world's expert with its student over [start, end);
 * bookings of one expert must not overlap. */
static char *
book (World      *w,
      gint64      start,
      gint64      end,
      const char *status)
{
  g_autofree char *type_id = g_uuid_string_random ();
  char *id = g_uuid_string_random ();
  gint64 now = now_s ();
  db_exec (w->s, w->org_id,
           "INSERT INTO coaching_session_types (id, org_id, group_id, expert_id, name, duration_minutes,"
           " created_at, updated_at) VALUES ($1, $2, $3, $4, 'Session', 30, $5, $5)",
           "ssssi", type_id, w->org_id, w->group_id, w->expert_id, now);
  db_exec (w->s, w->org_id,
           "INSERT INTO coaching_bookings (id, org_id, group_id, session_type_id, expert_id, student_id,"
           " start_at, end_at, block_start, block_end, status, created_at, updated_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, $10, $10)",
           "ssssssiisi", id, w->org_id, w->group_id, type_id, w->expert_id, w->student_id,
           start, end, status, now);
  return id;
}

static char *
connect_path (World      *w,
              const char *booking_id)
{
  return g_strdup_printf ("/groups/%s/coaching/bookings/%s/connect", w->group_id, booking_id);
}

static ThResponse *
connect_as (World      *w,
            const char *token,
            const char *booking_id)
{
  g_autofree char *path = connect_path (w, booking_id);
  return th_request (w->s, "GET", path, token, NULL);
}

/* The call token of @token's user for @booking_id (asserting 200). */
static char *
call_token (World      *w,
            const char *token,
            const char *booking_id)
{
  g_autoptr(ThResponse) r = connect_as (w, token, booking_id);
  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (th_json_str (r, "call_token"));
}

/* ---- WebSocket clients ---- */

typedef struct {
  SoupSession *session;
  SoupWebsocketConnection *conn;
  GQueue in;                 /* texts received */
  gboolean closed;
  gushort close_code;
  guint status;              /* the handshake's HTTP status */
  gboolean done;
  GError *error;
} Ws;

static gboolean
timeout_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default context until *@flag or @timeout_ms pass. */
static gboolean
wait_for (gboolean *flag,
          guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_flag, &timed_out);
  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 data)
{
  Ws *ws = data;
  g_queue_push_tail (&ws->in, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 data)
{
  Ws *ws = data;
  ws->closed = TRUE;
  ws->close_code = soup_websocket_connection_get_close_code (conn);
}

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Ws *ws = data;
  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
  if (ws->conn != NULL)
    {
      g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
    }
  ws->done = TRUE;
}

/* Opens /ws?token=@token on @s with a session of its own (a new TCP
 * connection, so a new pick of worker).  Returns the client whether or not
 * the handshake succeeded: ws->conn is NULL and ws->status set on refusal. */
static Ws *
ws_open (ThServer   *s,
         const char *token)
{
  Ws *ws = g_new0 (Ws, 1);
  g_queue_init (&ws->in);
  ws->session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autofree char *base = g_strdup (s->url + strlen ("http"));
  g_autofree char *uri = token != NULL ? g_strdup_printf ("ws%s/ws?token=%s", base, token)
                                       : g_strdup_printf ("ws%s/ws", base);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_assert_nonnull (msg);
  soup_session_websocket_connect_async (ws->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_ws_connected, ws);
  g_assert_true (wait_for (&ws->done, 10000));
  ws->status = soup_message_get_status (msg);
  return ws;
}

static void
ws_free (Ws *ws)
{
  if (ws->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (ws->conn, ws);
      if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&ws->conn);
    }
  g_queue_clear_full (&ws->in, g_free);
  g_clear_error (&ws->error);
  g_clear_object (&ws->session);
  g_free (ws);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ws, ws_free)

static void
ws_send (Ws         *ws,
         const char *text)
{
  g_assert_nonnull (ws->conn);
  soup_websocket_connection_send_text (ws->conn, text);
}

static void
ws_send_signal (Ws           *ws,
                TandemSignal *msg)
{
  g_autofree char *text = tandem_signal_to_json (msg);
  ws_send (ws, text);
  tandem_signal_free (msg);
}

/* The next message (parsed as a client parses it), within 5 s. */
static TandemSignal *
ws_next (Ws *ws)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_queue_is_empty (&ws->in) && !ws->closed && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_autofree char *text = g_queue_pop_head (&ws->in);
  if (text == NULL)
    g_error ("no message arrived (closed: %d, code %u)", ws->closed, ws->close_code);
  g_autoptr(GError) error = NULL;
  TandemSignal *msg = tandem_signal_parse (text, strlen (text), TANDEM_SIGNAL_FROM_SERVER, &error);
  if (msg == NULL)
    g_error ("the server sent “%s”, which a client refuses: %s", text, error->message);
  return msg;
}

static TandemSignal *
ws_expect (Ws               *ws,
           TandemSignalType  type)
{
  TandemSignal *msg = ws_next (ws);
  if (msg->type != type)
    {
      g_autofree char *text = tandem_signal_to_json (msg);
      g_error ("expected “%s”, got %s", tandem_signal_type_to_string (type), text);
    }
  return msg;
}

/* Nothing more arrives within @ms. */
static void
ws_expect_quiet (Ws    *ws,
                 guint  ms)
{
  gboolean flag = FALSE;
  wait_for (&flag, ms);
  if (!g_queue_is_empty (&ws->in))
    g_error ("unexpected message %s", (char *) g_queue_peek_head (&ws->in));
}

static void
ws_expect_closed (Ws      *ws,
                  gushort  code)
{
  g_assert_true (wait_for (&ws->closed, 5000));
  g_assert_cmpuint (ws->close_code, ==, code);
}

/* Round trip: ping gets pong (and proves everything sent before arrived). */
static void
ws_ping (Ws *ws)
{
  ws_send_signal (ws, tandem_signal_new (TANDEM_SIGNAL_PING));
  g_autoptr(TandemSignal) pong = ws_expect (ws, TANDEM_SIGNAL_PONG);
}

/* Both participants in the call: returns the expert's and the student's
 * sockets after their welcome and peer-joined. */
static void
join_both (World       *w,
           const char  *booking,
           Ws         **expert_out,
           Ws         **student_out)
{
  g_autofree char *te = call_token (w, w->expert, booking);
  g_autofree char *tst = call_token (w, w->student, booking);
  Ws *e = ws_open (w->s, te);
  g_assert_nonnull (e->conn);
  g_autoptr(TandemSignal) we = ws_expect (e, TANDEM_SIGNAL_WELCOME);
  Ws *st = ws_open (w->s, tst);
  g_assert_nonnull (st->conn);
  g_autoptr(TandemSignal) ws = ws_expect (st, TANDEM_SIGNAL_WELCOME);
  g_assert_true (ws->peer_present);
  g_autoptr(TandemSignal) joined = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  g_assert_cmpstr (joined->user_id, ==, w->student_id);
  *expert_out = e;
  *student_out = st;
}

/* ---- …/connect ---- */

static void
test_connect_permissions (void)
{
  g_autoptr(World) w = world_new (ts, "perm");
  g_autoptr(World) x = world_new (ts, "perm-x");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now + 60, now + 1800, "booked");

  /* The expert and the student: one call, two tokens, each other as peer. */
  g_autoptr(ThResponse) e = connect_as (w, w->expert, booking);
  g_assert_cmpuint (e->status, ==, 200);
  const char *call_id = th_json_str (e, "call_id");
  g_assert_true (g_uuid_string_is_valid (call_id));
  const char *token = th_json_str (e, "call_token");
  g_assert_true (g_str_has_prefix (token, "tdc_"));
  g_assert_cmpuint (strlen (token), ==, 4 + 43);    /* 256 bits, base64url */
  g_assert_cmpstr (th_json_str (e, "peer.user_id"), ==, w->student_id);
  g_assert_cmpstr (th_json_str (e, "peer.name"), ==, "student user");

  g_autoptr(ThResponse) s = connect_as (w, w->student, booking);
  g_assert_cmpuint (s->status, ==, 200);
  g_assert_cmpstr (th_json_str (s, "call_id"), ==, call_id);
  g_assert_cmpstr (th_json_str (s, "call_token"), !=, token);
  g_assert_cmpstr (th_json_str (s, "peer.user_id"), ==, w->expert_id);
  g_assert_cmpstr (th_json_str (s, "peer.name"), ==, "expert user");

  /* Again: the same call, a new token. */
  g_autoptr(ThResponse) again = connect_as (w, w->expert, booking);
  g_assert_cmpstr (th_json_str (again, "call_id"), ==, call_id);
  g_assert_cmpstr (th_json_str (again, "call_token"), !=, token);

  /* The token expires within 10 minutes. */
  g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 (th_json_str (e, "expires_at"), NULL);
  g_assert_nonnull (expires);
  gint64 exp = g_date_time_to_unix (expires);
  g_assert_cmpint (exp, >, now);
  g_assert_cmpint (exp, <=, now + 600 + 5);

  /* ICE servers: STUN as configured, TURN with coturn REST credentials
   * (EXPIRY:USER_ID, base64 HMAC-SHA1) that outlast the session. */
  g_assert_cmpuint (th_json_len (e, "ice_servers"), ==, 2);
  g_assert_cmpstr (th_json_str (e, "ice_servers.0.urls.0"), ==, STUN_URL);
  g_assert_null (th_json_at (e, "ice_servers.0.username"));
  g_assert_cmpstr (th_json_str (e, "ice_servers.1.urls.0"), ==, TURN_URL);
  const char *username = th_json_str (e, "ice_servers.1.username");
  g_autofree char *suffix = g_strconcat (":", w->expert_id, NULL);
  g_assert_true (g_str_has_suffix (username, suffix));
  gint64 turn_expiry = g_ascii_strtoll (username, NULL, 10);
  g_assert_cmpint (turn_expiry, >=, now + 1800);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) TURN_SECRET, strlen (TURN_SECRET));
  g_hmac_update (hmac, (const guchar *) username, -1);
  guint8 digest[20];
  gsize len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &len);
  g_autofree char *expected = g_base64_encode (digest, len);
  g_assert_cmpstr (th_json_str (e, "ice_servers.1.credential"), ==, expected);

  /* Everybody else: no such booking. */
  g_autoptr(ThResponse) other = connect_as (w, w->other, booking);
  g_assert_cmpuint (other->status, ==, 404);
  g_assert_cmpstr (th_json_str (other, "error.code"), ==, "not_found");
  g_autoptr(ThResponse) admin = connect_as (w, w->admin, booking);
  g_assert_cmpuint (admin->status, ==, 404);
  g_autoptr(ThResponse) foreign = connect_as (w, x->expert, booking);
  g_assert_cmpuint (foreign->status, ==, 404);
  g_autoptr(ThResponse) foreign_admin = connect_as (w, x->admin, booking);
  g_assert_cmpuint (foreign_admin->status, ==, 404);
  /* The right booking under another group, and an unknown booking. */
  g_autofree char *wrong_group = g_strdup_printf ("/groups/%s/coaching/bookings/%s/connect", x->group_id, booking);
  g_autoptr(ThResponse) wg = th_request (ts, "GET", wrong_group, w->expert, NULL);
  g_assert_cmpuint (wg->status, ==, 404);
  g_autofree char *unknown = g_uuid_string_random ();
  g_autoptr(ThResponse) nb = connect_as (w, w->expert, unknown);
  g_assert_cmpuint (nb->status, ==, 404);
  /* Signed out. */
  g_autoptr(ThResponse) anon = connect_as (w, NULL, booking);
  g_assert_cmpuint (anon->status, ==, 401);
}

static void
test_connect_cancelled (void)
{
  g_autoptr(World) w = world_new (ts, "cancel");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now + 60, now + 1800, "cancelled");
  g_autoptr(ThResponse) r = connect_as (w, w->student, booking);
  g_assert_cmpuint (r->status, ==, 409);
  g_assert_cmpstr (th_json_str (r, "error.code"), ==, "booking_cancelled");
}

/* Window [start - WINDOW_S, end): its edges, within a minute of now. */
static void
test_connect_window (void)
{
  g_autoptr(World) w = world_new (ts, "window");
  gint64 now = now_s ();
  /* Opens in 60 s, just open for 60 s, ended 61 s ago, ends in 60 s. */
  g_autofree char *early = book (w, now + WINDOW_S + 60, now + WINDOW_S + 120, "booked");
  g_autofree char *open = book (w, now + WINDOW_S - 60, now + WINDOW_S, "booked");
  g_autofree char *ended = book (w, now - 300, now - 61, "booked");
  g_autofree char *ending = book (w, now - 60, now + 60, "booked");

  g_autoptr(ThResponse) r1 = connect_as (w, w->student, early);
  g_assert_cmpuint (r1->status, ==, 409);
  g_assert_cmpstr (th_json_str (r1, "error.code"), ==, "outside_connect_window");
  g_autoptr(GDateTime) opens = g_date_time_new_from_iso8601 (th_json_str (r1, "error.details.opens_at"), NULL);
  g_assert_nonnull (opens);
  g_assert_cmpint (g_date_time_to_unix (opens), ==, now + 60);
  g_autoptr(GDateTime) closes = g_date_time_new_from_iso8601 (th_json_str (r1, "error.details.closes_at"), NULL);
  g_assert_cmpint (g_date_time_to_unix (closes), ==, now + WINDOW_S + 120);
  g_assert_nonnull (th_json_str (r1, "error.details.server_time"));
  g_assert_nonnull (strstr (th_json_str (r1, "error.message"), "opens"));

  g_autoptr(ThResponse) r2 = connect_as (w, w->student, open);
  g_assert_cmpuint (r2->status, ==, 200);

  g_autoptr(ThResponse) r3 = connect_as (w, w->expert, ended);
  g_assert_cmpuint (r3->status, ==, 409);
  g_assert_cmpstr (th_json_str (r3, "error.code"), ==, "outside_connect_window");
  g_assert_nonnull (strstr (th_json_str (r3, "error.message"), "ended"));

  /* A session about to end: its token stops 5 minutes after the end. */
  g_autoptr(ThResponse) r4 = connect_as (w, w->expert, ending);
  g_assert_cmpuint (r4->status, ==, 200);
  g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 (th_json_str (r4, "expires_at"), NULL);
  g_assert_cmpint (g_date_time_to_unix (expires), <=, now + 60 + 300);
  g_assert_cmpint (g_date_time_to_unix (expires), >=, now + 60 + 300 - 5);
}

/* A session booked and cancelled through the coaching routes (not SQL):
 * its call opens, and closes to new sockets once it is cancelled.  Own
 * server: no booking notice, a 20-minute window, so that the first slot
 * on the 15-minute grid is joinable now. */
static void
api_booking_tweak (SdConfig *config,
                   gpointer  data)
{
  tweak (config, NULL);
  config->min_booking_notice_s = 0;
  config->connect_window_s = 20 * 60;
}

static void
test_connect_api_booking (void)
{
  ThServer *s = th_server_start_full (api_booking_tweak, NULL);
  {
    g_autoptr(World) w = world_new (s, "api-booking");
    g_autofree char *types = g_strdup_printf ("/groups/%s/coaching/session-types", w->group_id);
    g_autoptr(ThResponse) type = th_request (s, "POST", types, w->expert,
                                             "{\"name\":\"Quick look\",\"duration_minutes\":15}");
    g_assert_cmpuint (type->status, ==, 201);
    g_autofree char *avail = g_strdup_printf ("/groups/%s/coaching/availability", w->group_id);
    GString *week = g_string_new ("{\"time_zone\":\"UTC\",\"windows\":[");
    for (int d = 0; d < 7; d++)
      g_string_append_printf (week, "%s{\"day_of_week\":%d,\"start\":\"00:00\",\"end\":\"24:00\"}",
                              d > 0 ? "," : "", d);
    g_string_append (week, "]}");
    g_autofree char *week_text = g_string_free (week, FALSE);
    g_autoptr(ThResponse) set = th_request (s, "PUT", avail, w->expert, week_text);
    g_assert_cmpuint (set->status, ==, 200);

    /* The first slot on the 15-minute grid after now. */
    gint64 now = now_s ();
    gint64 start = (now / 900 + 1) * 900;
    if (start - now < 10)
      start += 900;
    g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (start);
    g_autofree char *start_text = g_date_time_format_iso8601 (t);
    g_autofree char *bookings = g_strdup_printf ("/groups/%s/coaching/bookings", w->group_id);
    g_autoptr(ThResponse) booked = th_requestf (s, "POST", bookings, w->student,
                                                "{\"session_type_id\":\"%s\",\"start\":\"%s\"}",
                                                th_json_str (type, "id"), start_text);
    g_assert_cmpuint (booked->status, ==, 201);
    const char *booking = th_json_str (booked, "id");

    g_autoptr(ThResponse) ce = connect_as (w, w->expert, booking);
    g_assert_cmpuint (ce->status, ==, 200);
    g_autoptr(ThResponse) cs = connect_as (w, w->student, booking);
    g_assert_cmpuint (cs->status, ==, 200);
    g_assert_cmpstr (th_json_str (ce, "call_id"), ==, th_json_str (cs, "call_id"));
    {
      g_autoptr(Ws) e = ws_open (s, th_json_str (ce, "call_token"));
      g_autoptr(TandemSignal) we = ws_expect (e, TANDEM_SIGNAL_WELCOME);
      g_assert_cmpstr (we->peer_user_id, ==, w->student_id);
    }

    /* The expert cancels: no connect, no new socket with the old token. */
    g_autofree char *cancel = g_strdup_printf ("/groups/%s/coaching/bookings/%s/cancel", w->group_id, booking);
    g_autoptr(ThResponse) cancelled = th_request (s, "POST", cancel, w->expert, "{\"reason\":\"ill\"}");
    g_assert_cmpuint (cancelled->status, ==, 200);
    g_autoptr(ThResponse) again = connect_as (w, w->student, booking);
    g_assert_cmpuint (again->status, ==, 409);
    g_assert_cmpstr (th_json_str (again, "error.code"), ==, "booking_cancelled");
    g_autoptr(Ws) late = ws_open (s, th_json_str (cs, "call_token"));
    g_assert_null (late->conn);
    g_assert_cmpuint (late->status, ==, 401);
  }
  th_server_stop (s);
}

/* ---- /ws ---- */

static void
test_ws_refused (void)
{
  g_autoptr(World) w = world_new (ts, "refused");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");

  g_autoptr(Ws) none = ws_open (ts, NULL);
  g_assert_null (none->conn);
  g_assert_cmpuint (none->status, ==, 401);

  g_autoptr(Ws) wrong = ws_open (ts, "tdc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_assert_null (wrong->conn);
  g_assert_cmpuint (wrong->status, ==, 401);

  /* A session token is no call token. */
  g_autoptr(Ws) session = ws_open (ts, w->expert);
  g_assert_cmpuint (session->status, ==, 401);

  /* Expired. */
  g_autofree char *token = call_token (w, w->expert, booking);
  db_exec (ts, w->org_id, "UPDATE call_tokens SET expires_at = $1 WHERE user_id = $2", "is", now - 1, w->expert_id);
  g_autoptr(Ws) expired = ws_open (ts, token);
  g_assert_null (expired->conn);
  g_assert_cmpuint (expired->status, ==, 401);

  /* The session was cancelled after the token was made. */
  g_autofree char *token2 = call_token (w, w->student, booking);
  db_exec (ts, w->org_id, "UPDATE coaching_bookings SET status = 'cancelled' WHERE id = $1", "s", booking);
  g_autoptr(Ws) cancelled = ws_open (ts, token2);
  g_assert_null (cancelled->conn);
  g_assert_cmpuint (cancelled->status, ==, 401);

  /* A plain GET (no Upgrade) with a valid token is no WebSocket. */
  db_exec (ts, w->org_id, "UPDATE coaching_bookings SET status = 'booked' WHERE id = $1", "s", booking);
  g_autofree char *token3 = call_token (w, w->student, booking);
  g_autofree char *plain = g_strdup_printf ("/ws?token=%s", token3);
  g_autoptr(ThResponse) r = th_request (ts, "GET", plain, NULL, NULL);
  g_assert_cmpuint (r->status, ==, 400);
  g_autoptr(ThResponse) post = th_request (ts, "POST", plain, NULL, "{}");
  g_assert_true (post->status == 405 || post->status == 413);

  /* A third user of the organization holding a token row for this call
   * (no route makes one) is still refused: tokens open only the
   * booking's two participants' seats. */
  g_autoptr(ThResponse) c = connect_as (w, w->expert, booking);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "tdc_intruder", -1);
  db_exec (ts, w->org_id,
           "INSERT INTO call_tokens (token_hash, org_id, call_id, user_id, expires_at, created_at)"
           " VALUES ($1, $2, $3, $4, $5, $6)",
           "ssssii", hash, w->org_id, th_json_str (c, "call_id"), w->other_id, now + 600, now);
  g_autoptr(Ws) intruder = ws_open (ts, "tdc_intruder");
  g_assert_null (intruder->conn);
  g_assert_cmpuint (intruder->status, ==, 401);
}

static void
test_ws_relay (void)
{
  g_autoptr(World) w = world_new (ts, "relay");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
  g_autoptr(ThResponse) ce = connect_as (w, w->expert, booking);
  g_autofree char *call_id = g_strdup (th_json_str (ce, "call_id"));
  g_autofree char *te = g_strdup (th_json_str (ce, "call_token"));
  g_autofree char *tst = call_token (w, w->student, booking);

  /* The expert comes first: alone. */
  g_autoptr(Ws) e = ws_open (ts, te);
  g_assert_nonnull (e->conn);
  g_assert_cmpuint (e->status, ==, 101);
  g_autoptr(TandemSignal) we = ws_expect (e, TANDEM_SIGNAL_WELCOME);
  g_assert_cmpstr (we->call_id, ==, call_id);
  g_assert_cmpstr (we->user_id, ==, w->expert_id);
  g_assert_false (we->peer_present);
  g_assert_cmpstr (we->peer_user_id, ==, w->student_id);
  g_assert_cmpstr (we->peer_name, ==, "student user");

  /* Before the student is there, what the expert sends goes nowhere. */
  ws_send_signal (e, tandem_signal_new_media (TRUE, TRUE, FALSE));
  ws_ping (e);

  /* The student joins: welcome with the expert present, peer-joined. */
  g_autoptr(Ws) s = ws_open (ts, tst);
  g_assert_nonnull (s->conn);
  g_autoptr(TandemSignal) ws = ws_expect (s, TANDEM_SIGNAL_WELCOME);
  g_assert_true (ws->peer_present);
  g_assert_cmpstr (ws->user_id, ==, w->student_id);
  g_assert_cmpstr (ws->peer_user_id, ==, w->expert_id);
  g_assert_cmpstr (ws->peer_name, ==, "expert user");
  g_autoptr(TandemSignal) joined = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  g_assert_cmpstr (joined->user_id, ==, w->student_id);
  g_assert_cmpstr (joined->name, ==, "student user");
  ws_expect_quiet (s, 100);

  /* Offer, answer, trickled candidates and end of candidates, media:
   * each arrives with "from" set to the sender, whatever it claimed. */
  const char *offer_sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
  ws_send (e, "{\"type\":\"offer\",\"from\":\"someone-else\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"
              "s=-\\r\\nt=0 0\\r\\nm=video 9 UDP/TLS/RTP/SAVPF 96\\r\\n\",\"extra\":[1,2]}");
  g_autoptr(TandemSignal) offer = ws_expect (s, TANDEM_SIGNAL_OFFER);
  g_assert_cmpstr (offer->from, ==, w->expert_id);
  g_assert_cmpstr (offer->sdp, ==, offer_sdp);

  ws_send_signal (s, tandem_signal_new_sdp (TANDEM_SIGNAL_ANSWER, "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n"));
  g_autoptr(TandemSignal) answer = ws_expect (e, TANDEM_SIGNAL_ANSWER);
  g_assert_cmpstr (answer->from, ==, w->student_id);
  g_assert_cmpstr (answer->sdp, ==, "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n");

  const char *cands[] = { "candidate:1 1 UDP 2015363327 127.0.0.1 40001 typ host",
                          "candidate:2 1 TCP 1015021823 127.0.0.1 9 typ host tcptype active", "" };
  for (guint i = 0; i < G_N_ELEMENTS (cands); i++)
    {
      ws_send_signal (e, tandem_signal_new_candidate (0, cands[i]));
      ws_send_signal (s, tandem_signal_new_candidate (1, cands[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (cands); i++)
    {
      g_autoptr(TandemSignal) at_s = ws_expect (s, TANDEM_SIGNAL_CANDIDATE);
      g_assert_cmpstr (at_s->from, ==, w->expert_id);
      g_assert_cmpuint (at_s->sdp_mline_index, ==, 0);
      g_assert_cmpstr (at_s->candidate, ==, cands[i]);
      g_autoptr(TandemSignal) at_e = ws_expect (e, TANDEM_SIGNAL_CANDIDATE);
      g_assert_cmpstr (at_e->from, ==, w->student_id);
      g_assert_cmpuint (at_e->sdp_mline_index, ==, 1);
      g_assert_cmpstr (at_e->candidate, ==, cands[i]);
    }

  ws_send_signal (s, tandem_signal_new_media (TRUE, FALSE, TRUE));
  g_autoptr(TandemSignal) media = ws_expect (e, TANDEM_SIGNAL_MEDIA);
  g_assert_cmpstr (media->from, ==, w->student_id);
  g_assert_true (media->audio);
  g_assert_false (media->video);
  g_assert_true (media->screen);

  /* Bad messages get an error and nothing else; the socket stays. */
  struct { const char *text; const char *code; } bad[] = {
    { "not json", "invalid_message" },
    { "{\"type\":\"join\"}", "unknown_type" },
    { "{\"type\":\"welcome\",\"call_id\":\"c\",\"user_id\":\"u\",\"peer_present\":true,"
      "\"peer\":{\"user_id\":\"p\",\"name\":\"n\"}}", "not_allowed" },
    { "{\"type\":\"candidate\",\"sdp_mline_index\":0,\"candidate\":\"candidate:1\\r\\na=x\"}", "invalid_message" },
    { "{\"type\":\"ping\",\"x\":[[[[[1]]]]]}", "message_too_large" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ws_send (s, bad[i].text);
      g_autoptr(TandemSignal) err = ws_expect (s, TANDEM_SIGNAL_ERROR_MSG);
      g_assert_cmpstr (err->code, ==, bad[i].code);
    }
  ws_ping (s);
  ws_expect_quiet (e, 100);

  /* The room is one of the hub's while anybody is in it. */
  g_assert_cmpuint (sd_call_hub_n_rooms (sd_server_get_call_hub (ts->server)), >=, 1);
}

static void
test_ws_leave_and_hangup (void)
{
  g_autoptr(World) w = world_new (ts, "hangup");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
  Ws *e0 = NULL, *s0 = NULL;
  join_both (w, booking, &e0, &s0);
  g_autoptr(Ws) e = e0, s = s0;

  /* The student leaves: the expert hears peer-left (left). */
  ws_send_signal (s, tandem_signal_new (TANDEM_SIGNAL_LEAVE));
  ws_expect_closed (s, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_autoptr(TandemSignal) left = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpstr (left->user_id, ==, w->student_id);
  g_assert_cmpint (left->reason, ==, TANDEM_SIGNAL_REASON_LEFT);

  /* And comes back with the same token (still valid). */
  g_autofree char *tst = call_token (w, w->student, booking);
  g_autoptr(Ws) s2 = ws_open (ts, tst);
  g_autoptr(TandemSignal) welcome = ws_expect (s2, TANDEM_SIGNAL_WELCOME);
  g_assert_true (welcome->peer_present);
  g_autoptr(TandemSignal) joined = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);

  /* The expert hangs up: the student gets the hangup, then peer-left. */
  ws_send_signal (e, tandem_signal_new (TANDEM_SIGNAL_HANGUP));
  ws_expect_closed (e, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_autoptr(TandemSignal) hangup = ws_expect (s2, TANDEM_SIGNAL_HANGUP);
  g_assert_cmpstr (hangup->from, ==, w->expert_id);
  g_autoptr(TandemSignal) gone = ws_expect (s2, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpstr (gone->user_id, ==, w->expert_id);
  g_assert_cmpint (gone->reason, ==, TANDEM_SIGNAL_REASON_HANGUP);
  ws_send_signal (s2, tandem_signal_new (TANDEM_SIGNAL_HANGUP));
  ws_expect_closed (s2, SOUP_WEBSOCKET_CLOSE_NORMAL);
}

static void
test_ws_drop_and_rejoin (void)
{
  g_autoptr(World) w = world_new (ts, "drop");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
  Ws *e0 = NULL, *s0 = NULL;
  join_both (w, booking, &e0, &s0);
  g_autoptr(Ws) e = e0;

  /* The student's connection dies without a word (the TCP stream goes). */
  GIOStream *stream = soup_websocket_connection_get_io_stream (s0->conn);
  g_io_stream_close (stream, NULL, NULL);
  g_autoptr(TandemSignal) dropped = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpstr (dropped->user_id, ==, w->student_id);
  g_assert_cmpint (dropped->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);
  ws_free (s0);

  /* It rejoins: welcome with the expert present; the expert hears
   * peer-joined (and would now make a fresh offer). */
  g_autofree char *tst = call_token (w, w->student, booking);
  g_autoptr(Ws) s = ws_open (ts, tst);
  g_autoptr(TandemSignal) welcome = ws_expect (s, TANDEM_SIGNAL_WELCOME);
  g_assert_true (welcome->peer_present);
  g_autoptr(TandemSignal) joined = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  g_assert_cmpstr (joined->user_id, ==, w->student_id);
  ws_send_signal (e, tandem_signal_new_sdp (TANDEM_SIGNAL_OFFER, "v=0\r\n"));
  g_autoptr(TandemSignal) offer = ws_expect (s, TANDEM_SIGNAL_OFFER);

  /* A second socket of the student (a reconnect before the old one was
   * noticed dead) replaces the first: closed with 4001; the expert hears
   * peer-left (dropped), then peer-joined. */
  g_autoptr(Ws) s2 = ws_open (ts, tst);
  g_autoptr(TandemSignal) welcome2 = ws_expect (s2, TANDEM_SIGNAL_WELCOME);
  g_assert_true (welcome2->peer_present);
  ws_expect_closed (s, SD_CALL_CLOSE_REPLACED);
  g_autoptr(TandemSignal) left2 = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpint (left2->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);
  g_autoptr(TandemSignal) joined2 = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  ws_send_signal (s2, tandem_signal_new_sdp (TANDEM_SIGNAL_ANSWER, "v=0\r\n"));
  g_autoptr(TandemSignal) answer = ws_expect (e, TANDEM_SIGNAL_ANSWER);
  g_assert_cmpstr (answer->from, ==, w->student_id);

  /* The expert drops too, cleanly closed without leave: dropped. */
  soup_websocket_connection_close (e->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_autoptr(TandemSignal) left3 = ws_expect (s2, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpint (left3->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);
}

static void
test_ws_limits (void)
{
  g_autoptr(World) w = world_new (ts, "limits");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
  g_autofree char *te = call_token (w, w->expert, booking);
  g_autofree char *tst = call_token (w, w->student, booking);

  /* Over 64 KiB: closed by the server with 1009; the peer hears dropped. */
  g_autoptr(Ws) e = ws_open (ts, te);
  g_autoptr(TandemSignal) we = ws_expect (e, TANDEM_SIGNAL_WELCOME);
  g_autoptr(Ws) big = ws_open (ts, tst);
  g_autoptr(TandemSignal) wb = ws_expect (big, TANDEM_SIGNAL_WELCOME);
  g_autoptr(TandemSignal) j1 = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  g_autoptr(GString) huge = g_string_new ("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n");
  while (huge->len < 70 * 1024)
    g_string_append (huge, "a=x-padding:0123456789abcdef\\r\\n");
  g_string_append (huge, "\"}");
  ws_send (big, huge->str);
  g_autoptr(TandemSignal) too_large = ws_expect (big, TANDEM_SIGNAL_ERROR_MSG);
  g_assert_cmpstr (too_large->code, ==, "message_too_large");
  ws_expect_closed (big, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_autoptr(TandemSignal) l1 = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpint (l1->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);
  g_assert_true (e->conn != NULL && !e->closed);

  /* Exactly 64 KiB is fine (an error for the made-up type, no close). */
  g_autoptr(Ws) edge = ws_open (ts, tst);
  g_autoptr(TandemSignal) wedge = ws_expect (edge, TANDEM_SIGNAL_WELCOME);
  g_autoptr(TandemSignal) j0 = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  g_autoptr(GString) exact = g_string_new ("{\"type\":\"x\",\"pad\":\"");
  while (exact->len < TANDEM_SIGNAL_MAX_BYTES - 2)
    g_string_append_c (exact, 'a');
  g_string_append (exact, "\"}");
  g_assert_cmpuint (exact->len, ==, TANDEM_SIGNAL_MAX_BYTES);
  ws_send (edge, exact->str);
  g_autoptr(TandemSignal) unknown = ws_expect (edge, TANDEM_SIGNAL_ERROR_MSG);
  g_assert_cmpstr (unknown->code, ==, "unknown_type");
  ws_ping (edge);

  /* A frame past libsoup's valve: the connection is cut. */
  g_string_set_size (huge, 0);
  g_string_append (huge, "{\"type\":\"ping\",\"pad\":\"");
  while (huge->len < 200 * 1024)
    g_string_append (huge, "0123456789abcdef");
  g_string_append (huge, "\"}");
  ws_send (edge, huge->str);
  g_assert_true (wait_for (&edge->closed, 5000));
  g_assert_cmpuint (edge->close_code, !=, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_autoptr(TandemSignal) l0 = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpint (l0->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);

  /* A binary frame: 1003. */
  g_autoptr(Ws) bin = ws_open (ts, tst);
  g_autoptr(TandemSignal) wbin = ws_expect (bin, TANDEM_SIGNAL_WELCOME);
  g_autoptr(TandemSignal) j2 = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  soup_websocket_connection_send_binary (bin->conn, "\x01\x02", 2);
  ws_expect_closed (bin, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA);
  g_autoptr(TandemSignal) l2 = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);

  /* A burst over the limit: pongs, then rate_limited, then 1008. */
  g_autoptr(Ws) fast = ws_open (ts, tst);
  g_autoptr(TandemSignal) wf = ws_expect (fast, TANDEM_SIGNAL_WELCOME);
  g_autoptr(TandemSignal) j3 = ws_expect (e, TANDEM_SIGNAL_PEER_JOINED);
  for (guint i = 0; i < 3 * 50; i++)
    ws_send (fast, "{\"type\":\"ping\"}");
  guint pongs = 0;
  for (;;)
    {
      g_autoptr(TandemSignal) m = ws_next (fast);
      if (m->type == TANDEM_SIGNAL_PONG)
        {
          pongs++;
          continue;
        }
      g_assert_cmpint (m->type, ==, TANDEM_SIGNAL_ERROR_MSG);
      g_assert_cmpstr (m->code, ==, "rate_limited");
      break;
    }
  g_assert_cmpuint (pongs, >=, 50);
  g_assert_cmpuint (pongs, <, 3 * 50);
  ws_expect_closed (fast, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_autoptr(TandemSignal) l3 = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);

  /* A steady pace under the limit is fine. */
  g_autoptr(Ws) calm = ws_open (ts, tst);
  g_autoptr(TandemSignal) wc = ws_expect (calm, TANDEM_SIGNAL_WELCOME);
  for (guint i = 0; i < 60; i++)
    {
      ws_ping (calm);
      g_usleep (25 * 1000);
    }
  g_assert_false (calm->closed);
}

/* No message for the idle timeout: the server closes the socket (1001)
 * and the other side hears dropped; pings keep a socket open. */
static void
test_ws_idle (void)
{
  ThServer *idle = th_server_start_full (tweak, GINT_TO_POINTER (1));
  g_autoptr(World) w = world_new (idle, "idle");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
  {
    Ws *e0 = NULL, *s0 = NULL;
    join_both (w, booking, &e0, &s0);
    g_autoptr(Ws) e = e0, s = s0;

    /* The expert pings every 250 ms for 2.5 s; the student says nothing.
     * The expert's pongs and the news of the student's drop may come in
     * either order. */
    g_autoptr(TandemSignal) left = NULL;
    for (guint i = 0; i < 10 && left == NULL; i++)
      {
        ws_send_signal (e, tandem_signal_new (TANDEM_SIGNAL_PING));
        TandemSignal *m = ws_next (e);
        if (m->type == TANDEM_SIGNAL_PONG)
          tandem_signal_free (m);
        else
          left = m;
        gboolean flag = FALSE;
        wait_for (&flag, 250);
      }
    g_assert_true (wait_for (&s->closed, 3000));
    g_assert_cmpuint (s->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
    while (left == NULL)
      {
        TandemSignal *m = ws_next (e);
        if (m->type == TANDEM_SIGNAL_PONG)
          tandem_signal_free (m);
        else
          left = m;
      }
    g_assert_cmpint (left->type, ==, TANDEM_SIGNAL_PEER_LEFT);
    g_assert_cmpint (left->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);
    g_assert_false (e->closed);
  }
  g_clear_pointer (&w, world_free);
  th_server_stop (idle);
}

/* The two participants on different worker threads (SO_REUSEPORT spreads
 * connections by their ports, so reconnect until they are), exchanging
 * offer, answer and candidates. */
static void
test_ws_workers (void)
{
  g_autoptr(World) w = world_new (ts, "workers");
  gint64 now = now_s ();
  g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
  g_autoptr(ThResponse) ce = connect_as (w, w->expert, booking);
  const char *call_id = th_json_str (ce, "call_id");
  g_autofree char *tst = call_token (w, w->student, booking);
  SdCallHub *hub = sd_server_get_call_hub (ts->server);

  g_autoptr(Ws) e = ws_open (ts, th_json_str (ce, "call_token"));
  g_autoptr(TandemSignal) we = ws_expect (e, TANDEM_SIGNAL_WELCOME);
  Ws *s = NULL;
  for (guint attempt = 0; attempt < 40; attempt++)
    {
      g_clear_pointer (&s, ws_free);
      s = ws_open (ts, tst);
      g_autoptr(TandemSignal) welcome = ws_expect (s, TANDEM_SIGNAL_WELCOME);
      if (sd_call_hub_n_contexts (hub, call_id) == 2)
        break;
    }
  g_assert_cmpuint (sd_call_hub_n_contexts (hub, call_id), ==, 2);
  /* The expert's queue holds the presence changes of the reconnects, then
   * the pong: skip to it. */
  ws_send_signal (e, tandem_signal_new (TANDEM_SIGNAL_PING));
  for (;;)
    {
      g_autoptr(TandemSignal) m = ws_next (e);
      if (m->type == TANDEM_SIGNAL_PONG)
        break;
      g_assert_true (m->type == TANDEM_SIGNAL_PEER_LEFT || m->type == TANDEM_SIGNAL_PEER_JOINED);
    }

  for (guint round = 0; round < 20; round++)
    {
      ws_send_signal (e, tandem_signal_new_sdp (TANDEM_SIGNAL_OFFER, "v=0\r\no=- 7 7 IN IP4 0.0.0.0\r\n"));
      ws_send_signal (e, tandem_signal_new_candidate (0, "candidate:1 1 UDP 1 127.0.0.1 5000 typ host"));
      g_autoptr(TandemSignal) offer = ws_expect (s, TANDEM_SIGNAL_OFFER);
      g_assert_cmpstr (offer->from, ==, w->expert_id);
      g_autoptr(TandemSignal) cand = ws_expect (s, TANDEM_SIGNAL_CANDIDATE);
      ws_send_signal (s, tandem_signal_new_sdp (TANDEM_SIGNAL_ANSWER, "v=0\r\no=- 8 8 IN IP4 0.0.0.0\r\n"));
      g_autoptr(TandemSignal) answer = ws_expect (e, TANDEM_SIGNAL_ANSWER);
      g_assert_cmpstr (answer->from, ==, w->student_id);
    }
  ws_send_signal (s, tandem_signal_new (TANDEM_SIGNAL_HANGUP));
  g_autoptr(TandemSignal) hangup = ws_expect (e, TANDEM_SIGNAL_HANGUP);
  g_autoptr(TandemSignal) left = ws_expect (e, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpint (left->reason, ==, TANDEM_SIGNAL_REASON_HANGUP);
  ws_free (s);
}

/* The upgrade writes one request log line: 101, the user, no token; a
 * refused one its status.  The server logs to fd 1, caught in a file. */
static void
log_tweak (SdConfig *config,
           gpointer  data)
{
  tweak (config, NULL);
  config->log_requests = TRUE;
}

static void
test_ws_log_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("tandem-ws-log-XXXXXX", &path, &error);
  g_assert_no_error (error);
  fflush (stdout);
  int saved = dup (STDOUT_FILENO);
  g_assert_cmpint (dup2 (fd, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (fd);

  ThServer *s = th_server_start_full (log_tweak, NULL);
  g_autofree char *user_id = NULL, *token = NULL;
  {
    g_autoptr(World) w = world_new (s, "log");
    gint64 now = now_s ();
    g_autofree char *booking = book (w, now - 60, now + 1800, "booked");
    token = call_token (w, w->student, booking);
    user_id = g_strdup (w->student_id);
    g_autoptr(Ws) ok = ws_open (s, token);
    g_autoptr(TandemSignal) welcome = ws_expect (ok, TANDEM_SIGNAL_WELCOME);
    g_autoptr(Ws) refused = ws_open (s, "tdc_wrong");
    g_assert_cmpuint (refused->status, ==, 401);
  }
  th_server_stop (s);

  fflush (stdout);
  g_assert_cmpint (dup2 (saved, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (saved);

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_unlink (path);
  g_assert_null (strstr (text, token));
  g_assert_null (strstr (text, "tdc_"));
  guint saw_101 = 0, saw_401 = 0;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "\"path\":\"/ws\"") == NULL)
        continue;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      gint64 status = json_object_get_int_member (o, "status");
      g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "GET");
      if (status == 101)
        {
          saw_101++;
          g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, user_id);
        }
      else if (status == 401)
        saw_401++;
    }
  /* One line per upgrade, whichever way it went. */
  g_assert_cmpuint (saw_101, ==, 1);
  g_assert_cmpuint (saw_401, ==, 1);
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start_full (tweak, NULL);
  g_test_add_func ("/Calls/connect/permissions", test_connect_permissions);
  g_test_add_func ("/Calls/connect/cancelled", test_connect_cancelled);
  g_test_add_func ("/Calls/connect/window", test_connect_window);
  g_test_add_func ("/Calls/connect/api-booking", test_connect_api_booking);
  g_test_add_func ("/Calls/ws/refused", test_ws_refused);
  g_test_add_func ("/Calls/ws/relay", test_ws_relay);
  g_test_add_func ("/Calls/ws/leave-and-hangup", test_ws_leave_and_hangup);
  g_test_add_func ("/Calls/ws/drop-and-rejoin", test_ws_drop_and_rejoin);
  g_test_add_func ("/Calls/ws/limits", test_ws_limits);
  g_test_add_func ("/Calls/ws/idle", test_ws_idle);
  g_test_add_func ("/Calls/ws/workers", test_ws_workers);
  g_test_add_func ("/Calls/ws/log-line", test_ws_log_line);
  int ret = g_test_run ();
  th_server_stop (ts);
  return ret;
}
