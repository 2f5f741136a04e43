/* test-player.c — the review player and the compare view in real windows
 * (Xvfb) against a real in-process signald: a student uploads videos made
 * with GStreamer test sources through POST /assets and tus, the media
 * worker makes them ready, and a coach reviews them in the GUI.
 *
 * Covered: loading (first frame, duration, timeline strip and markers);
 * playing (the position advances) and pausing; frame steps through the
 * key bindings (Right/Left/J: exactly one frame duration); slow motion
 * (J/L and the rate action, position against wall time); a comment with a
 * drawing (arrow, circle, freehand, text in a chosen colour) at a frame,
 * made through the widgets and checked on the server, then seen drawn on
 * the picture (pixels of its colour in a snapshot of the view) at its
 * moment only; another reviewer's drawing appearing at its moment; a range
 * comment, a reply and deleting one's own reply; marking the asset
 * reviewed; a video that does not exist (a message, no crash); the
 * compare view stepping both videos, keeping the second at its sync offset
 * while playing, and the overlay with its opacity.  Screenshots are saved
 * in $TANDEM_TEST_ARTIFACTS. */
#include "th-player-gui.h"
#include "th-media.h"
#include "th-server.h"
#include "th-tus.h"

#include "tg-compare-view.h"
#include "tg-player-view.h"
#include "tg-time.h"

#include <gst/gst.h>

#define MS G_GINT64_CONSTANT (1000000)

/* Colours that appear nowhere in the test pictures (SMPTE bars, ball). */
#define COACH_COLOR 0x1c71d8
#define COACH_HEX "#1c71d8"
#define ADMIN_COLOR 0xff7800
#define ADMIN_AT_MS 2000

static ThServer *ts;
static char *media_dir;
static char *admin, *coach, *coach_id, *student, *group_id;
static char *mp4_asset, *mp4_video;     /* 352×288 @ 25 fps, 3 s */
static char *webm_asset, *webm_video;   /* 320×240 @ 30 fps, 2 s */

/* ---- server side setup ---- */

/* The student uploads @kind as a new asset through POST /assets and tus;
 * waits for the media worker to make it ready and completes the asset. */
static void
upload (ThMediaKind   kind,
        const char   *name,
        char        **asset_id,
        char        **video_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = th_media_make (media_dir, kind);
  char *data;
  gsize len;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, len);

  g_autoptr(ThResponse) made = th_requestf (ts, "POST", "/assets", student,
    "{\"name\":\"%s\",\"description\":\"\",\"group_id\":\"%s\","
    " \"files\":[{\"filename\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
    name, group_id, th_media_spec (kind)->name, len);
  g_assert_cmpuint (made->status, ==, 201);
  *asset_id = g_strdup (th_json_str (made, "asset.id"));
  *video_id = g_strdup (th_json_str (made, "videos.0.id"));
  th_tus_upload_rest (ts, th_json_str (made, "videos.0.upload_url"), student, bytes, 256 * 1024);

  g_autofree char *video_path = g_strdup_printf ("/videos/%s", *video_id);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(ThResponse) v = th_request (ts, "GET", video_path, student, NULL);
      g_assert_cmpuint (v->status, ==, 200);
      const char *status = th_json_str (v, "status");
      if (g_strcmp0 (status, "ready") == 0)
        break;
      if (g_strcmp0 (status, "failed") == 0)
        g_error ("%s failed: %s", name, th_json_str (v, "error.message"));
      if (g_get_monotonic_time () > end)
        g_error ("%s is still %s", name, status);
      g_usleep (50 * 1000);
    }
  g_autofree char *complete = g_strdup_printf ("/assets/%s/complete", *asset_id);
  g_autoptr(ThResponse) done = th_request (ts, "POST", complete, student, NULL);
  g_assert_cmpuint (done->status, ==, 200);
}

