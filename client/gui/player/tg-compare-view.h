/* tg-compare-view.h — two videos at once, the way a coach puts a
 * student's movement beside a model's: side by side, or the second over
 * the first at an adjustable opacity.
 *
 * Each side can be stepped on its own to find the frame where the
 * movements line up; "Sync Here" remembers that frame for the side.  From
 * then on both play and step together: at the same rate, frame for frame,
 * the second video kept at (first position − first sync frame + second
 * sync frame).  The second video is silent.
 *
 * Keys: Space plays/pauses both, Left/Right step both.
 * Actions (group "compare"): toggle-play, step-forward, step-back,
 * step-a-forward, step-a-back, step-b-forward, step-b-back, sync-a,
 * sync-b, align, and the stateful rate (d) and mode (s: side, overlay). */
#pragma once

#include <gtk/gtk.h>

#include "tandem-api-client.h"
#include "tg-player.h"
#include "tg-video-area.h"

G_BEGIN_DECLS

#define TG_TYPE_COMPARE_VIEW (tg_compare_view_get_type ())

G_DECLARE_FINAL_TYPE (TgCompareView, tg_compare_view, TG, COMPARE_VIEW, GtkWidget)

typedef enum {
  TG_COMPARE_SIDE_BY_SIDE,
  TG_COMPARE_OVERLAY,
} TgCompareMode;

#define TG_TYPE_COMPARE_MODE (tg_compare_mode_get_type ())
GType tg_compare_mode_get_type (void) G_GNUC_CONST;

/* Compares video @video_a of asset @asset_a with video @video_b of asset
 * @asset_b; starts loading both at once. */
TgCompareView *tg_compare_view_new              (TandemApiClient *client,
                                                 const char      *asset_a,
                                                 const char      *video_a,
                                                 const char      *asset_b,
                                                 const char      *video_b);

/* Both videos show their first frame. */
gboolean       tg_compare_view_get_ready        (TgCompareView *self);

/* 0: the first video, 1: the second. */
TgPlayer      *tg_compare_view_get_player       (TgCompareView *self,
                                                 guint          side);
TgVideoArea   *tg_compare_view_get_overlay_area (TgCompareView *self);

void           tg_compare_view_set_mode         (TgCompareView *self,
                                                 TgCompareMode  mode);
TgCompareMode  tg_compare_view_get_mode         (TgCompareView *self);
void           tg_compare_view_set_opacity      (TgCompareView *self,
                                                 double         opacity);

/* The sync frame of @side is the frame it shows now. */
void           tg_compare_view_sync_here        (TgCompareView *self,
                                                 guint          side);
/* Where the second video belongs while the first shows @position_a (ns). */
gint64         tg_compare_view_partner_position (TgCompareView *self,
                                                 gint64         position_a);

G_END_DECLS
