/* tc-cli-call.c — `tandem-cli call BOOKING`: joins the video call of a
 * booked session.  GET …/bookings/{id}/connect gives the call token and
 * the ICE servers; the call engine (client/core/tc-call.h) runs the media;
 * this file carries its signaling over the /ws WebSocket, prints the
 * connection's state and statistics, and ends on --duration, when the
 * other side hangs up, or on Ctrl-C (hanging up).
 *
 * With --json, stdout carries one object at the end: connected,
 * first_remote_frame_ms (from join), video_frames_received,
 * audio_buffers_received, rtt_ms, signaling_reconnects, and more (see
 * print_result()).
 * With --relay, media go only through the TURN relay of the connect
 * reply (none, or one that refuses us: the command fails at once).
 * Exit status: 0 when the call connected, 1 when it never did or was
 * refused, 3 when the server cannot be reached, 130 on Ctrl-C before it
 * connected. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include "tandem-signal.h"
#include "tc-call.h"
#include "tc-call-cert.h"

#include <glib-unix.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>
#include <signal.h>

#define PING_INTERVAL_S   15   /* signald closes a socket silent for 60 s */
#define STATS_INTERVAL_S  5
#define RECONNECT_DELAY_S 1

typedef struct {
  TcCli *cli;
  GMainLoop *loop;
  TcCall *call;
  char *group_id;
  char *booking_id;
  char *call_id;
  char *peer_id;
  char *peer_name;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  GCancellable *cancellable;
  guint ping_source;
  guint stats_source;
  guint reconnect_source;
  guint duration_source;
  gboolean ending;
  gboolean connected_once;
  gboolean interrupted;
  guint sockets_opened;        /* /ws links made; all but the first are reconnects */
  const char *ended_by;
  GError *error;               /* what ended the call, when it failed */
} CallRun;

/* ---- booking and connect ---- */

/* The booking @booking_id: in the group @group (id or name) when given,
 * else looked up in each of the caller's groups. */