static void
set_up_server (void)
{
  ts = th_server_start ();
  admin = th_register_admin (ts, "admin@club.test", "Rowing Club", NULL);
  coach = th_add_user (ts, admin, "coach@club.test", "expert", &coach_id);
  student = th_add_user (ts, admin, "student@club.test", "student", NULL);
  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", coach, "{\"name\":\"Juniors\"}");
  g_assert_cmpuint (g->status, ==, 201);
  group_id = g_strdup (th_json_str (g, "id"));
  th_join_group (ts, coach, group_id, "student@club.test", student);

  upload (TH_MEDIA_MP4_H264_AAC, "Start, lane 3", &mp4_asset, &mp4_video);
  upload (TH_MEDIA_WEBM_VP8_OPUS, "Model start", &webm_asset, &webm_video);

  /* Another reviewer's drawing (an orange box) at 2 s of the MP4. */
  g_autofree char *reviews = g_strdup_printf ("/assets/%s/videos/%s/reviews", mp4_asset, mp4_video);
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", reviews, admin,
    "{\"at_ms\":%d,\"text\":\"Look at the hands here\",\"drawing\":{\"shapes\":["
    "{\"kind\":\"rect\",\"from\":[0.1,0.1],\"to\":[0.5,0.6],\"color\":\"#ff7800\",\"width\":0.02}]}}",
    ADMIN_AT_MS);
  g_assert_cmpuint (r->status, ==, 201);
}

/* ---- GUI helpers ---- */

static TandemApiClient *
client_for (const char *token)
{
  TandemApiClient *client = tandem_api_client_new (ts->url);
  tandem_api_client_set_token (client, token);
  return client;
}

typedef struct {
  GtkWindow *window;
  TgPlayerView *view;
  TgPlayer *player;
} View;

static gboolean
view_ready (gpointer data)
{
  return tg_player_view_get_ready (data);
}

static gboolean
player_settled (gpointer data)
{
  return tg_player_get_ready (data) && !tg_player_get_busy (data);
}

static void
wait_settled (TgPlayer *player)
{
  g_assert_true (th_player_wait (player_settled, player, 15000));
  th_player_settle ();
}

static void
open_view (View       *v,
           const char *token,
           const char *asset,
           const char *video)
{
  g_autoptr(TandemApiClient) client = client_for (token);
  v->view = tg_player_view_new (client, asset, video);
  v->window = th_player_window (GTK_WIDGET (v->view), 1280, 720);
  g_assert_true (th_player_wait (view_ready, v->view, 20000));
  v->player = tg_player_view_get_player (v->view);
  wait_settled (v->player);
}

static void
close_view (View *v)
{
  th_player_close (v->window);
}

static void
seek_and_wait (TgPlayer *player,
               gint64    ms)
{
  tg_player_seek (player, ms * MS);
  wait_settled (player);
  g_assert_cmpint (tg_player_get_position (player), ==, ms * MS);
}

/* Pixels of @rgb in a snapshot of the view (within the picture). */
static guint
count_in_view (View   *v,
               guint32 rgb)
{
  th_player_settle ();
  g_autoptr(GdkTexture) shot = th_player_render (GTK_WIDGET (v->view));
  g_assert_nonnull (shot);
  TgVideoArea *area = tg_player_view_get_video_area (v->view);
  graphene_rect_t frame;
  tg_video_area_get_frame_rect (area, &frame);
  graphene_point_t origin;
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (area), GTK_WIDGET (v->view), &frame.origin, &origin));
  frame.origin = origin;
  return th_player_count_color (shot, rgb, 12, &frame);
}

static gsize
n_reviews (View *v)
{
  return g_list_model_get_n_items (tg_video_doc_get_reviews (tg_player_view_get_doc (v->view)));
}

typedef struct {
  View *view;
  guint count;
} CountWait;

static gboolean
has_n_reviews (gpointer data)
{
  CountWait *w = data;
  return n_reviews (w->view) == w->count;
}

static gboolean
panel_idle (gpointer data)
{
  View *v = data;
  /* The composer takes text again once the server answered. */
  GtkWidget *entry = th_player_find_widget (GTK_WIDGET (tg_player_view_get_panel (v->view)), GTK_TYPE_ENTRY);
  return gtk_editable_get_editable (GTK_EDITABLE (entry)) && !tg_player_get_busy (v->player);
}

/* ---- tests ---- */

static gboolean
has_strip (gpointer data)
{
  return tg_video_doc_get_strip (data, NULL, NULL, NULL) != NULL;
}

/* The first frame, the duration, the strip and the other reviewer's
 * marker. */
