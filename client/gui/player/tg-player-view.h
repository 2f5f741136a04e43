/* tg-player-view.h — the review player: a video of an asset with its
 * timeline (strip, review markers), playback controls (play/pause, frame
 * steps, slow motion), the drawing tools and the comment pane.
 *
 * Keys (while the focus is in the view and not in a text field):
 *   Space       play / pause
 *   K           pause
 *   L           play; when playing, faster (0.25× → 0.5× → 1× → 2×)
 *   J           when playing, slower (and pause below 0.25×); when paused,
 *               one frame back
 *   Left/Right  one frame back / forward
 *   I / O       start / end the range a new comment is about
 *   Ctrl+Z      undo the last shape drawn
 *
 * Actions (group "player"): toggle-play, play, pause, faster, slower,
 * step-forward, step-back, mark-in, mark-out, clear-range, undo-shape,
 * clear-drawing, mark-reviewed, and the stateful rate (d) and tool (s:
 * none, freehand, line, arrow, circle, rect, text).
 *
 * Everything it needs comes from the server through the TandemApiClient it
 * is given, asynchronously; failures are shown as toasts or in place of
 * the picture, never by closing. */
#pragma once

#include <gtk/gtk.h>

#include "tandem-api-client.h"
#include "tg-player.h"
#include "tg-review-panel.h"
#include "tg-timeline.h"
#include "tg-video-area.h"
#include "tg-video-doc.h"

G_BEGIN_DECLS

#define TG_TYPE_PLAYER_VIEW (tg_player_view_get_type ())

G_DECLARE_FINAL_TYPE (TgPlayerView, tg_player_view, TG, PLAYER_VIEW, GtkWidget)

/* A view of video @video_id of asset @asset_id; starts loading at once. */
TgPlayerView  *tg_player_view_new                    (TandemApiClient *client,
                                                      const char      *asset_id,
                                                      const char      *video_id);

/* The video and its reviews are loaded and the first frame is shown. */
gboolean       tg_player_view_get_ready              (TgPlayerView *self);

/* Whether the view shows its own "Mark Reviewed" button (when the user
 * may finalize); an app with its own button turns it off.  TRUE by
 * default.  The action works either way. */
void           tg_player_view_set_show_mark_reviewed (TgPlayerView *self,
                                                      gboolean      show);

TgPlayer      *tg_player_view_get_player             (TgPlayerView *self);
TgVideoDoc    *tg_player_view_get_doc                (TgPlayerView *self);
TgVideoArea   *tg_player_view_get_video_area         (TgPlayerView *self);
TgTimeline    *tg_player_view_get_timeline           (TgPlayerView *self);
TgReviewPanel *tg_player_view_get_panel              (TgPlayerView *self);

/* The position on screen in ms (-1 before the first frame). */
gint64         tg_player_view_get_position_ms        (TgPlayerView *self);
/* The time label's text ("0:01.040 / 0:03.000"). */
const char    *tg_player_view_get_time_text          (TgPlayerView *self);

G_END_DECLS
