/* test-gui-call.c — the desktop app's call page in a real window (under
 * Xvfb) against a real in-process signald (no minimum booking notice, so a
 * session booked through the booking routes starts within the connect
 * window), with a peer in the test process: a second call engine (green
 * test pattern, a test tone) joined through the same /ws by a TgCallLink
 * with the student's token.  The app is the coach (blue test pattern).
 *
 *   join: "Waiting for Sam Student to join…" until the peer comes; then
 *   the remote test pattern fills the remote video area (pixels of the
 *   screenshot checked green), the peer gets the app's blue, the
 *   connection quality shows;
 *   media: mute, camera off/on reach the peer as "media" messages; the
 *   peer's mute and camera off show on the page; a camera turned on in a
 *   call joined without one renegotiates (the peer then receives frames);
 *   screen share (X11) reaches the peer as screen video;
 *   review together at the player level: the coach opens one of the
 *   group's videos from the picker, the student's pane opens it too; a
 *   seek and a stroke on one side arrive on the other within 100 ms, both
 *   land on the same frame, frame steps, play/pause and the rate follow,
 *   strokes go both ways, and the coach saves both drawings as a review
 *   (the server has it; both drawings are cleared);
 *   the peer drops its socket and comes back (media flows again); the
 *   peer hangs up ("Sam Student hung up."); the app hangs up (the peer
 *   sees it); a session outside the connect window is refused with the
 *   server's reason.
 *
 * Screenshots of each screen go to $TANDEM_TEST_SCREENSHOTS. */
#include "th-gui.h"
#include "th-media.h"
#include "th-player-gui.h"
#include "th-server.h"
#include "th-tus.h"

#include "tg-call-link.h"
#include "tg-call-page.h"
#include "tg-call-quality.h"
#include "tg-call-review.h"
#include "tg-coaching.h"
#include "tg-group-page.h"
#include "tg-review-together.h"
#include "tg-util.h"

#include <adwaita.h>
#include <gst/video/video.h>
#include <stdlib.h>
#include <string.h>

#define COACH_EMAIL "clara@club.example"
#define STUDENT_EMAIL "sam@club.example"
#define GROUP_NAME "Tennis U16"
#define COACH_NAME "Clara Coach"
#define STUDENT_NAME "Sam Student"
#define SYNC_LIMIT_US (100 * 1000)
#define MS G_GINT64_CONSTANT (1000000)   /* ns */

static ThServer *ts;
static char *media_dir;
static char *coach_token;
static char *coach_id;
static char *student_token;
static char *group_id;
static char *type_id;
static char *booking_id;       /* the session about to start */
static char *later_id;         /* one three hours later */
static char *asset_id;         /* the student's video */
static char *video_id;

/* ---- the peer: the student, in this process ---- */

typedef struct {
  TandemApiClient *client;
  TcCall *call;
  TgCallLink *link;
  GtkWindow *window;           /* its review pane, once shown */
  TgCallReview *review;
  char *left_reason;           /* the last "peer-left" */
} Peer;

static Peer *peer;

static void
peer_left_cb (TcCall     *call,
              const char *reason,
              Peer       *p)
{
  g_free (p->left_reason);
  p->left_reason = g_strdup (reason);
}

static void
peer_join (const char *video)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (peer);
  peer = g_new0 (Peer, 1);
  peer->client = tandem_api_client_new (ts->url);
  tandem_api_client_set_token (peer->client, student_token);
  TcCallOptions options = {
    .video = video,
    .audio = "test:660",
    .polite = TRUE,
    .width = 320,
    .height = 240,
  };
  peer->call = tc_call_new (&options, &error);
  g_assert_no_error (error);
  g_signal_connect (peer->call, "peer-left", G_CALLBACK (peer_left_cb), peer);
  peer->link = tg_call_link_new (peer->client, group_id, booking_id);
  tg_call_link_start (peer->link, peer->call);
}

static void
peer_free (void)
{
  if (peer == NULL)
    return;
  if (peer->window != NULL)
    th_player_close (peer->window);
  g_signal_handlers_disconnect_by_data (peer->call, peer);
  g_clear_object (&peer->link);
  g_clear_object (&peer->call);
  g_clear_object (&peer->client);
  g_free (peer->left_reason);
  g_clear_pointer (&peer, g_free);
}

/* ---- helpers ---- */

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static TgCallPage *
call_page (void)
{
  return TG_CALL_PAGE (th_gui_find ("call-page"));
}

static TcCall *
app_call (void)
{
  return tg_call_page_get_call (call_page ());
}

static gboolean
signed_in (gpointer data)
{
  return tg_session_is_signed_in (session ());
}

static gboolean
status_starts (gpointer data)
{
  const char *status = tg_call_page_get_status (call_page ());
  return *(const char *) data == '\0' ? *status == '\0' : g_str_has_prefix (status, data);
}

/* Waits until the status text starts with @prefix ("": until there is none). */
static void
wait_status (const char *prefix)
{
  if (!th_player_wait (status_starts, (gpointer) prefix, 20000))
    g_error ("the call page says “%s”, not “%s…”", tg_call_page_get_status (call_page ()), prefix);
}

static gboolean
both_connected (gpointer data)
{
  return app_call () != NULL && peer != NULL &&
         tc_call_get_state (app_call ()) == TC_CALL_STATE_CONNECTED &&
         tc_call_get_state (peer->call) == TC_CALL_STATE_CONNECTED;
}

/* The centre pixel of the last frame @call decoded of @which, 0xRRGGBB,
 * or G_MAXUINT32 before any. */