static void
test_load (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);

  g_assert_cmpint (tg_player_get_position (v.player), ==, 0);
  g_assert_cmpint (tg_player_get_frame_duration (v.player), ==, 40 * MS);
  g_assert_true (g_str_has_prefix (tg_player_view_get_time_text (v.view), "0:00.000 / 0:03."));
  TgVideoDoc *doc = tg_player_view_get_doc (v.view);
  g_assert_true (th_player_wait (has_strip, doc, 10000));
  guint frames = 0;
  tg_video_doc_get_strip (doc, &frames, NULL, NULL);
  g_assert_cmpuint (frames, >, 0);
  TgTimeline *timeline = tg_player_view_get_timeline (v.view);
  g_assert_cmpint (tg_timeline_get_duration (timeline), >=, 2900);
  g_assert_cmpuint (tg_timeline_get_n_markers (timeline), ==, 1);
  g_assert_cmpuint (tg_review_panel_get_n_rows (tg_player_view_get_panel (v.view)), ==, 1);
  /* The picture is the video's: the SMPTE bars are bright at the top left. */
  g_autoptr(GdkTexture) shot = th_player_render (GTK_WIDGET (tg_player_view_get_video_area (v.view)));
  graphene_rect_t frame;
  tg_video_area_get_frame_rect (tg_player_view_get_video_area (v.view), &frame);
  guint32 pixel = th_player_pixel (shot, (int) frame.origin.x + 10, (int) frame.origin.y + 10);
  g_assert_cmpuint ((pixel >> 8) & 0xff, >, 150);
  g_autofree char *path = th_player_screenshot (GTK_WIDGET (v.view), "player-loaded");
  close_view (&v);
}

typedef struct {
  TgPlayer *player;
  gint64 until;
} Past;

static gboolean
position_past (gpointer data)
{
  Past *p = data;
  return tg_player_get_position (p->player) >= p->until;
}

/* Space plays (the position advances), K pauses. */
static void
test_play_pause (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);

  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_space, 0);
  g_assert_true (tg_player_get_playing (v.player));
  Past p = { v.player, 400 * MS };
  g_assert_true (th_player_wait (position_past, &p, 5000));
  g_assert_cmpint (tg_timeline_get_position (tg_player_view_get_timeline (v.view)), >=, 360);

  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_k, 0);
  g_assert_false (tg_player_get_playing (v.player));
  wait_settled (v.player);
  gint64 at = tg_player_get_position (v.player);
  th_player_spin (300);
  g_assert_cmpint (tg_player_get_position (v.player), ==, at);
  close_view (&v);
}

/* Right and Left step exactly one frame (40 ms at 25 fps), J steps back
 * when paused; the time label follows to the millisecond. */
static void
test_step_keys (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);
  seek_and_wait (v.player, 1000);
  gint64 frame = tg_player_get_frame_duration (v.player);
  g_assert_cmpint (frame, ==, 40 * MS);

  for (int i = 1; i <= 3; i++)
    {
      gint64 was = tg_player_get_position (v.player);
      th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_Right, 0);
      wait_settled (v.player);
      g_assert_cmpint (tg_player_get_position (v.player) - was, ==, frame);
    }
  g_assert_true (g_str_has_prefix (tg_player_view_get_time_text (v.view), "0:01.120 / "));

  gint64 was = tg_player_get_position (v.player);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_Left, 0);
  wait_settled (v.player);
  g_assert_cmpint (was - tg_player_get_position (v.player), ==, frame);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_j, 0);
  wait_settled (v.player);
  g_assert_cmpint (tg_player_get_position (v.player), ==, 1040 * MS);
  g_assert_true (g_str_has_prefix (tg_player_view_get_time_text (v.view), "0:01.040 / "));

  /* A click on the timeline seeks there. */
  g_signal_emit_by_name (tg_player_view_get_timeline (v.view), "seek", (gint64) 2000);
  wait_settled (v.player);
  g_assert_cmpint (tg_player_get_position (v.player), ==, 2000 * MS);
  seek_and_wait (v.player, 1040);

  /* The buttons' actions do the same. */
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.step-forward", NULL);
  wait_settled (v.player);
  g_assert_cmpint (tg_player_get_position (v.player), ==, 1080 * MS);
  close_view (&v);
}

/* Video position gained over about @ms of wall time. */
static double
measured_rate (TgPlayer *player,
               guint     ms)
{
  gint64 p0 = tg_player_get_position (player), t0 = g_get_monotonic_time ();
  th_player_spin (ms);
  gint64 p1 = tg_player_get_position (player), t1 = g_get_monotonic_time ();
  return (double) (p1 - p0) / (double) ((t1 - t0) * 1000);
}

/* L plays, and faster; J slower, down to a pause; the speed menu's action
 * picks a rate.  At 0.25× the position moves at about a quarter of the
 * wall clock. */