static JsonNode *
find_booking (TcCli       *cli,
              const char  *group,
              const char  *booking_id,
              char       **group_id,
              GError     **error)
{
  if (!g_uuid_string_is_valid (booking_id))
    {
      tc_cli_set_usage_error (error, _("“%s” is not a booking id"), booking_id);
      return NULL;
    }
  if (group != NULL)
    {
      g_autofree char *gid = tc_cli_resolve_group (cli, group, error);
      if (gid == NULL)
        return NULL;
      g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s", gid, booking_id);
      JsonNode *booking = tc_cli_call (cli, "GET", path, NULL, error);
      if (booking != NULL)
        *group_id = g_steal_pointer (&gid);
      return booking;
    }

  g_autoptr(JsonNode) groups = tc_cli_call_list (cli, "/groups", error);
  if (groups == NULL)
    return NULL;
  JsonArray *items = json_object_get_array_member (tc_cli_obj (groups), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *gid = tc_cli_str (json_array_get_object_element (items, i), "id");
      if (gid == NULL)
        continue;
      g_autoptr(GError) local = NULL;
      g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s", gid, booking_id);
      JsonNode *booking = tc_cli_call (cli, "GET", path, NULL, &local);
      if (booking != NULL)
        {
          *group_id = g_strdup (gid);
          return booking;
        }
      if (!g_error_matches (local, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("no booking %s in any of your groups"), booking_id);
  return NULL;
}

/* Is the server on this machine?  Then ICE needs no more than 127.0.0.1. */
static gboolean
server_is_loopback (const char *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* ---- WebSocket ---- */

static void open_socket (CallRun *run);

static void
end_call (CallRun    *run,
          const char *why)
{
  if (run->ending)
    return;
  run->ending = TRUE;
  run->ended_by = why;
  g_main_loop_quit (run->loop);
}

static void
send_cb (TcCall     *call,
         const char *text,
         gpointer    user_data)
{
  CallRun *run = user_data;
  /* While the socket is down the message is lost; on the way back the
   * server's peer-joined or a fresh offer puts things right. */
  if (run->ws != NULL && soup_websocket_connection_get_state (run->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (run->ws, text);
}

static void
message_cb (SoupWebsocketConnection *ws,
            int                      type,
            GBytes                  *bytes,
            gpointer                 user_data)
{
  CallRun *run = user_data;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  g_autofree char *text = g_strndup (data, size);
  if (!tc_call_receive (run->call, text, &error))
    g_debug ("ignored a signaling message: %s", error->message);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  CallRun *run = user_data;
  run->reconnect_source = 0;
  open_socket (run);
  return G_SOURCE_REMOVE;
}

static void
closed_cb (SoupWebsocketConnection *ws,
           gpointer                 user_data)
{
  CallRun *run = user_data;
  gushort code = soup_websocket_connection_get_close_code (ws);

  g_clear_handle_id (&run->ping_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (ws, run);
  g_clear_object (&run->ws);
  if (run->ending)
    return;
  if (code == 4001)
    {
      /* the same account joined from somewhere else */
      g_set_error (&run->error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                   _("you joined this call from another place; this one leaves"));
      tc_call_stop (run->call);
      end_call (run, "replaced");
      return;
    }
  if (!run->cli->json)
    g_printerr (_("The link to the server broke; joining again…\n"));
  run->reconnect_source = g_timeout_add_seconds (RECONNECT_DELAY_S, reconnect_cb, run);
}

static gboolean
ping_cb (gpointer user_data)
{
  CallRun *run = user_data;
  g_autoptr(TandemSignal) ping = tandem_signal_new (TANDEM_SIGNAL_PING);
  g_autofree char *text = tandem_signal_to_json (ping);
  if (run->ws != NULL && soup_websocket_connection_get_state (run->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (run->ws, text);
  return G_SOURCE_CONTINUE;
}

static void
socket_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CallRun *run = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (ws == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (run->connected_once)
        {
          /* keep trying while the call lasts */
          run->reconnect_source = g_timeout_add_seconds (RECONNECT_DELAY_S, reconnect_cb, run);
          return;
        }
      g_set_error (&run->error, TANDEM_ERROR, TANDEM_ERROR_NETWORK,
                   _("could not open the call's signaling link: %s"), error->message);
      end_call (run, "error");
      return;
    }
  run->ws = ws;
  if (run->sockets_opened++ > 0 && !run->cli->json)
    g_printerr (_("The link to the server is back.\n"));
  g_object_set (ws, "max-incoming-payload-size", (guint64) TANDEM_SIGNAL_MAX_BYTES * 2, NULL);
  g_signal_connect (ws, "message", G_CALLBACK (message_cb), run);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), run);
  run->ping_source = g_timeout_add_seconds (PING_INTERVAL_S, ping_cb, run);
}

/* GET …/connect (a fresh call token each time), then /ws. */
static gboolean
fetch_token (CallRun  *run,
             JsonNode **reply,
             GError  **error)
{
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s/connect", run->group_id, run->booking_id);
  *reply = tc_cli_call (run->cli, "GET", path, NULL, error);
  return *reply != NULL;
}

static void
open_socket_with (CallRun    *run,
                  const char *token)
{
  TcSession *session = tc_cli_session (run->cli, NULL);
  g_autoptr(GUri) server = g_uri_parse (tc_session_get_server (session), G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *url = NULL;
  if (server != NULL)
    {
      /* the same host, port and base path, as ws: or wss: */
      const char *base = g_uri_get_path (server);
      g_autofree char *path = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", "ws", NULL);
      g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
      g_autofree char *query = g_strconcat ("token=", escaped, NULL);
      g_autoptr(GUri) ws = g_uri_build (G_URI_FLAGS_ENCODED,
                                        g_strcmp0 (g_uri_get_scheme (server), "https") == 0 ? "wss" : "ws",
                                        NULL, g_uri_get_host (server), g_uri_get_port (server), path, query, NULL);
      url = g_uri_to_string (ws);
    }
  g_autoptr(SoupMessage) msg = url != NULL ? soup_message_new ("GET", url) : NULL;
  if (msg == NULL)
    {
      g_set_error (&run->error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("the server address cannot carry a WebSocket"));
      end_call (run, "error");
      return;
    }
  soup_session_websocket_connect_async (run->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, run->cancellable,
                                        socket_ready_cb, run);
}

static void
open_socket (CallRun *run)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (run->ending)
    return;
  if (!fetch_token (run, &reply, &error))
    {
      /* out of the window, cancelled meanwhile: the call is over */
      g_propagate_error (&run->error, g_steal_pointer (&error));
      tc_call_stop (run->call);
      end_call (run, "error");
      return;
    }
  open_socket_with (run, tc_cli_str (tc_cli_obj (reply), "call_token"));
}

/* ---- what the user sees ---- */

static const char *
peer_label (CallRun *run)
{
  return run->peer_name != NULL ? run->peer_name : _("the other participant");
}

static void
state_cb (TcCall   *call,
          guint     state,
          gpointer  user_data)
{
  CallRun *run = user_data;

  if (state == TC_CALL_STATE_CONNECTED)
    run->connected_once = TRUE;
  if (run->cli->json || run->ending)
    return;
  g_autofree char *peer = tc_cli_printable (peer_label (run));
  switch (state)
    {
    case TC_CALL_STATE_WAITING:
      g_print (_("Waiting for %s to join…\n"), peer);
      break;
    case TC_CALL_STATE_CONNECTING:
      g_print (_("Connecting with %s…\n"), peer);
      break;
    case TC_CALL_STATE_CONNECTED:
      g_print (_("Connected with %s.\n"), peer);
      break;
    case TC_CALL_STATE_RECONNECTING:
      g_print (_("The connection was lost; reconnecting…\n"));
      break;
    default:
      break;
    }
}

static void
peer_changed_cb (TcCall   *call,
                 gpointer  user_data)
{
  CallRun *run = user_data;
  if (tc_call_get_peer_name (call) != NULL)
    {
      g_free (run->peer_name);
      run->peer_name = g_strdup (tc_call_get_peer_name (call));
    }
}

static void
peer_left_cb (TcCall     *call,
              const char *reason,
              gpointer    user_data)
{
  CallRun *run = user_data;
  g_autofree char *peer = tc_cli_printable (peer_label (run));

  if (g_strcmp0 (reason, "hangup") == 0)
    {
      if (!run->cli->json)
        g_print (_("%s hung up.\n"), peer);
      end_call (run, "peer-hangup");
      return;
    }
  if (!run->cli->json)
    g_print (g_strcmp0 (reason, "dropped") == 0 ? _("%s dropped out; waiting for them to come back…\n")
                                                 : _("%s left; waiting for them to come back…\n"), peer);
}

static void
first_frame_cb (TcCall   *call,
                gint64    ms,
                gpointer  user_data)
{
  CallRun *run = user_data;
  if (!run->cli->json)
    {
      g_autofree char *peer = tc_cli_printable (peer_label (run));
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, ms);
      /* TRANSLATORS: "First picture from Anna after 120 ms." */
      g_print (_("First picture from %s after %s ms.\n"), peer, after);
    }
}

static void
error_cb (TcCall       *call,
          const GError *error,
          gpointer      user_data)
{
  CallRun *run = user_data;

  /* forced through a relay that gave no address: it can never connect */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      g_clear_error (&run->error);
      run->error = g_error_copy (error);
      end_call (run, "error");
      return;
    }
  if (!run->cli->json)
    g_printerr (_("Call problem: %s\n"), error->message);
}

static void
stats_updated_cb (TcCall   *call,
                  gpointer  user_data)
{
  CallRun *run = user_data;
  TcCallStats s;

  if (run->cli->json || tc_call_get_state (call) != TC_CALL_STATE_CONNECTED)
    return;
  tc_call_get_stats (call, &s);
  g_autofree char *rtt = s.rtt_ms >= 0 ? g_strdup_printf ("%.1f ms", s.rtt_ms) : g_strdup ("–");
  if (s.bitrate_in_kbps < 0)
    return;   /* the first reading: bitrates need a second one */
  g_autofree char *lost = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (s.packets_lost, 0));
  g_autofree char *packets = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (s.packets_received, 0) + MAX (s.packets_lost, 0));
  g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, s.video_frames_received);
  g_autofree char *buffers = g_strdup_printf ("%" G_GUINT64_FORMAT, s.audio_buffers_received);
  if (s.local_candidate_type[0] == '\0')
    g_print (_("round trip %s · in %.0f kbit/s · out %.0f kbit/s · lost %s of %s packets · %s frames, %s sound buffers\n"),
             rtt, MAX (s.bitrate_in_kbps, 0), MAX (s.bitrate_out_kbps, 0), lost, packets, frames, buffers);
  else
    /* TRANSLATORS: the last two are ICE candidate types (host, srflx, prflx, relay), left as they are */
    g_print (_("round trip %s · in %.0f kbit/s · out %.0f kbit/s · lost %s of %s packets · %s frames, %s sound buffers · path %s ↔ %s\n"),
             rtt, MAX (s.bitrate_in_kbps, 0), MAX (s.bitrate_out_kbps, 0), lost, packets, frames, buffers,
             s.local_candidate_type, s.remote_candidate_type);
}