static guint32
centre_pixel (TcCall      *call,
              TcCallVideo  which)
{
  g_autoptr(GstSample) sample = tc_call_dup_last_frame (call, which);
  if (sample == NULL)
    return G_MAXUINT32;
  GstVideoInfo info;
  GstVideoFrame frame;
  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ));
  const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
                      GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0) * (GST_VIDEO_FRAME_HEIGHT (&frame) / 2);
  const guint8 *px = row + 4 * (GST_VIDEO_FRAME_WIDTH (&frame) / 2);   /* BGRA */
  guint32 rgb = ((guint32) px[2] << 16) | ((guint32) px[1] << 8) | px[0];
  gst_video_frame_unmap (&frame);
  return rgb;
}

static gboolean
close_rgb (guint32 a,
           guint32 b,
           guint   tolerance)
{
  if (a == G_MAXUINT32)
    return FALSE;
  for (int shift = 0; shift <= 16; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > (int) tolerance)
      return FALSE;
  return TRUE;
}

typedef struct {
  TcCall *call;
  TcCallVideo which;
  guint32 rgb;
  guint64 frames_after;        /* and more remote frames than this */
} FrameCheck;

static gboolean
frame_is (gpointer data)
{
  FrameCheck *check = data;
  TcCallStats stats;
  tc_call_get_stats (check->call, &stats);
  if (check->which == TC_CALL_VIDEO_REMOTE && stats.video_frames_received <= check->frames_after)
    return FALSE;
  return close_rgb (centre_pixel (check->call, check->which), check->rgb, 60);
}

static void
wait_frame (TcCall     *call,
            guint32     rgb,
            guint64     frames_after,
            const char *what)
{
  FrameCheck check = { call, TC_CALL_VIDEO_REMOTE, rgb, frames_after };
  if (!th_player_wait (frame_is, &check, 20000))
    g_error ("%s: no frame of colour %06x (centre %06x)", what, rgb, centre_pixel (call, TC_CALL_VIDEO_REMOTE));
}

static guint64
frames_received (TcCall *call)
{
  TcCallStats stats;
  tc_call_get_stats (call, &stats);
  return stats.video_frames_received;
}

typedef struct {
  TcCall *call;
  gboolean audio, video, screen;
} MediaCheck;

static gboolean
peer_media_is (gpointer data)
{
  MediaCheck *check = data;
  gboolean audio, video, screen;
  tc_call_get_peer_media (check->call, &audio, &video, &screen);
  return audio == check->audio && video == check->video && screen == check->screen;
}

static void
wait_media (TcCall     *call,
            gboolean    audio,
            gboolean    video,
            gboolean    screen,
            const char *what)
{
  MediaCheck check = { call, audio, video, screen };
  if (!th_player_wait (peer_media_is, &check, 10000))
    {
      tc_call_get_peer_media (call, &audio, &video, &screen);
      g_error ("%s: the peer's media are audio %d video %d screen %d", what, audio, video, screen);
    }
}

static void
click_toggle (const char *name)
{
  GtkToggleButton *button = GTK_TOGGLE_BUTTON (th_gui_find (name));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
}

/* ---- server side setup ---- */

static void
upload_video (void)
{
  g_autoptr(GError) error = NULL;
  ThMediaKind kind = TH_MEDIA_WEBM_VP8_OPUS;
  g_autofree char *path = th_media_make (media_dir, kind);
  char *data;
  gsize len;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, len);

  g_autoptr(ThResponse) made = th_requestf (ts, "POST", "/assets", student_token,
    "{\"name\":\"Serve, court 2\",\"description\":\"\",\"group_id\":\"%s\","
    " \"files\":[{\"filename\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
    group_id, th_media_spec (kind)->name, len);
  g_assert_cmpuint (made->status, ==, 201);
  asset_id = g_strdup (th_json_str (made, "asset.id"));
  video_id = g_strdup (th_json_str (made, "videos.0.id"));
  th_tus_upload_rest (ts, th_json_str (made, "videos.0.upload_url"), student_token, bytes, 256 * 1024);

  g_autofree char *video_path = g_strdup_printf ("/videos/%s", video_id);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(ThResponse) v = th_request (ts, "GET", video_path, student_token, NULL);
      g_assert_cmpuint (v->status, ==, 200);
      if (g_strcmp0 (th_json_str (v, "status"), "ready") == 0)
        break;
      if (g_strcmp0 (th_json_str (v, "status"), "failed") == 0 || g_get_monotonic_time () > end)
        g_error ("the video is %s", th_json_str (v, "status"));
      g_usleep (50 * 1000);
    }
  g_autofree char *complete = g_strdup_printf ("/assets/%s/complete", asset_id);
  g_autoptr(ThResponse) done = th_request (ts, "POST", complete, student_token, NULL);
  g_assert_cmpuint (done->status, ==, 200);
}

/* The coach is free all week (UTC); the student books the first free
 * time through the booking routes (it starts within a quarter of an
 * hour: inside the connect window) and one three hours later. */