static void
test_slow_motion (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);

  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_l, 0);
  g_assert_true (tg_player_get_playing (v.player));
  g_assert_cmpfloat (tg_player_get_rate (v.player), ==, 1.0);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_j, 0);
  g_assert_cmpfloat (tg_player_get_rate (v.player), ==, 0.5);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_j, 0);
  g_assert_cmpfloat (tg_player_get_rate (v.player), ==, 0.25);
  wait_settled (v.player);
  Past p = { v.player, tg_player_get_position (v.player) + 40 * MS };
  g_assert_true (th_player_wait (position_past, &p, 5000));
  double rate = measured_rate (v.player, 800);
  g_test_message ("measured rate at 0.25x: %.3f", rate);
  g_assert_cmpfloat (rate, >, 0.1);
  g_assert_cmpfloat (rate, <, 0.4);

  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_j, 0);
  g_assert_false (tg_player_get_playing (v.player));

  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.rate", "d", 0.5);
  g_assert_cmpfloat (tg_player_get_rate (v.player), ==, 0.5);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_l, 0);
  g_assert_true (tg_player_get_playing (v.player));
  g_assert_cmpfloat (tg_player_get_rate (v.player), ==, 0.5);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_l, 0);
  g_assert_cmpfloat (tg_player_get_rate (v.player), ==, 1.0);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_k, 0);
  close_view (&v);
}

/* A comment with a drawing at a frame, made through the widgets: the tools
 * (arrow, circle, pen, text) in a colour from the colour button, the text
 * in the pane, the send button.  The server has it at that frame with
 * those shapes; the picture shows it there and not elsewhere. */
