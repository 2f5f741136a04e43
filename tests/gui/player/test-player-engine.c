/* test-player-engine.c — TgPlayer and TgVideoPaintable on real files made
 * with GStreamer test sources (tests/common/th-media): the first frame
 * prerolls into the paintable, frame steps forward and back move by
 * exactly one frame (MP4 with exact timestamps, WebM with millisecond
 * ones), seeks and steps issued while one is under way merge, playback
 * advances, slow motion advances at its rate, the end is reported and play
 * starts over, and a file that cannot be played gives an "error" signal
 * and leaves the player usable.  Runs under run-gui-test.sh (Xvfb). */
#include "th-player-gui.h"
#include "th-media.h"

#include "tg-player.h"

#include <gst/gst.h>

#define MS GST_MSECOND

static char *media_dir;

typedef struct {
  TgPlayer *player;
  GError *error;
  guint frames;           /* position notifications */
} Fixture;

static void
on_error (TgPlayer     *player,
          const GError *error,
          Fixture      *f)
{
  g_clear_error (&f->error);
  f->error = g_error_copy (error);
}

static void
on_position (TgPlayer   *player,
             GParamSpec *pspec,
             Fixture    *f)
{
  f->frames++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->player = tg_player_new ();
  g_signal_connect (f->player, "error", G_CALLBACK (on_error), f);
  g_signal_connect (f->player, "notify::position", G_CALLBACK (on_position), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->player);
  g_clear_error (&f->error);
  /* Let the player's last idles run. */
  th_player_settle ();
}

static gboolean
settled (gpointer data)
{
  Fixture *f = data;
  return f->error != NULL || (tg_player_get_ready (f->player) && !tg_player_get_busy (f->player));
}

/* Waits until the player shows a frame and no seek or step is under way. */
static void
wait_settled (Fixture *f)
{
  g_assert_true (th_player_wait (settled, f, 10000));
  g_assert_no_error (f->error);
}

/* Opens a test video of @kind; FALSE (the test skipped) when its encoders
 * are not installed. */
static gboolean
open_kind (Fixture     *f,
           ThMediaKind  kind)
{
  if (!th_media_available (kind))
    {
      g_test_skip ("the encoders for this test video are not installed");
      return FALSE;
    }
  g_autofree char *path = th_media_make (media_dir, kind);
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  tg_player_set_uri (f->player, uri);
  wait_settled (f);
  return TRUE;
}

static gboolean
has_duration (gpointer data)
{
  return tg_player_get_duration (data) > 0;
}

/* The first frame is prerolled, paused, into the paintable. */
static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  if (!open_kind (f, TH_MEDIA_MP4_H264_AAC))
    return;
  const ThMediaSpec *spec = th_media_spec (TH_MEDIA_MP4_H264_AAC);

  g_assert_cmpint (tg_player_get_position (f->player), ==, 0);
  g_assert_false (tg_player_get_playing (f->player));
  g_assert_cmpint (tg_player_get_frame_duration (f->player), ==, 40 * MS);
  g_assert_true (th_player_wait (has_duration, f->player, 5000));
  gint64 duration = tg_player_get_duration (f->player);
  g_assert_cmpint (duration, >=, (spec->duration_ms - 100) * MS);
  g_assert_cmpint (duration, <=, (spec->duration_ms + 100) * MS);

  GdkPaintable *picture = GDK_PAINTABLE (tg_player_get_paintable (f->player));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (picture), ==, spec->width);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (picture), ==, spec->height);
  GdkTexture *texture = tg_video_paintable_get_texture (tg_player_get_paintable (f->player));
  g_assert_nonnull (texture);
  /* SMPTE bars: the top-left bar is light grey (192, 192, 192). */
  guint32 pixel = th_player_pixel (texture, 5, 5);
  g_assert_cmpuint ((pixel >> 16) & 0xff, >, 150);
  g_assert_cmpuint (pixel & 0xff, >, 150);
}

static void
step_and_wait (Fixture *f,
               int      frames)
{
  tg_player_step (f->player, frames);
  g_assert_true (tg_player_get_busy (f->player) || frames < 0);
  wait_settled (f);
}