static void
book_sessions (void)
{
  g_autofree char *types = g_strdup_printf ("/groups/%s/coaching/session-types", group_id);
  g_autoptr(ThResponse) type = th_request (ts, "POST", types, coach_token,
                                           "{\"name\":\"Video Analysis\",\"duration_minutes\":60}");
  g_assert_cmpuint (type->status, ==, 201);
  type_id = g_strdup (th_json_str (type, "id"));

  g_autofree char *availability = g_strdup_printf ("/groups/%s/coaching/availability", group_id);
  GString *windows = g_string_new (NULL);
  for (int d = 0; d < 7; d++)
    g_string_append_printf (windows, "%s{\"day_of_week\":%d,\"start\":\"00:00\",\"end\":\"24:00\"}",
                            d > 0 ? "," : "", d);
  g_autoptr(ThResponse) put = th_requestf (ts, "PUT", availability, coach_token,
                                           "{\"time_zone\":\"UTC\",\"windows\":[%s],"
                                           "\"buffer_before_minutes\":0,\"buffer_after_minutes\":0}", windows->str);
  g_string_free (windows, TRUE);
  g_assert_cmpuint (put->status, ==, 200);

  g_autofree char *slots = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?session_type_id=%s",
                                            group_id, coach_id, type_id);
  g_autoptr(ThResponse) free_times = th_request (ts, "GET", slots, student_token, NULL);
  g_assert_cmpuint (free_times->status, ==, 200);
  g_assert_cmpuint (th_json_len (free_times, "items"), >, 0);
  const char *soon = th_json_str (free_times, "items.0.start");
  g_autoptr(GDateTime) soon_time = g_date_time_new_from_iso8601 (soon, NULL);
  g_assert_cmpint (g_date_time_to_unix (soon_time) - g_get_real_time () / G_USEC_PER_SEC, <=, 15 * 60);

  g_autofree char *bookings = g_strdup_printf ("/groups/%s/coaching/bookings", group_id);
  g_autoptr(ThResponse) booked = th_requestf (ts, "POST", bookings, student_token,
                                              "{\"session_type_id\":\"%s\",\"expert_id\":\"%s\",\"start\":\"%s\"}",
                                              type_id, coach_id, soon);
  g_assert_cmpuint (booked->status, ==, 201);
  booking_id = g_strdup (th_json_str (booked, "id"));

  g_autoptr(GDateTime) later_time = g_date_time_add_hours (soon_time, 3);
  g_autofree char *later = tg_coaching_format_rfc3339 (later_time);
  g_autoptr(ThResponse) booked2 = th_requestf (ts, "POST", bookings, student_token,
                                               "{\"session_type_id\":\"%s\",\"expert_id\":\"%s\",\"start\":\"%s\"}",
                                               type_id, coach_id, later);
  g_assert_cmpuint (booked2->status, ==, 201);
  later_id = g_strdup (th_json_str (booked2, "id"));
}

/* ---- tests ---- */

static void
test_quality (void)
{
  g_assert_cmpint (tg_call_quality_grade (-1, -1), ==, TG_CALL_QUALITY_UNKNOWN);
  g_assert_cmpint (tg_call_quality_grade (20, 0), ==, TG_CALL_QUALITY_GOOD);
  g_assert_cmpint (tg_call_quality_grade (150, 0.02), ==, TG_CALL_QUALITY_GOOD);
  g_assert_cmpint (tg_call_quality_grade (151, 0), ==, TG_CALL_QUALITY_FAIR);
  g_assert_cmpint (tg_call_quality_grade (20, 0.05), ==, TG_CALL_QUALITY_FAIR);
  g_assert_cmpint (tg_call_quality_grade (401, 0), ==, TG_CALL_QUALITY_POOR);
  g_assert_cmpint (tg_call_quality_grade (20, 0.09), ==, TG_CALL_QUALITY_POOR);
  g_assert_cmpint (tg_call_quality_grade (-1, 0.01), ==, TG_CALL_QUALITY_GOOD);
  g_assert_cmpint (tg_call_quality_grade (500, -1), ==, TG_CALL_QUALITY_POOR);

  /* The loss counts between two readings, not since the start. */
  TgCallQualityMeter meter = { 0 };
  TcCallStats stats;
  tc_call_stats_init (&stats);
  g_assert_cmpint (tg_call_quality_update (&meter, &stats), ==, TG_CALL_QUALITY_UNKNOWN);
  stats.rtt_ms = 30;
  stats.packets_received = 900;
  stats.packets_lost = 100;   /* 10 %: poor */
  g_assert_cmpint (tg_call_quality_update (&meter, &stats), ==, TG_CALL_QUALITY_POOR);
  stats.packets_received = 1900;   /* then none lost in 1000 */
  g_assert_cmpint (tg_call_quality_update (&meter, &stats), ==, TG_CALL_QUALITY_GOOD);
  stats.packets_received = 10;     /* a fresh connection: totals from zero */
  stats.packets_lost = 0;
  g_assert_cmpint (tg_call_quality_update (&meter, &stats), ==, TG_CALL_QUALITY_GOOD);
  g_assert_cmpstr (tg_call_quality_label (TG_CALL_QUALITY_FAIR), ==, "Fair connection");
  g_assert_cmpstr (tg_call_quality_css (TG_CALL_QUALITY_POOR), ==, "error");
}

static void
open_group (void)
{
  g_autofree char *row_name = g_strdup_printf ("group-row-%s", GROUP_NAME);
  GtkWidget *row = th_gui_wait_widget (row_name);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  th_gui_wait_page ("group");
}

static void
join (const char *id)
{
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.join-booking", "s", id);
  th_gui_wait_page ("call");
  g_assert_cmpstr (tg_call_page_get_booking (call_page ()), ==, id);
}

static gboolean
quality_shown (gpointer data)
{
  return strlen (tg_call_page_get_quality (call_page ())) > 0;
}