static void
test_comment_with_drawing (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);
  TgVideoArea *area = tg_player_view_get_video_area (v.view);
  TgReviewPanel *panel = tg_player_view_get_panel (v.view);
  seek_and_wait (v.player, 1000);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_Right, 0);
  wait_settled (v.player);
  g_assert_cmpint (tg_player_get_position (v.player), ==, 1040 * MS);
  guint before = count_in_view (&v, COACH_COLOR);

  /* The colour, as the colour button sets it. */
  GdkRGBA blue;
  g_assert_true (gdk_rgba_parse (&blue, COACH_HEX));
  GtkWidget *color_button = th_player_find_widget (GTK_WIDGET (v.view), GTK_TYPE_COLOR_BUTTON);
  g_assert_nonnull (color_button);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (color_button), &blue);
  g_signal_emit_by_name (color_button, "color-set");
  g_assert_true (gdk_rgba_equal (tg_video_area_get_color (area), &blue));

  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.tool", "s", "arrow");
  g_assert_cmpint (tg_video_area_get_tool (area), ==, TG_TOOL_ARROW);
  th_player_drag (area, 0.2, 0.8, 0.45, 0.55);
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.tool", "s", "circle");
  th_player_drag (area, 0.55, 0.2, 0.85, 0.5);
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.tool", "s", "freehand");
  th_player_drag (area, 0.1, 0.3, 0.3, 0.35);
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.tool", "s", "line");
  th_player_drag (area, 0.6, 0.8, 0.9, 0.8);
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.undo-shape", NULL);  /* not the line */
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.tool", "s", "text");
  double tx, ty;
  th_player_frame_point (area, 0.55, 0.62, &tx, &ty);
  tg_video_area_pointer_begin (area, tx, ty);
  tg_video_area_add_text (area, "Knees!");
  g_assert_cmpuint (tg_drawing_get_n_shapes (tg_video_area_get_edit_drawing (area)), ==, 4);
  g_assert_cmpuint (count_in_view (&v, COACH_COLOR), >, before + 200);

  /* Written and sent in the pane. */
  CountWait w = { &v, n_reviews (&v) + 1 };
  tg_review_panel_set_text (panel, "Drive the knees forward at the catch");
  tg_review_panel_send (panel);
  g_assert_true (th_player_wait (has_n_reviews, &w, 10000));
  g_assert_true (th_player_wait (panel_idle, &v, 10000));
  g_assert_cmpuint (tg_drawing_get_n_shapes (tg_video_area_get_edit_drawing (area)), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.tool", "s", "none");

  /* On the server: at the frame, with the shapes, in the colour. */
  g_autofree char *path = g_strdup_printf ("/assets/%s/videos/%s/reviews", mp4_asset, mp4_video);
  g_autoptr(ThResponse) list = th_request (ts, "GET", path, coach, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  guint n = th_json_len (list, "items");
  const char *id = NULL;
  for (guint i = 0; i < n && id == NULL; i++)
    {
      g_autofree char *author = g_strdup_printf ("items.%u.author.id", i);
      if (g_strcmp0 (th_json_str (list, author), coach_id) == 0)
        {
          g_autofree char *at = g_strdup_printf ("items.%u.at_ms", i);
          g_autofree char *text = g_strdup_printf ("items.%u.text", i);
          g_autofree char *shapes = g_strdup_printf ("items.%u.drawing.shapes", i);
          g_assert_cmpint (th_json_int (list, at), ==, 1040);
          g_assert_cmpstr (th_json_str (list, text), ==, "Drive the knees forward at the catch");
          g_assert_cmpuint (th_json_len (list, shapes), ==, 4);
          const char *kinds[] = { "arrow", "circle", "stroke", "text" };
          for (guint k = 0; k < 4; k++)
            {
              g_autofree char *kind = g_strdup_printf ("items.%u.drawing.shapes.%u.kind", i, k);
              g_autofree char *color = g_strdup_printf ("items.%u.drawing.shapes.%u.color", i, k);
              g_assert_cmpstr (th_json_str (list, kind), ==, kinds[k]);
              g_assert_cmpstr (th_json_str (list, color), ==, COACH_HEX);
            }
          g_autofree char *text_shape = g_strdup_printf ("items.%u.drawing.shapes.3.text", i);
          g_assert_cmpstr (th_json_str (list, text_shape), ==, "Knees!");
          g_autofree char *id_path = g_strdup_printf ("items.%u.id", i);
          id = th_json_str (list, id_path);
        }
    }
  g_assert_nonnull (id);

  /* Drawn from the saved review at its frame ... */
  g_assert_cmpuint (tg_video_area_get_n_drawings (area), >=, 1);
  guint shown = count_in_view (&v, COACH_COLOR);
  g_test_message ("drawing pixels: %u (picture alone: %u)", shown, before);
  g_assert_cmpuint (shown, >, before + 200);
  g_autofree char *shot = th_player_screenshot (GTK_WIDGET (v.view), "player-drawing");

  /* ... gone well after it, back when the playhead returns. */
  seek_and_wait (v.player, 2600);
  g_assert_cmpuint (count_in_view (&v, COACH_COLOR), <, before + 50);
  seek_and_wait (v.player, 1040);
  g_assert_cmpuint (count_in_view (&v, COACH_COLOR), >, before + 200);
  close_view (&v);
}

/* The admin's orange box shows at 2 s, as another reviewer sees it. */
static void
test_other_drawing (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);
  seek_and_wait (v.player, 500);
  guint away = count_in_view (&v, ADMIN_COLOR);
  seek_and_wait (v.player, ADMIN_AT_MS);
  guint there = count_in_view (&v, ADMIN_COLOR);
  g_test_message ("orange pixels: %u at the review, %u away from it", there, away);
  g_assert_cmpuint (there, >, away + 200);

  /* The review's time button jumps there too. */
  seek_and_wait (v.player, 0);
  g_signal_emit_by_name (tg_player_view_get_panel (v.view), "jump", (gint64) ADMIN_AT_MS);
  wait_settled (v.player);
  g_assert_cmpint (tg_player_get_position (v.player), ==, ADMIN_AT_MS * MS);
  close_view (&v);
}

/* A comment over a range (I and O), a reply to it, and deleting one's own
 * reply, each checked on the server. */
