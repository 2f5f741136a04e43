/* tg-timeline.h — the scrubbing strip under the video: small frames of
 * the whole video (the server's timeline strip), a marker at each review
 * (a span for a range), the range being marked for a new comment, and
 * the playhead.  A click or a drag asks to seek ("seek" with the position
 * in ms); the arrow keys step through the frames in the player, not
 * here. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TG_TYPE_TIMELINE (tg_timeline_get_type ())

G_DECLARE_FINAL_TYPE (TgTimeline, tg_timeline, TG, TIMELINE, GtkWidget)

GtkWidget *tg_timeline_new           (void);

void       tg_timeline_set_duration  (TgTimeline *self,
                                      gint64      duration_ms);
gint64     tg_timeline_get_duration  (TgTimeline *self);
void       tg_timeline_set_position  (TgTimeline *self,
                                      gint64      position_ms);
gint64     tg_timeline_get_position  (TgTimeline *self);

/* The strip picture and its layout (see tg-video-doc.h); NULL clears it. */
void       tg_timeline_set_strip     (TgTimeline *self,
                                      GdkTexture *strip,
                                      guint       frames,
                                      guint       interval_ms,
                                      guint       columns);

/* Markers: removes all, then adds one at @at_ms (to @end_ms when >= 0). */
void       tg_timeline_clear_markers (TgTimeline *self);
void       tg_timeline_add_marker    (TgTimeline *self,
                                      gint64      at_ms,
                                      gint64      end_ms);
guint      tg_timeline_get_n_markers (TgTimeline *self);

/* The range marked for a new comment; -1 for an unset end. */
void       tg_timeline_set_selection (TgTimeline *self,
                                      gint64      in_ms,
                                      gint64      out_ms);

/* The position at @x (widget coordinates), and back. */
gint64     tg_timeline_position_at   (TgTimeline *self,
                                      double      x);
double     tg_timeline_x_of          (TgTimeline *self,
                                      gint64      position_ms);

G_END_DECLS