static void
test_join (void)
{
  th_gui_wait_page ("sign-in");
  th_gui_set_text ("sign-in-server", ts->url);
  th_gui_set_text ("sign-in-email", COACH_EMAIL);
  th_gui_set_text ("sign-in-password", TH_PASSWORD);
  th_gui_click ("sign-in-button");
  th_gui_wait (signed_in, NULL, 15000, "signing in");
  open_group ();

  /* The coach is first: waiting for the student. */
  join (booking_id);
  wait_status ("Waiting for " STUDENT_NAME " to join");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (th_player_find_widget (GTK_WIDGET (call_page ()),
                                                                                      ADW_TYPE_WINDOW_TITLE))),
                   ==, "Call with " STUDENT_NAME);
  g_assert_true (gtk_widget_get_visible (th_gui_find ("call-self")));
  th_gui_screenshot (NULL, "call-waiting");

  /* The student joins: each sees the other's test pattern. */
  peer_join ("test:green");
  th_gui_wait (both_connected, NULL, 30000, "both connected");
  wait_frame (app_call (), 0x00ff00, 0, "the app");
  wait_frame (peer->call, 0x0000ff, 0, "the peer");
  wait_status ("");
  g_assert_cmpstr (tg_call_page_get_status (call_page ()), ==, "");
  g_assert_cmpstr (tc_call_get_peer_name (peer->call), ==, COACH_NAME);

  /* The screenshot: the remote video area is green. */
  g_autofree char *path = th_gui_screenshot (NULL, "call-connected");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) shot = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  GtkWidget *remote = th_gui_find ("call-remote");
  graphene_rect_t bounds;
  g_assert_true (gtk_widget_compute_bounds (remote, GTK_WIDGET (th_gui_window ()), &bounds));
  graphene_rect_t centre = GRAPHENE_RECT_INIT (bounds.origin.x + bounds.size.width * 0.3,
                                               bounds.origin.y + bounds.size.height * 0.3,
                                               bounds.size.width * 0.2, bounds.size.height * 0.2);
  guint area = (guint) (centre.size.width * centre.size.height);
  guint green = th_player_count_color (shot, 0x00ff00, 60, &centre);
  g_test_message ("remote area %ux%u, %u of %u centre pixels green", (guint) bounds.size.width,
                  (guint) bounds.size.height, green, area);
  g_assert_cmpuint (bounds.size.width, >, 300);
  g_assert_cmpuint (green, >, area * 9 / 10);
  /* The self view (bottom right) shows the app's own blue. */
  GtkWidget *self_view = th_gui_find ("call-self");
  g_assert_true (gtk_widget_compute_bounds (self_view, GTK_WIDGET (th_gui_window ()), &bounds));
  graphene_rect_t inner = GRAPHENE_RECT_INIT (bounds.origin.x + bounds.size.width * 0.3,
                                              bounds.origin.y + bounds.size.height * 0.3,
                                              bounds.size.width * 0.4, bounds.size.height * 0.4);
  g_assert_cmpuint (th_player_count_color (shot, 0x0000ff, 60, &inner), >,
                    (guint) (inner.size.width * inner.size.height) * 8 / 10);

  /* The connection quality, from the statistics. */
  th_gui_wait (quality_shown, NULL, 15000, "the connection quality");
  g_assert_cmpstr (tg_call_page_get_quality (call_page ()), ==, "Good connection");
  TcCallStats stats;
  tc_call_get_stats (app_call (), &stats);
  g_assert_cmpint (stats.first_remote_frame_ms, >=, 0);
  g_assert_cmpuint (stats.audio_buffers_received, >, 0);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (th_gui_find (data));
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (th_gui_find (data));
}

static void
test_media (void)
{
  /* The app's toggles reach the peer as "media" messages. */
  wait_media (peer->call, TRUE, TRUE, FALSE, "at the start");
  click_toggle ("call-mute");
  wait_media (peer->call, FALSE, TRUE, FALSE, "muted");
  click_toggle ("call-camera");
  wait_media (peer->call, FALSE, FALSE, FALSE, "camera off");
  g_assert_false (gtk_widget_get_visible (th_gui_find ("call-self")));
  th_gui_screenshot (NULL, "call-muted-camera-off");
  click_toggle ("call-mute");
  click_toggle ("call-camera");
  wait_media (peer->call, TRUE, TRUE, FALSE, "unmuted, camera on");
  guint64 before = frames_received (peer->call);
  wait_frame (peer->call, 0x0000ff, before, "the peer after the camera came back");

  /* The peer's mute and camera off show on the page. */
  tc_call_set_audio_muted (peer->call, TRUE);
  th_gui_wait (widget_visible, "call-peer-muted", 10000, "the peer's muted microphone");
  tc_call_set_video_muted (peer->call, TRUE);
  wait_status (STUDENT_NAME "’s camera is off");
  th_gui_screenshot (NULL, "call-peer-camera-off");
  tc_call_set_audio_muted (peer->call, FALSE);
  tc_call_set_video_muted (peer->call, FALSE);
  th_gui_wait (widget_hidden, "call-peer-muted", 10000, "the peer's microphone back");
  wait_status ("");

  /* Screen sharing, where a screen can be captured (Xvfb is X11). */
  GtkWidget *screen = th_gui_find ("call-screen");
  g_assert_cmpint (gtk_widget_get_visible (screen), ==, tg_call_page_can_share_screen ());
  if (tg_call_page_can_share_screen ())
    {
      click_toggle ("call-screen");
      wait_media (peer->call, TRUE, FALSE, TRUE, "sharing the screen");
      before = frames_received (peer->call);
      th_gui_wait (widget_visible, "call-self", 5000, "the self view of the screen");
      gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (frames_received (peer->call) < before + 5 && g_get_monotonic_time () < end)
        {
          th_gui_spin (500);
          g_printerr ("screen frames %" G_GUINT64_FORMAT "\n", frames_received (peer->call) - before);
        }
      g_assert_cmpuint (frames_received (peer->call), >=, before + 5);
      click_toggle ("call-screen");
      wait_media (peer->call, TRUE, TRUE, FALSE, "back to the camera");
      before = frames_received (peer->call);
      wait_frame (peer->call, 0x0000ff, before, "the peer after the screen share");
    }
}