static void
test_range_reply_delete (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);
  TgReviewPanel *panel = tg_player_view_get_panel (v.view);

  seek_and_wait (v.player, 400);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_i, 0);
  seek_and_wait (v.player, 800);
  th_player_press_key (GTK_WIDGET (v.view), GDK_KEY_o, 0);
  CountWait w = { &v, n_reviews (&v) + 1 };
  tg_review_panel_set_text (panel, "The whole drive is rushed");
  tg_review_panel_send (panel);
  g_assert_true (th_player_wait (has_n_reviews, &w, 10000));
  g_assert_true (th_player_wait (panel_idle, &v, 10000));

  /* Find the thread and reply to it through the pane. */
  GListModel *reviews = tg_video_doc_get_reviews (tg_player_view_get_doc (v.view));
  g_autoptr(TgReview) range = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (reviews) && range == NULL; i++)
    {
      g_autoptr(TgReview) r = g_list_model_get_item (reviews, i);
      if (g_strcmp0 (tg_review_get_text (r), "The whole drive is rushed") == 0)
        range = g_object_ref (r);
    }
  g_assert_nonnull (range);
  g_assert_cmpint (tg_review_get_at_ms (range), ==, 400);
  g_assert_cmpint (tg_review_get_end_ms (range), ==, 800);

  tg_review_panel_reply_to (panel, range);
  tg_review_panel_set_text (panel, "Agreed, count it out");
  tg_review_panel_send (panel);
  g_assert_true (th_player_wait (panel_idle, &v, 10000));
  th_player_settle ();

  g_autofree char *path = g_strdup_printf ("/assets/%s/videos/%s/reviews", mp4_asset, mp4_video);
  g_autoptr(ThResponse) list = th_request (ts, "GET", path, coach, NULL);
  const char *reply_id = NULL;
  for (guint i = 0; i < th_json_len (list, "items"); i++)
    {
      g_autofree char *id = g_strdup_printf ("items.%u.id", i);
      if (g_strcmp0 (th_json_str (list, id), tg_review_get_id (range)) != 0)
        continue;
      g_autofree char *end = g_strdup_printf ("items.%u.end_ms", i);
      g_autofree char *replies = g_strdup_printf ("items.%u.replies", i);
      g_autofree char *reply_text = g_strdup_printf ("items.%u.replies.0.text", i);
      g_autofree char *reply_path = g_strdup_printf ("items.%u.replies.0.id", i);
      g_assert_cmpint (th_json_int (list, end), ==, 800);
      g_assert_cmpuint (th_json_len (list, replies), ==, 1);
      g_assert_cmpstr (th_json_str (list, reply_text), ==, "Agreed, count it out");
      reply_id = th_json_str (list, reply_path);
    }
  g_assert_nonnull (reply_id);

  /* Delete the reply (own) through the pane's signal, as its button does. */
  GListModel *replies = NULL;
  g_autoptr(TgReview) thread = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (reviews) && thread == NULL; i++)
    {
      g_autoptr(TgReview) r = g_list_model_get_item (reviews, i);
      if (g_strcmp0 (tg_review_get_id (r), tg_review_get_id (range)) == 0)
        thread = g_object_ref (r);
    }
  g_assert_nonnull (thread);
  replies = tg_review_get_replies (thread);
  g_assert_cmpuint (g_list_model_get_n_items (replies), ==, 1);
  g_autoptr(TgReview) reply = g_list_model_get_item (replies, 0);
  g_assert_true (tg_video_doc_can_delete (tg_player_view_get_doc (v.view), reply));
  g_signal_emit_by_name (panel, "delete", reply);
  g_autofree char *reply_url = g_strdup_printf ("%s/%s", path, reply_id);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean gone = FALSE;
  while (!gone && g_get_monotonic_time () < end)
    {
      th_player_spin (50);
      g_autoptr(ThResponse) again = th_request (ts, "GET", path, coach, NULL);
      gone = TRUE;
      for (guint i = 0; i < th_json_len (again, "items"); i++)
        {
          g_autofree char *id = g_strdup_printf ("items.%u.id", i);
          g_autofree char *n_replies = g_strdup_printf ("items.%u.replies", i);
          if (g_strcmp0 (th_json_str (again, id), tg_review_get_id (range)) == 0 && th_json_len (again, n_replies) > 0)
            gone = FALSE;
        }
    }
  g_assert_true (gone);
  close_view (&v);
}

static gboolean
can_finalize (gpointer data)
{
  return tg_video_doc_get_can_finalize (data);
}

static gboolean
finalized (gpointer data)
{
  return g_strcmp0 (tg_video_doc_get_asset_status (data), "completed") == 0;
}

/* The coach marks the asset reviewed; the student could not. */
static void
test_mark_reviewed (void)
{
  View s = { 0 };
  open_view (&s, student, webm_asset, webm_video);
  g_assert_cmpstr (tg_video_doc_get_asset_status (tg_player_view_get_doc (s.view)), ==, "pending");
  g_assert_false (tg_video_doc_get_can_finalize (tg_player_view_get_doc (s.view)));
  close_view (&s);

  View v = { 0 };
  open_view (&v, coach, webm_asset, webm_video);
  TgVideoDoc *doc = tg_player_view_get_doc (v.view);
  g_assert_true (th_player_wait (can_finalize, doc, 5000));
  gtk_widget_activate_action (GTK_WIDGET (v.view), "player.mark-reviewed", NULL);
  g_assert_true (th_player_wait (finalized, doc, 10000));
  g_autofree char *path = g_strdup_printf ("/assets/%s", webm_asset);
  g_autoptr(ThResponse) asset = th_request (ts, "GET", path, coach, NULL);
  g_assert_cmpstr (th_json_str (asset, "status"), ==, "completed");
  close_view (&v);
}