static gboolean
stats_cb (gpointer user_data)
{
  CallRun *run = user_data;
  tc_call_update_stats (run->call);
  return G_SOURCE_CONTINUE;
}

static gboolean
duration_cb (gpointer user_data)
{
  CallRun *run = user_data;
  run->duration_source = 0;
  end_call (run, "duration");
  return G_SOURCE_REMOVE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  CallRun *run = user_data;
  run->interrupted = TRUE;
  end_call (run, "interrupted");
  return G_SOURCE_CONTINUE;
}

/* The centre pixel of the last remote frame, to show what arrived. */
static JsonObject *
remote_video_json (TcCall *call)
{
  g_autoptr(GstSample) sample = tc_call_dup_last_frame (call, TC_CALL_VIDEO_REMOTE);
  GstVideoInfo info;
  GstMapInfo map;

  if (sample == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA ||
      !gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    return NULL;
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "width", GST_VIDEO_INFO_WIDTH (&info));
  json_object_set_int_member (o, "height", GST_VIDEO_INFO_HEIGHT (&info));
  const guint8 *p = map.data + (GST_VIDEO_INFO_HEIGHT (&info) / 2) * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) +
                    (GST_VIDEO_INFO_WIDTH (&info) / 2) * 4;
  JsonArray *rgb = json_array_new ();
  json_array_add_int_element (rgb, p[2]);
  json_array_add_int_element (rgb, p[1]);
  json_array_add_int_element (rgb, p[0]);
  json_object_set_array_member (o, "center_rgb", rgb);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  return o;
}