/* ---- review together ---- */

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static gint64
median (gint64 *values,
        guint   n)
{
  qsort (values, n, sizeof (gint64), compare_int64);
  return values[n / 2];
}

typedef struct {
  gint64 at_us;
  char *type;
} Arrival;

static Arrival arrival;

static void
applied_cb (TgReviewTogether *together,
            const char       *type,
            gpointer          data)
{
  if (arrival.at_us == 0 && g_strcmp0 (type, arrival.type) == 0)
    arrival.at_us = g_get_monotonic_time ();
}

static void
expect_arrival (const char *type)
{
  arrival.at_us = 0;
  g_free (arrival.type);
  arrival.type = g_strdup (type);
}

static gboolean
arrived (gpointer data)
{
  return arrival.at_us != 0;
}

static gboolean
review_listed (gpointer data)
{
  return !tg_call_review_is_loading (data) && tg_call_review_get_n_videos (data) > 0;
}

static gboolean
view_ready (gpointer data)
{
  TgCallReview *review = data;
  TgPlayerView *view = tg_call_review_get_view (review);
  return view != NULL && tg_player_view_get_ready (view);
}

static TgPlayer *
player_of (TgCallReview *review)
{
  return tg_player_view_get_player (tg_call_review_get_view (review));
}

typedef struct {
  TgPlayer *a, *b;
} Pair;

static gboolean
same_frame (gpointer data)
{
  Pair *pair = data;
  return !tg_player_get_busy (pair->a) && !tg_player_get_busy (pair->b) &&
         !tg_player_get_playing (pair->a) && !tg_player_get_playing (pair->b) &&
         tg_player_get_position (pair->a) >= 0 &&
         tg_player_get_position (pair->a) == tg_player_get_position (pair->b);
}

/* Both players show the same frame, and go on showing it for 400 ms (a
 * player is idle a moment before the frame it went to is on screen). */
static void
wait_same_frame (Pair       *pair,
                 const char *what)
{
  gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      if (!th_player_wait (same_frame, pair, 15000))
        break;
      gint64 position = tg_player_get_position (pair->a);
      th_player_spin (400);
      if (same_frame (pair) && tg_player_get_position (pair->a) == position)
        return;
    }
  g_error ("%s: the app shows %" G_GINT64_FORMAT " ns, the peer %" G_GINT64_FORMAT " ns", what,
             tg_player_get_position (pair->a), tg_player_get_position (pair->b));
}

static gboolean
peer_drawing_has (gpointer data)
{
  TgDrawing *drawing = tg_video_area_get_peer_drawing (data);
  return drawing != NULL && tg_drawing_get_n_shapes (drawing) == 1;
}

static gboolean
no_peer_drawing (gpointer data)
{
  return tg_video_area_get_peer_drawing (data) == NULL;
}

static gboolean
no_drawings (gpointer data)
{
  TgCallReview *review = data;
  TgVideoArea *area = tg_player_view_get_video_area (tg_call_review_get_view (review));
  return tg_video_area_get_peer_drawing (area) == NULL &&
         tg_drawing_get_n_shapes (tg_video_area_get_edit_drawing (area)) == 0;
}

static gboolean
not_saving (gpointer data)
{
  return !tg_call_review_is_saving (data);
}

static gboolean
playing_is (gpointer data)
{
  TgPlayer *player = data;
  return tg_player_get_playing (player);
}