/* A playback link that fails (they expire after an hour): the view asks
 * for a new one and goes on from the frame it showed. */
static void
test_link_refresh (void)
{
  View v = { 0 };
  open_view (&v, coach, mp4_asset, mp4_video);
  seek_and_wait (v.player, 1200);
  tg_player_set_uri (v.player, "http://127.0.0.1:9/videos/gone/stream");
  th_player_spin (200);
  g_assert_true (th_player_wait (view_ready, v.view, 15000));
  wait_settled (v.player);
  g_assert_cmpstr (tg_player_get_uri (v.player), ==, tg_video_doc_get_playback_uri (tg_player_view_get_doc (v.view)));
  g_assert_cmpint (tg_player_get_position (v.player), ==, 1200 * MS);
  close_view (&v);
}

static gboolean
no_playback (gpointer data)
{
  return tg_video_doc_get_playback_uri (data) == NULL;
}

/* A video that does not exist: the view says so and stays usable. */
static void
test_missing_video (void)
{
  g_autoptr(TandemApiClient) client = client_for (coach);
  g_autofree char *nobody = g_uuid_string_random ();
  TgPlayerView *view = tg_player_view_new (client, mp4_asset, nobody);
  GtkWindow *window = th_player_window (GTK_WIDGET (view), 900, 600);
  th_player_spin (1500);
  g_assert_true (no_playback (tg_player_view_get_doc (view)));
  g_assert_false (tg_player_view_get_ready (view));
  gtk_widget_activate_action (GTK_WIDGET (view), "player.toggle-play", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "player.step-forward", NULL);
  th_player_settle ();
  g_autofree char *shot = th_player_screenshot (GTK_WIDGET (view), "player-missing");
  th_player_close (window);
}

static gboolean
compare_ready (gpointer data)
{
  return tg_compare_view_get_ready (data);
}

static void
wait_both (TgCompareView *view)
{
  wait_settled (tg_compare_view_get_player (view, 0));
  wait_settled (tg_compare_view_get_player (view, 1));
}

/* Two videos: stepped apart to their sync frames, stepped together by
 * one frame each, played together at the sync offset, and overlaid. */