/* Steps on the MP4 (25 fps, exact timestamps): exactly 40 ms each way. */
static void
test_step_exact (Fixture       *f,
                 gconstpointer  data)
{
  if (!open_kind (f, TH_MEDIA_MP4_H264_AAC))
    return;
  gint64 frame = tg_player_get_frame_duration (f->player);
  g_assert_cmpint (frame, ==, 40 * MS);

  GdkTexture *before = g_object_ref (tg_video_paintable_get_texture (tg_player_get_paintable (f->player)));
  for (int i = 1; i <= 4; i++)
    {
      gint64 was = tg_player_get_position (f->player);
      step_and_wait (f, 1);
      g_assert_cmpint (tg_player_get_position (f->player) - was, ==, frame);
      g_assert_cmpint (tg_player_get_position (f->player), ==, i * frame);
    }
  /* Every step showed a new frame. */
  g_assert_true (tg_video_paintable_get_texture (tg_player_get_paintable (f->player)) != before);
  g_object_unref (before);

  for (int i = 3; i >= 1; i--)
    {
      gint64 was = tg_player_get_position (f->player);
      step_and_wait (f, -1);
      g_assert_cmpint (was - tg_player_get_position (f->player), ==, frame);
      g_assert_cmpint (tg_player_get_position (f->player), ==, i * frame);
    }

  /* In the middle of the video, across a keyframe interval (12 frames). */
  tg_player_seek (f->player, 1000 * MS);
  wait_settled (f);
  g_assert_cmpint (tg_player_get_position (f->player), ==, 1000 * MS);
  step_and_wait (f, -1);
  g_assert_cmpint (tg_player_get_position (f->player), ==, 960 * MS);
  step_and_wait (f, 1);
  g_assert_cmpint (tg_player_get_position (f->player), ==, 1000 * MS);
  step_and_wait (f, -5);
  g_assert_cmpint (tg_player_get_position (f->player), ==, 800 * MS);

  /* Before the first frame there is nothing: stepping back stays there. */
  tg_player_seek (f->player, 0);
  wait_settled (f);
  step_and_wait (f, -1);
  g_assert_cmpint (tg_player_get_position (f->player), ==, 0);
}

/* Steps on a WebM (30 fps, timestamps in whole milliseconds): one frame
 * each time, within a millisecond of the frame grid. */
static void
test_step_webm (Fixture       *f,
                gconstpointer  data)
{
  if (!open_kind (f, TH_MEDIA_WEBM_VP8_OPUS))
    return;
  gint64 frame = tg_player_get_frame_duration (f->player);
  g_assert_cmpint (frame, ==, GST_SECOND / 30);

  for (int i = 1; i <= 6; i++)
    {
      step_and_wait (f, 1);
      gint64 expected = (gint64) gst_util_uint64_scale (i, GST_SECOND, 30);
      g_assert_cmpint (ABS (tg_player_get_position (f->player) - expected), <=, MS);
    }
  for (int i = 5; i >= 2; i--)
    {
      step_and_wait (f, -1);
      gint64 expected = (gint64) gst_util_uint64_scale (i, GST_SECOND, 30);
      g_assert_cmpint (ABS (tg_player_get_position (f->player) - expected), <=, MS);
    }
}

/* Requests made while a seek runs wait for it: the last seek wins and
 * steps after it add up. */
static void
test_queued (Fixture       *f,
             gconstpointer  data)
{
  if (!open_kind (f, TH_MEDIA_MP4_H264_AAC))
    return;
  tg_player_seek (f->player, 2000 * MS);
  g_assert_true (tg_player_get_busy (f->player));
  tg_player_seek (f->player, 400 * MS);
  tg_player_seek (f->player, 1200 * MS);
  tg_player_step (f->player, 1);
  tg_player_step (f->player, 1);
  tg_player_step (f->player, -1);
  wait_settled (f);
  g_assert_cmpint (tg_player_get_position (f->player), ==, 1240 * MS);
}

typedef struct {
  Fixture *f;
  gint64 from;
  gint64 until;
} Advance;

static gboolean
advanced_past (gpointer data)
{
  Advance *a = data;
  return tg_player_get_position (a->f->player) >= a->until;
}

/* Playback advances in real time; slow motion advances at its rate (the
 * position over wall time, with room for a loaded machine); pausing
 * stops it. */