static void
test_review_together (void)
{
  /* The student's pane, in a window of its own. */
  peer->review = g_object_new (TG_TYPE_CALL_REVIEW, NULL);
  peer->window = th_player_window (GTK_WIDGET (peer->review), 800, 600);
  tg_call_review_setup (peer->review, peer->client, group_id, tc_call_get_review (peer->call), FALSE);
  TgReviewTogether *peer_together = tg_call_review_get_together (peer->review);
  g_signal_connect (peer_together, "applied", G_CALLBACK (applied_cb), NULL);

  /* The coach opens the pane (in a wider window) and picks the student's
   * video. */
  gtk_window_set_default_size (GTK_WINDOW (th_gui_window ()), 1270, 800);
  TgCallReview *review = tg_call_page_get_review (call_page ());
  click_toggle ("call-review-toggle");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (review)));
  th_gui_wait (review_listed, review, 15000, "the group's videos");
  g_assert_cmpuint (tg_call_review_get_n_videos (review), ==, 1);
  g_assert_cmpstr (tg_call_review_get_video_at (review, 0), ==, video_id);
  th_gui_screenshot (NULL, "call-review-picker");
  g_autofree char *row_name = g_strdup_printf ("call-video-%s", video_id);
  GtkWidget *row = th_gui_find (row_name);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  g_assert_cmpstr (tg_call_review_get_video_id (review), ==, video_id);
  g_signal_connect (tg_call_review_get_together (review), "applied", G_CALLBACK (applied_cb), NULL);

  /* The student's side opens it too. */
  th_gui_wait (view_ready, review, 20000, "the coach's player");
  th_gui_wait (view_ready, peer->review, 20000, "the student's player");
  g_assert_cmpstr (tg_call_review_get_video_id (peer->review), ==, video_id);
  /* Only the coach saves drawings. */
  g_assert_true (gtk_widget_get_visible (th_gui_find ("call-review-save")));
  Pair pair = { player_of (review), player_of (peer->review) };

  /* Seeks arrive within 100 ms (the median of five, on a machine that
   * may be busy with other work) and both land on the same frame.  The
   * cameras are off meanwhile: under Xvfb every video frame is painted by
   * the CPU (GSK_RENDERER=cairo), which would measure the painting of
   * two windows, not the review channel. */
  click_toggle ("call-camera");
  tc_call_set_video_muted (peer->call, TRUE);
  wait_status (STUDENT_NAME "’s camera is off");
  gint64 frame = tg_player_get_frame_duration (pair.a);
  g_assert_cmpint (frame, >, 0);
  static const int targets[] = { 31, 7, 45, 12, 31 };
  gint64 took[G_N_ELEMENTS (targets)];
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      expect_arrival ("seek");
      gint64 t0 = g_get_monotonic_time ();
      tg_player_seek (pair.a, targets[i] * frame);
      th_gui_wait (arrived, NULL, 5000, "the seek on the other side");
      took[i] = arrival.at_us - t0;
      g_test_message ("seek %u arrived after %" G_GINT64_FORMAT " µs", i, took[i]);
      wait_same_frame (&pair, "after a seek");
      g_assert_cmpint (tg_player_get_position (pair.b), ==, targets[i] * frame);
    }
  g_assert_cmpint (median (took, G_N_ELEMENTS (took)), <, SYNC_LIMIT_US);

  /* Strokes drawn by the coach arrive within 100 ms (median of five). */
  TgVideoArea *area = tg_player_view_get_video_area (tg_call_review_get_view (review));
  TgVideoArea *peer_area = tg_player_view_get_video_area (tg_call_review_get_view (peer->review));
  tg_video_area_set_tool (area, TG_TOOL_ARROW);
  for (guint i = 0; i < G_N_ELEMENTS (took); i++)
    {
      if (i > 0)
        {
          g_assert_true (tg_video_area_undo (area));
          th_gui_wait (no_peer_drawing, peer_area, 5000, "the undone stroke gone on the other side");
        }
      expect_arrival ("stroke");
      gint64 t0 = g_get_monotonic_time ();
      th_player_drag (area, 0.2, 0.2 + 0.05 * i, 0.6, 0.5);
      th_gui_wait (arrived, NULL, 5000, "the stroke on the other side");
      g_assert_true (peer_drawing_has (peer_area));
      took[i] = arrival.at_us - t0;
      g_test_message ("stroke %u arrived after %" G_GINT64_FORMAT " µs", i, took[i]);
    }
  g_assert_cmpint (median (took, G_N_ELEMENTS (took)), <, SYNC_LIMIT_US);
  g_assert_true (peer_drawing_has (peer_area));
  g_assert_cmpint (tg_drawing_get_shape (tg_video_area_get_peer_drawing (peer_area), 0)->kind, ==,
                   TG_SHAPE_ARROW);

  click_toggle ("call-camera");
  tc_call_set_video_muted (peer->call, FALSE);

  /* And one by the student comes back to the coach. */
  tg_video_area_set_tool (peer_area, TG_TOOL_CIRCLE);
  th_player_drag (peer_area, 0.5, 0.5, 0.8, 0.9);
  th_gui_wait (peer_drawing_has, area, 5000, "the student's circle");
  th_gui_screenshot (NULL, "call-review-drawing");
  th_player_screenshot (GTK_WIDGET (peer->window), "call-review-student");

  /* Frame steps on the student's side: the coach follows, same frame. */
  expect_arrival ("frame-step");
  tg_player_step (pair.b, 1);
  th_gui_wait (arrived, NULL, 5000, "the step on the other side");
  wait_same_frame (&pair, "after a step forward");
  g_assert_cmpint (ABS (tg_player_get_position (pair.a) - 32 * frame), <=, MS);
  tg_player_step (pair.b, -3);
  th_player_spin (100);
  wait_same_frame (&pair, "after three steps back");
  g_assert_cmpint (ABS (tg_player_get_position (pair.a) - 29 * frame), <=, MS);

  /* Rate, play and pause follow. */
  expect_arrival ("rate");
  tg_player_set_rate (pair.a, 0.5);
  th_gui_wait (arrived, NULL, 5000, "the rate on the other side");
  g_assert_cmpfloat (tg_player_get_rate (pair.b), ==, 0.5);
  expect_arrival ("play");
  tg_player_play (pair.a);
  th_gui_wait (arrived, NULL, 5000, "play on the other side");
  th_gui_wait (playing_is, pair.b, 5000, "the student's player playing");
  th_player_spin (300);
  tg_player_pause (pair.a);
  wait_same_frame (&pair, "after play and pause");

  /* The coach saves both drawings as a review at this frame. */
  gint64 at_ms = tg_player_get_position (pair.a) / 1000000;
  th_gui_set_text ("call-review-note", "Racket face opens too early");
  g_assert_true (gtk_widget_is_sensitive (th_gui_find ("call-review-save")));
  th_gui_click ("call-review-save");
  th_gui_wait (not_saving, review, 15000, "saving the drawing");
  th_gui_wait (no_drawings, review, 5000, "the coach's drawings cleared");
  th_gui_wait (no_drawings, peer->review, 5000, "the student's drawings cleared");
  g_autofree char *reviews = g_strdup_printf ("/assets/%s/videos/%s/reviews", asset_id, video_id);
  g_autoptr(ThResponse) r = th_request (ts, "GET", reviews, coach_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (th_json_len (r, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (r, "items.0.text"), ==, "Racket face opens too early");
  g_assert_cmpint (th_json_int (r, "items.0.at_ms"), ==, at_ms);
  g_assert_cmpuint (th_json_len (r, "items.0.drawing.shapes"), ==, 2);

  /* Closing the video closes it on both sides. */
  th_gui_click ("call-review-close");
  g_assert_null (tg_call_review_get_video_id (review));
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (tg_call_review_get_video_id (peer->review) != NULL && g_get_monotonic_time () < end)
    th_gui_spin (20);
  g_assert_null (tg_call_review_get_video_id (peer->review));
  click_toggle ("call-review-toggle");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (review)));
}