static void
print_result (CallRun    *run,
              const char *record)
{
  TcCallStats s;
  tc_call_get_stats (run->call, &s);

  if (!run->cli->json)
    {
      g_autofree char *peer = tc_cli_printable (peer_label (run));
      g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, s.video_frames_received);
      g_autofree char *buffers = g_strdup_printf ("%" G_GUINT64_FORMAT, s.audio_buffers_received);
      if (run->connected_once)
        g_print (_("Call with %s ended: %s frames and %s sound buffers received.\n"), peer, frames, buffers);
      if (record != NULL)
        g_print (_("What you received is in %s.\n"), record);
      return;
    }
  JsonObject *o = tc_call_stats_to_json (&s);
  json_object_set_boolean_member (o, "connected", run->connected_once);
  json_object_set_int_member (o, "signaling_reconnects", run->sockets_opened > 0 ? run->sockets_opened - 1 : 0);
  json_object_set_string_member (o, "booking_id", run->booking_id);
  json_object_set_string_member (o, "call_id", run->call_id);
  JsonObject *peer = json_object_new ();
  json_object_set_string_member (peer, "user_id", run->peer_id);
  json_object_set_string_member (peer, "name", run->peer_name);
  json_object_set_object_member (o, "peer", peer);
  JsonObject *video = remote_video_json (run->call);
  if (video != NULL)
    json_object_set_object_member (o, "remote_video", video);
  else
    json_object_set_null_member (o, "remote_video");
  json_object_set_string_member (o, "ended_by", run->ended_by);
  if (record != NULL)
    json_object_set_string_member (o, "recording", record);
  else
    json_object_set_null_member (o, "recording");
  tc_cli_print_object (run->cli, o);
}