static void
test_compare (void)
{
  g_autoptr(TandemApiClient) client = client_for (coach);
  TgCompareView *view = tg_compare_view_new (client, mp4_asset, mp4_video, webm_asset, webm_video);
  GtkWindow *window = th_player_window (GTK_WIDGET (view), 1280, 600);
  g_assert_true (th_player_wait (compare_ready, view, 20000));
  TgPlayer *a = tg_compare_view_get_player (view, 0), *b = tg_compare_view_get_player (view, 1);
  wait_both (view);

  /* Sync frames: the 5th of the first video, the 3rd of the second. */
  for (int i = 0; i < 5; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (view), "compare.step-a-forward", NULL);
      wait_settled (a);
    }
  for (int i = 0; i < 3; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (view), "compare.step-b-forward", NULL);
      wait_settled (b);
    }
  g_assert_cmpint (tg_player_get_position (a), ==, 200 * MS);
  g_assert_cmpint (ABS (tg_player_get_position (b) - 100 * MS), <=, MS);
  gtk_widget_activate_action (GTK_WIDGET (view), "compare.sync-a", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "compare.sync-b", NULL);

  /* Together: one frame each (40 ms and 33.3 ms), forward and back. */
  gint64 a0 = tg_player_get_position (a), b0 = tg_player_get_position (b);
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_Right, 0);
  wait_both (view);
  g_assert_cmpint (tg_player_get_position (a) - a0, ==, 40 * MS);
  g_assert_cmpint (ABS (tg_player_get_position (b) - b0 - GST_SECOND / 30), <=, MS);
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_Left, 0);
  wait_both (view);
  g_assert_cmpint (tg_player_get_position (a), ==, a0);
  g_assert_cmpint (ABS (tg_player_get_position (b) - b0), <=, MS);

  /* Played together from elsewhere: the second keeps the sync offset. */
  tg_player_seek (a, 600 * MS);
  wait_settled (a);
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_space, 0);
  g_assert_true (tg_player_get_playing (a) && tg_player_get_playing (b));
  Past p = { a, 1000 * MS };
  g_assert_true (th_player_wait (position_past, &p, 5000));
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_space, 0);
  wait_both (view);
  gint64 want = tg_compare_view_partner_position (view, tg_player_get_position (a));
  g_test_message ("after playing: first at %" G_GINT64_FORMAT " ms, second at %" G_GINT64_FORMAT
                  " ms (wanted %" G_GINT64_FORMAT ")", tg_player_get_position (a) / MS,
                  tg_player_get_position (b) / MS, want / MS);
  g_assert_cmpint (ABS (tg_player_get_position (b) - want), <, 150 * MS);

  /* One rate for both. */
  gtk_widget_activate_action (GTK_WIDGET (view), "compare.rate", "d", 0.5);
  g_assert_cmpfloat (tg_player_get_rate (a), ==, 0.5);
  g_assert_cmpfloat (tg_player_get_rate (b), ==, 0.5);
  gtk_widget_activate_action (GTK_WIDGET (view), "compare.rate", "d", 1.0);
  g_assert_cmpfloat (tg_player_get_rate (b), ==, 1.0);

  /* Go to the sync frames. */
  gtk_widget_activate_action (GTK_WIDGET (view), "compare.align", NULL);
  wait_both (view);
  g_assert_cmpint (tg_player_get_position (a), ==, a0);
  g_assert_cmpint (ABS (tg_player_get_position (b) - b0), <=, MS);
  g_autofree char *side = th_player_screenshot (GTK_WIDGET (view), "compare-side-by-side");

  /* Overlay: the ball video (mostly black) over the bars. */
  gtk_widget_activate_action (GTK_WIDGET (view), "compare.mode", "s", "overlay");
  g_assert_cmpint (tg_compare_view_get_mode (view), ==, TG_COMPARE_OVERLAY);
  TgVideoArea *overlay = tg_compare_view_get_overlay_area (view);
  th_player_settle ();
  tg_compare_view_set_opacity (view, 0.0);
  th_player_settle ();
  g_autoptr(GdkTexture) bars = th_player_render (GTK_WIDGET (overlay));
  tg_compare_view_set_opacity (view, 1.0);
  th_player_settle ();
  g_autoptr(GdkTexture) ball = th_player_render (GTK_WIDGET (overlay));
  graphene_rect_t frame;
  tg_video_area_get_frame_rect (overlay, &frame);
  guint dark_bars = th_player_count_color (bars, 0x000000, 20, &frame);
  guint dark_ball = th_player_count_color (ball, 0x000000, 20, &frame);
  g_test_message ("black pixels: %u with the bars alone, %u with the second video opaque", dark_bars, dark_ball);
  g_assert_cmpuint (dark_ball, >, dark_bars + 1000);
  tg_compare_view_set_opacity (view, 0.5);
  g_assert_cmpfloat (tg_video_area_get_overlay_opacity (overlay), ==, 0.5);
  th_player_settle ();
  g_autofree char *over = th_player_screenshot (GTK_WIDGET (view), "compare-overlay");

  th_player_close (window);
}

int
main (int    argc,
      char **argv)
{
  /* gtk_test_init() is g_test_init() with a display; runs on SQLite
   * (see meson.build), so th_init()'s PostgreSQL check is not needed. */
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  if (!th_media_available (TH_MEDIA_MP4_H264_AAC) || !th_media_available (TH_MEDIA_WEBM_VP8_OPUS))
    {
      g_print ("1..0 # SKIP the encoders for the test videos are not installed\n");
      return 0;
    }

  g_autoptr(GError) error = NULL;
  media_dir = g_dir_make_tmp ("tandem-player-XXXXXX", &error);
  g_assert_no_error (error);
  set_up_server ();

  g_test_add_func ("/player/view/load", test_load);
  g_test_add_func ("/player/view/play-pause", test_play_pause);
  g_test_add_func ("/player/view/step-keys", test_step_keys);
  g_test_add_func ("/player/view/slow-motion", test_slow_motion);
  g_test_add_func ("/player/view/comment-with-drawing", test_comment_with_drawing);
  g_test_add_func ("/player/view/other-drawing", test_other_drawing);
  g_test_add_func ("/player/view/range-reply-delete", test_range_reply_delete);
  g_test_add_func ("/player/view/mark-reviewed", test_mark_reviewed);
  g_test_add_func ("/player/view/missing-video", test_missing_video);
  g_test_add_func ("/player/view/link-refresh", test_link_refresh);
  g_test_add_func ("/player/compare", test_compare);

  int status = g_test_run ();
  th_server_stop (ts);
  th_player_remove_tree (media_dir);
  g_free (media_dir);
  return status;
}