static gboolean
peer_link_open (gpointer data)
{
  return tg_call_link_get_state (peer->link) == TG_CALL_LINK_OPEN;
}

static char *app_left_reason;

static void
app_peer_left_cb (TcCall     *call,
                  const char *reason,
                  gpointer    data)
{
  g_free (app_left_reason);
  app_left_reason = g_strdup (reason);
}

static gboolean
peer_link_retrying (gpointer data)
{
  return tg_call_link_get_state (peer->link) == TG_CALL_LINK_RETRYING;
}

static gboolean
media_flow (gpointer data)
{
  guint64 *before = data;   /* app video, app audio, peer video, peer audio */
  TcCallStats a, b;
  tc_call_get_stats (app_call (), &a);
  tc_call_get_stats (peer->call, &b);
  return a.video_frames_received > before[0] && a.audio_buffers_received > before[1] &&
         b.video_frames_received > before[2] && b.audio_buffers_received > before[3];
}

static gboolean
app_resumed (gpointer data)
{
  TcCallStats a;
  tc_call_get_stats (app_call (), &a);
  return a.signaling_resumes == GPOINTER_TO_UINT (data);
}

static void
test_drop (void)
{
  /* The student's link to signald drops (the media does not): its link
   * retries and comes back with a fresh token; the coach's side keeps the
   * call as it is — no "dropped", no new connection — and the pictures
   * keep coming both ways throughout. */
  guint sent = tg_call_link_get_n_sent (peer->link);
  TcCallStats a, b;
  tc_call_get_stats (app_call (), &a);
  tc_call_get_stats (peer->call, &b);
  guint connections = a.peer_connections;
  guint resumes = a.signaling_resumes;
  gulong id = g_signal_connect (app_call (), "peer-left", G_CALLBACK (app_peer_left_cb), NULL);
  tg_call_link_drop (peer->link);
  th_gui_wait (peer_link_retrying, NULL, 5000, "the student's link retrying");
  guint64 before[4] = { a.video_frames_received, a.audio_buffers_received,
                        b.video_frames_received, b.audio_buffers_received };
  th_gui_wait (peer_link_open, NULL, 20000, "the student back");
  th_gui_wait (app_resumed, GUINT_TO_POINTER (resumes + 1), 15000, "the coach's side taking the student back");
  g_assert_cmpuint (tg_call_link_get_n_sent (peer->link), >, sent);
  g_signal_handler_disconnect (app_call (), id);
  g_assert_null (app_left_reason);
  g_assert_cmpint (tc_call_get_state (app_call ()), ==, TC_CALL_STATE_CONNECTED);
  const char *status = tg_call_page_get_status (call_page ());
  g_assert_true (status == NULL || (strstr (status, "Waiting") == NULL && strstr (status, "lost") == NULL));

  /* Media went on both ways, on the same connection. */
  if (!th_player_wait (media_flow, before, 15000))
    {
      tc_call_get_stats (app_call (), &a);
      tc_call_get_stats (peer->call, &b);
      g_error ("after the drop: app video +%" G_GUINT64_FORMAT " audio +%" G_GUINT64_FORMAT
               ", peer video +%" G_GUINT64_FORMAT " audio +%" G_GUINT64_FORMAT,
               a.video_frames_received - before[0], a.audio_buffers_received - before[1],
               b.video_frames_received - before[2], b.audio_buffers_received - before[3]);
    }
  tc_call_get_stats (app_call (), &a);
  g_assert_cmpuint (a.peer_connections, ==, connections);
}

static void
test_peer_hangs_up (void)
{
  tg_call_link_hangup (peer->link);
  wait_status (STUDENT_NAME " hung up.");
  g_assert_nonnull (strstr (tg_call_page_get_status (call_page ()), "Waiting for " STUDENT_NAME " to join"));
  g_assert_false (gtk_widget_get_visible (th_gui_find ("call-quality")));
  th_gui_screenshot (NULL, "call-peer-hung-up");
  peer_free ();
}

static gboolean
peer_told_hangup (gpointer data)
{
  return peer->left_reason != NULL && g_str_equal (peer->left_reason, "hangup") &&
         tc_call_get_state (peer->call) == TC_CALL_STATE_WAITING;
}

static void
test_hangup (void)
{
  /* The student comes back, then the coach hangs up. */
  peer_join ("test:green");
  th_gui_wait (both_connected, NULL, 30000, "both connected once more");
  th_gui_click ("call-hangup");
  th_gui_wait_page ("group");
  g_assert_null (app_call ());
  g_assert_null (tg_call_page_get_link (call_page ()));
  th_gui_wait (peer_told_hangup, NULL, 10000, "the student told of the hang-up");
  peer_free ();
}

