/* tg-player.h — the playback engine of the review player.
 *
 * One TgPlayer plays one URI (the signed playback link of a video) through
 * playbin, with an appsink (BGRA) as its video sink: every frame becomes a
 * GdkTexture shown by the player's TgVideoPaintable.  Positions and
 * durations are in nanoseconds of stream time.
 *
 * Frame accuracy: the position is the timestamp of the frame on screen, not
 * a clock reading.  tg_player_step() moves by whole frames: forward with a
 * step event (the next decoded frame, exactly; right after a seek, whose
 * frame may start before its target, by a seek to the next frame of the
 * grid), backward with an accurate flushing seek to the previous frame's
 * time on the grid that the frame rate in the caps defines.  Seeks and steps are asynchronous; while one is
 * under way the player is "busy" and later requests wait and merge (the
 * last seek wins, steps add up), so scrubbing never floods the pipeline.
 *
 * Rates are 0.25, 0.5, 1 and 2 (slow motion is a rate seek); the sound is
 * muted at any rate but 1.
 *
 * Requests are announced before they are carried out, so that another
 * player can follow this one (review together): "seek-requested" (gint64
 * position, clamped) and "step-requested" (int frames); play, pause and
 * rate changes show as notify::playing and notify::rate, at once.
 *
 * Errors (no playbin, a URI that cannot be read or decoded) are reported
 * through the "error" signal with a GError, never by aborting; the player
 * stays usable for another URI.  A TgPlayer lives on the thread that made
 * it: signals and notifications come in that thread's main context. */
#pragma once

#include <gtk/gtk.h>

#include "tg-video-paintable.h"

G_BEGIN_DECLS

#define TG_PLAYER_ERROR (tg_player_error_quark ())

typedef enum {
  TG_PLAYER_ERROR_MISSING_ELEMENT,  /* a GStreamer element is not installed */
  TG_PLAYER_ERROR_STATE,            /* the pipeline refused to change state */
} TgPlayerError;

GQuark tg_player_error_quark (void);

#define TG_TYPE_PLAYER (tg_player_get_type ())

G_DECLARE_FINAL_TYPE (TgPlayer, tg_player, TG, PLAYER, GObject)

TgPlayer         *tg_player_new                (void);

/* Open @uri (NULL closes): the pipeline prerolls and shows the first frame,
 * paused.  Errors come through "error". */
void              tg_player_set_uri            (TgPlayer   *self,
                                                const char *uri);
const char       *tg_player_get_uri            (TgPlayer   *self);

/* The picture; the same object for the player's whole life. */
TgVideoPaintable *tg_player_get_paintable      (TgPlayer   *self);

void              tg_player_play               (TgPlayer   *self);
void              tg_player_pause              (TgPlayer   *self);
void              tg_player_toggle             (TgPlayer   *self);
gboolean          tg_player_get_playing        (TgPlayer   *self);

/* One of 0.25, 0.5, 1.0, 2.0 (other values are clamped to the nearest). */
void              tg_player_set_rate           (TgPlayer   *self,
                                                double      rate);
double            tg_player_get_rate           (TgPlayer   *self);
/* The next slower or faster rate of the list, or @rate itself at its end. */
double            tg_player_rate_slower        (double      rate);
double            tg_player_rate_faster        (double      rate);

/* No sound (the sound is also off at any rate but 1). */
void              tg_player_set_muted          (TgPlayer   *self,
                                                gboolean    muted);
gboolean          tg_player_get_muted          (TgPlayer   *self);

/* Accurate seek to @position (clamped into the video). */
void              tg_player_seek               (TgPlayer   *self,
                                                gint64      position);
/* @frames whole frames forward (> 0) or back (< 0); pauses first. */
void              tg_player_step               (TgPlayer   *self,
                                                int         frames);

/* Stream time of the frame on screen, or -1 before the first frame. */
gint64            tg_player_get_position       (TgPlayer   *self);
/* -1 while unknown. */
gint64            tg_player_get_duration       (TgPlayer   *self);
/* One frame's duration from the negotiated frame rate, or -1 (unknown or
 * variable frame rate). */
gint64            tg_player_get_frame_duration (TgPlayer   *self);
/* A seek or a step is under way. */
gboolean          tg_player_get_busy           (TgPlayer   *self);
/* A frame has been shown since the URI was set. */
gboolean          tg_player_get_ready          (TgPlayer   *self);
/* The last frame was reached while playing. */
gboolean          tg_player_get_ended          (TgPlayer   *self);

G_END_DECLS
