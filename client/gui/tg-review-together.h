/* tg-review-together.h — review together: keeps the review player of this
 * app and the one of the other side of a call on the same frame, over
 * the call's "review" data channel (TcReviewSync, tc-review-sync.h).
 *
 * What the user does with the player goes out as it happens: play and
 * pause (with the position), seeks, rate changes, frame steps (the
 * player's notify::playing, notify::rate, "seek-requested" and
 * "step-requested"), and the shapes drawn (the video area's "changed":
 * the whole edit drawing as a "stroke").  Once the player settles after a
 * local pause, seek or step, the exact frame follows as a seek, so both
 * show the same frame even when a step started from different places.
 * What comes from the other side is applied to the player without being
 * sent back; commands that come before the player is ready wait for it.
 * The other side's shapes show on the picture as the area's peer drawing.
 *
 * "clear-drawing" means: everything drawn is gone on both sides (after the
 * coach saved it as a review).
 *
 * Signals:
 *   "open-video"  (const char *video_id)  the other side opened a video
 *   "close-video" ()                      the other side closed it
 *   "peer-drawing-changed" ()             see tg_review_together_get_peer_drawing()
 *   "applied"     (const char *type)      a message of the other side was
 *                                         applied to the player (for tests and
 *                                         latency measurement) */
#pragma once

#include "tc-review-sync.h"
#include "tg-player-view.h"

G_BEGIN_DECLS

#define TG_TYPE_REVIEW_TOGETHER (tg_review_together_get_type ())

G_DECLARE_FINAL_TYPE (TgReviewTogether, tg_review_together, TG, REVIEW_TOGETHER, GObject)

/* Follows @sync (a reference is kept). */
TgReviewTogether *tg_review_together_new            (TcReviewSync     *sync);

/* The player view of the video open now, or NULL; held weakly. */
void              tg_review_together_set_view       (TgReviewTogether *self,
                                                     TgPlayerView     *view);
TgPlayerView     *tg_review_together_get_view       (TgReviewTogether *self);

/* Tells the other side that this side opened @video_id / closed it. */
void              tg_review_together_announce_open  (TgReviewTogether *self,
                                                     const char       *video_id);
void              tg_review_together_announce_close (TgReviewTogether *self);

/* The other side's shapes, or NULL. */
TgDrawing        *tg_review_together_get_peer_drawing (TgReviewTogether *self);

/* This side's shapes and the other side's together (a new drawing). */
TgDrawing        *tg_review_together_dup_all_shapes (TgReviewTogether *self);

/* Clears the drawing on both sides ("clear-drawing"). */
void              tg_review_together_clear_drawings (TgReviewTogether *self);

TcReviewSync     *tg_review_together_get_sync       (TgReviewTogether *self);

G_END_DECLS