static gboolean
both_gone (gpointer data)
{
  gpointer *gone = data;
  return gone[0] == NULL && gone[1] == NULL;
}

static void
test_camera_later (void)
{
  /* Joined without the camera: turning it on adds a video stream, which
   * the engine renegotiates; the peer then receives it. */
  tg_call_page_set_camera_on_join (call_page (), FALSE);
  join (booking_id);
  peer_join ("test:green");
  th_gui_wait (both_connected, NULL, 30000, "connected without the app's camera");
  wait_frame (app_call (), 0x00ff00, 0, "the app");
  wait_media (peer->call, TRUE, FALSE, FALSE, "no camera");
  g_assert_false (gtk_widget_get_visible (th_gui_find ("call-self")));
  g_assert_cmpuint (frames_received (peer->call), ==, 0);
  click_toggle ("call-camera");
  wait_media (peer->call, TRUE, TRUE, FALSE, "the camera on");
  wait_frame (peer->call, 0x0000ff, 0, "the peer after the renegotiation");
  g_assert_true (gtk_widget_get_visible (th_gui_find ("call-self")));
  tg_call_page_set_camera_on_join (call_page (), TRUE);

  /* Back to the group: the call is left (the peer sees "left"), and the
   * engine with its pipeline and the link are gone. */
  gpointer gone[2] = { app_call (), tg_call_page_get_link (call_page ()) };
  g_object_add_weak_pointer (gone[0], &gone[0]);
  g_object_add_weak_pointer (gone[1], &gone[1]);
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.show-group", NULL);
  th_gui_wait_page ("group");
  g_assert_null (app_call ());
  th_gui_wait (both_gone, gone, 10000, "the engine and the link finalized");
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 (peer->left_reason, "left") != 0 && g_get_monotonic_time () < end)
    th_gui_spin (20);
  g_assert_cmpstr (peer->left_reason, ==, "left");
  peer_free ();
}

static void
test_refused (void)
{
  /* Three hours ahead: outside the connect window. */
  join (later_id);
  wait_status ("Could not join the call");
  g_assert_nonnull (strstr (tg_call_page_get_status (call_page ()), "opens at"));
  g_assert_false (gtk_widget_is_sensitive (th_gui_find ("call-hangup")));
  th_gui_screenshot (NULL, "call-refused");
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.show-group", NULL);
  th_gui_wait_page ("group");
}

/* ---- main ---- */

static void
no_booking_notice (SdConfig *config,
                   gpointer  data)
{
  config->min_booking_notice_s = 0;
}

static char *
add_user (const char *admin_token,
          const char *email,
          const char *role,
          const char *name,
          char      **id)
{
  char *token = th_add_user (ts, admin_token, email, role, id);
  g_autoptr(ThResponse) r = th_requestf (ts, "PATCH", "/auth/me", token, "{\"name\":\"%s\"}", name);
  g_assert_cmpuint (r->status, ==, 200);
  return token;
}

int
main (int    argc,
      char **argv)
{
  const char *home = th_gui_init (&argc, &argv);
  media_dir = g_build_filename (home, "media", NULL);
  g_mkdir_with_parents (media_dir, 0700);
  /* The app's side of the call: a blue test pattern and a test tone. */
  g_setenv ("TANDEM_CALL_VIDEO", "test:blue", TRUE);
  g_setenv ("TANDEM_CALL_AUDIO", "test", TRUE);
  g_setenv ("TANDEM_CALL_SPEAKERS", "off", TRUE);
  gst_init (NULL, NULL);

  ts = th_server_start_full (no_booking_notice, NULL);
  g_autofree char *admin_token = th_register_admin (ts, "admin@club.example", "Club", NULL);
  coach_token = add_user (admin_token, COACH_EMAIL, "expert", COACH_NAME, &coach_id);
  student_token = add_user (admin_token, STUDENT_EMAIL, "student", STUDENT_NAME, NULL);
  g_autoptr(ThResponse) group = th_requestf (ts, "POST", "/groups", coach_token, "{\"name\":\"%s\"}", GROUP_NAME);
  g_assert_cmpuint (group->status, ==, 201);
  group_id = g_strdup (th_json_str (group, "id"));
  th_join_group (ts, coach_token, group_id, STUDENT_EMAIL, student_token);
  book_sessions ();
  upload_video ();
  th_gui_app_start ();

  g_test_add_func ("/Call/quality", test_quality);
  g_test_add_func ("/Call/join", test_join);
  g_test_add_func ("/Call/media", test_media);
  g_test_add_func ("/Call/review-together", test_review_together);
  g_test_add_func ("/Call/drop", test_drop);
  g_test_add_func ("/Call/peer-hangs-up", test_peer_hangs_up);
  g_test_add_func ("/Call/hangup", test_hangup);
  g_test_add_func ("/Call/camera-later", test_camera_later);
  g_test_add_func ("/Call/refused", test_refused);
  int status = g_test_run ();

  peer_free ();
  th_gui_app_stop ();
  th_server_stop (ts);
  th_player_remove_tree (media_dir);
  g_free (media_dir);
  g_free (coach_token);
  g_free (coach_id);
  g_free (student_token);
  g_free (group_id);
  g_free (type_id);
  g_free (booking_id);
  g_free (later_id);
  g_free (asset_id);
  g_free (video_id);
  g_free (arrival.type);
  return status;
}