/* ---- the command ---- */

static void
run_clear (CallRun *run)
{
  g_clear_handle_id (&run->ping_source, g_source_remove);
  g_clear_handle_id (&run->stats_source, g_source_remove);
  g_clear_handle_id (&run->reconnect_source, g_source_remove);
  g_clear_handle_id (&run->duration_source, g_source_remove);
  if (run->cancellable != NULL)
    g_cancellable_cancel (run->cancellable);
  if (run->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (run->ws, run);
      if (soup_websocket_connection_get_state (run->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (run->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&run->ws);
    }
  if (run->call != NULL)
    g_signal_handlers_disconnect_by_data (run->call, run);
  g_clear_object (&run->call);
  g_clear_object (&run->session);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_free (run->group_id);
  g_free (run->booking_id);
  g_free (run->call_id);
  g_free (run->peer_id);
  g_free (run->peer_name);
  g_clear_error (&run->error);
}

/* Lets the hangup and the close frame leave before the process ends. */
static void
flush_socket (CallRun *run)
{
  if (run->ws == NULL || soup_websocket_connection_get_state (run->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_close (run->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  gint64 end = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  while (run->ws != NULL && soup_websocket_connection_get_state (run->ws) != SOUP_WEBSOCKET_STATE_CLOSED &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Ends the command.  The certificate thread (tc-call-cert.c) may still be
 * at work when a call is refused early: exiting under it crashes in
 * OpenSSL's exit handlers, so let it finish first. */
static int
finish (CallRun *run,
        TcCli   *cli,
        GError  *error,
        int      status)
{
  run_clear (run);
  tc_call_cert_wait (5000);
  return error != NULL ? tc_cli_fail (cli, error) : status;
}

static int
cmd_call (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *group = NULL;
  g_autofree char *video = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *record = NULL;
  int duration = 0;
  gboolean no_sound = FALSE;
  gboolean relay = FALSE;
  const GOptionEntry entries[] = {
    { "group", 0, 0, G_OPTION_ARG_STRING, &group, N_("The booking's group (id or name); found by itself when left out"), N_("GROUP") },
    { "video", 0, 0, G_OPTION_ARG_STRING, &video,
      N_("What to send as video: test (or test:red, test:ball…), camera, screen, a file, or none (default: camera)"), N_("SOURCE") },
    { "audio", 0, 0, G_OPTION_ARG_STRING, &audio,
      N_("What to send as sound: test (or test:880), mic, a file, or none (default: mic)"), N_("SOURCE") },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, N_("Hang up after this many seconds (default: at Ctrl-C or when the other side hangs up)"), N_("S") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Write what you receive to this Matroska/WebM file"), N_("FILE") },
    { "no-sound", 0, 0, G_OPTION_ARG_NONE, &no_sound, N_("Do not play the other side's sound (it is still received and counted)"), NULL },
    { "relay", 0, 0, G_OPTION_ARG_NONE, &relay,
      N_("Send and receive media only through the server's relay (TURN), so that the other side never sees your address"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;
  CallRun run = { .cli = cli };

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (duration < 0)
    {
      tc_cli_set_usage_error (&error, _("--duration must be a number of seconds"));
      return tc_cli_fail (cli, error);
    }
  /* The DTLS certificate takes a few hundred ms: make it while we talk to
   * the server. */
  if (!gst_init_check (NULL, NULL, &error))
    return tc_cli_fail (cli, error);
  tc_call_cert_warm_up ();

  run.booking_id = g_strdup (argv[1]);
  g_autoptr(JsonNode) booking = find_booking (cli, group, argv[1], &run.group_id, &error);
  if (booking == NULL)
    return finish (&run, cli, error, 0);
  g_autoptr(JsonNode) connect = NULL;
  if (!fetch_token (&run, &connect, &error))
    return finish (&run, cli, error, 0);
  JsonObject *reply = tc_cli_obj (connect);
  JsonObject *peer = tc_cli_member_obj (reply, "peer");
  run.call_id = g_strdup (tc_cli_str (reply, "call_id"));
  run.peer_id = g_strdup (tc_cli_str (peer, "user_id"));
  run.peer_name = g_strdup (tc_cli_str (peer, "name"));
  const char *expert_id = tc_cli_str (tc_cli_obj (booking), "expert_id");

  TcSession *session = tc_cli_session (cli, &error);
  TcCallOptions options = {
    .video = video != NULL ? video : "camera",
    .audio = audio != NULL ? audio : "mic",
    .play_audio = !no_sound,
    /* the expert's offer wins when offers cross */
    .polite = g_strcmp0 (run.peer_id, expert_id) == 0,
    .record_path = record,
    .loopback_only = session != NULL && server_is_loopback (tc_session_get_server (session)),
    .relay_only = relay,
  };
  run.call = tc_call_new (&options, &error);
  if (run.call == NULL)
    return finish (&run, cli, error, 0);
  JsonNode *ice = json_object_get_member (reply, "ice_servers");
  if (ice != NULL && JSON_NODE_HOLDS_ARRAY (ice))
    tc_call_set_ice_servers (run.call, json_node_get_array (ice));

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.session = soup_session_new ();
  g_signal_connect (run.call, "send", G_CALLBACK (send_cb), &run);
  g_signal_connect (run.call, "state-changed", G_CALLBACK (state_cb), &run);
  g_signal_connect (run.call, "peer-changed", G_CALLBACK (peer_changed_cb), &run);
  g_signal_connect (run.call, "peer-left", G_CALLBACK (peer_left_cb), &run);
  g_signal_connect (run.call, "first-remote-frame", G_CALLBACK (first_frame_cb), &run);
  g_signal_connect (run.call, "error", G_CALLBACK (error_cb), &run);
  g_signal_connect (run.call, "stats-updated", G_CALLBACK (stats_updated_cb), &run);

  if (!cli->json)
    {
      g_autofree char *name = tc_cli_printable (peer_label (&run));
      g_print (_("Joining the call with %s…\n"), name);
    }
  /* join: the sources start, then the signaling link opens */
  if (!tc_call_start (run.call, &error))
    return finish (&run, cli, error, 0);
  open_socket_with (&run, tc_cli_str (reply, "call_token"));
  run.stats_source = g_timeout_add_seconds (cli->json ? 1 : STATS_INTERVAL_S, stats_cb, &run);
  if (!cli->json)
    tc_call_update_stats (run.call);   /* a first reading, so bitrates show at the next */
  if (duration > 0)
    run.duration_source = g_timeout_add_seconds (duration, duration_cb, &run);
  guint sigint = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  guint sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, &run);

  if (!run.ending)
    g_main_loop_run (run.loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  /* last figures, then hang up (which also finishes the recording) */
  tc_call_update_stats (run.call);
  gint64 end = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  tc_call_hangup (run.call);
  flush_socket (&run);

  if (run.error != NULL && !run.connected_once)
    {
      g_autoptr(GError) failure = g_steal_pointer (&run.error);
      return finish (&run, cli, failure, 0);
    }
  print_result (&run, record);
  status = run.connected_once ? TC_CLI_EXIT_OK : run.interrupted ? TC_CLI_EXIT_INTERRUPTED : TC_CLI_EXIT_REFUSED;
  if (!run.connected_once && !cli->json)
    g_printerr (_("The call never connected.\n"));
  return finish (&run, cli, NULL, status);
}

const TcCliCommand tc_cli_call_commands[] = {
  { NULL, "call", "BOOKING", N_("Join the video call of a booked session"), cmd_call },
  { NULL }
};