static void
test_play_and_rate (Fixture       *f,
                    gconstpointer  data)
{
  if (!open_kind (f, TH_MEDIA_MP4_H264_AAC))
    return;

  tg_player_play (f->player);
  g_assert_true (tg_player_get_playing (f->player));
  Advance a = { f, 0, 400 * MS };
  g_assert_true (th_player_wait (advanced_past, &a, 5000));

  tg_player_pause (f->player);
  wait_settled (f);
  g_assert_false (tg_player_get_playing (f->player));
  gint64 paused_at = tg_player_get_position (f->player);
  th_player_spin (200);
  g_assert_cmpint (tg_player_get_position (f->player), ==, paused_at);

  /* Back to 0.2 s, then at 0.5x: over about 0.6 s of wall time the
   * position must move by roughly half of that.  Measured from the first
   * frame after the seek so that the seek itself does not count. */
  tg_player_seek (f->player, 200 * MS);
  wait_settled (f);
  tg_player_set_rate (f->player, 0.5);
  g_assert_cmpfloat (tg_player_get_rate (f->player), ==, 0.5);
  tg_player_play (f->player);
  wait_settled (f);
  a.until = tg_player_get_position (f->player) + 80 * MS;
  g_assert_true (th_player_wait (advanced_past, &a, 5000));
  gint64 start_pos = tg_player_get_position (f->player);
  gint64 start_time = g_get_monotonic_time ();
  th_player_spin (600);
  gint64 moved = tg_player_get_position (f->player) - start_pos;
  gint64 wall = (g_get_monotonic_time () - start_time) * 1000;
  g_test_message ("at 0.5x: %" G_GINT64_FORMAT " ms of video in %" G_GINT64_FORMAT " ms",
                  moved / MS, wall / MS);
  g_assert_cmpint (moved, >, wall * 3 / 10);
  g_assert_cmpint (moved, <, wall * 7 / 10);

  tg_player_set_rate (f->player, 0.25);
  wait_settled (f);
  start_pos = tg_player_get_position (f->player);
  start_time = g_get_monotonic_time ();
  th_player_spin (600);
  moved = tg_player_get_position (f->player) - start_pos;
  wall = (g_get_monotonic_time () - start_time) * 1000;
  g_test_message ("at 0.25x: %" G_GINT64_FORMAT " ms of video in %" G_GINT64_FORMAT " ms",
                  moved / MS, wall / MS);
  g_assert_cmpint (moved, >, wall / 10);
  g_assert_cmpint (moved, <, wall * 4 / 10);
  tg_player_pause (f->player);
  wait_settled (f);

  /* The rates of the J/K/L keys. */
  g_assert_cmpfloat (tg_player_rate_slower (1.0), ==, 0.5);
  g_assert_cmpfloat (tg_player_rate_slower (0.25), ==, 0.25);
  g_assert_cmpfloat (tg_player_rate_faster (0.5), ==, 1.0);
  g_assert_cmpfloat (tg_player_rate_faster (2.0), ==, 2.0);
}

static gboolean
ended (gpointer data)
{
  return tg_player_get_ended (data);
}

/* Playing to the end reports it; play starts over from the beginning. */
static void
test_end (Fixture       *f,
          gconstpointer  data)
{
  if (!open_kind (f, TH_MEDIA_MP4_H264_AAC))
    return;
  g_assert_true (th_player_wait (has_duration, f->player, 5000));
  tg_player_seek (f->player, tg_player_get_duration (f->player) - 200 * MS);
  wait_settled (f);
  tg_player_play (f->player);
  g_assert_true (th_player_wait (ended, f->player, 5000));
  g_assert_false (tg_player_get_playing (f->player));

  tg_player_play (f->player);
  g_assert_false (tg_player_get_ended (f->player));
  wait_settled (f);
  g_assert_cmpint (tg_player_get_position (f->player), <, 500 * MS);
  Advance a = { f, 0, 80 * MS };
  g_assert_true (th_player_wait (advanced_past, &a, 5000));
  g_assert_cmpint (tg_player_get_position (f->player), <, 1500 * MS);
  tg_player_pause (f->player);
}

static gboolean
has_error (gpointer data)
{
  return ((Fixture *) data)->error != NULL;
}

/* Not a video: an error signal, no crash, and the player plays the next
 * URI it is given. */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *text = th_media_make (media_dir, TH_MEDIA_TEXT);
  g_autofree char *uri = gst_filename_to_uri (text, NULL);
  tg_player_set_uri (f->player, uri);
  g_assert_true (th_player_wait (has_error, f, 10000));
  g_test_message ("error: %s", f->error->message);
  g_assert_false (tg_player_get_ready (f->player));
  tg_player_step (f->player, 1);
  tg_player_play (f->player);
  g_assert_false (tg_player_get_playing (f->player));

  tg_player_set_uri (f->player, "file:///nonexistent/tandem-video.mp4");
  g_clear_error (&f->error);
  g_assert_true (th_player_wait (has_error, f, 10000));
  g_clear_error (&f->error);

  if (!open_kind (f, TH_MEDIA_WEBM_VP8_OPUS))
    return;
  g_assert_true (tg_player_get_ready (f->player));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_autoptr(GError) error = NULL;
  media_dir = g_dir_make_tmp ("tandem-player-XXXXXX", &error);
  g_assert_no_error (error);

#define ADD(path, fn) g_test_add ("/player/engine/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("open", test_open);
  ADD ("step-exact", test_step_exact);
  ADD ("step-webm", test_step_webm);
  ADD ("queued", test_queued);
  ADD ("play-and-rate", test_play_and_rate);
  ADD ("end", test_end);
  ADD ("error", test_error);
#undef ADD

  int status = g_test_run ();
  th_player_remove_tree (media_dir);
  g_free (media_dir);
  return status;
}
