/* tg-call-review.h — the "Review Together" pane beside the call: a picker
 * of the group's ready videos (GET /assets?group_id=…, then each asset's
 * videos), and once one is open (by either side) the review player
 * (TgPlayerView) kept in step with the other side's by TgReviewTogether.
 * The coach (the booking's expert) can save what both drew as a review at
 * the frame on screen (POST …/reviews through the player's TgVideoDoc),
 * which clears the drawing on both sides.
 *
 * A video the other side opens is looked up with GET /videos/{id}; when
 * this user may not see it, the pane says so instead.
 *
 * Signals: "opened" (const char *video_id) — a video was opened, by this
 * side or the other (the call page shows the pane then). */
#pragma once

#include <adwaita.h>

#include "tandem-api-client.h"
#include "tc-review-sync.h"
#include "tg-player-view.h"
#include "tg-review-together.h"

G_BEGIN_DECLS

#define TG_TYPE_CALL_REVIEW (tg_call_review_get_type ())

G_DECLARE_FINAL_TYPE (TgCallReview, tg_call_review, TG, CALL_REVIEW, AdwBin)

/* Starts following @sync for a call in group @group_id, talking to the
 * server through @client; @coach shows the save button.  Drops what was
 * there before.  NULL @sync: back to nothing. */
void              tg_call_review_setup         (TgCallReview    *self,
                                                TandemApiClient *client,
                                                const char      *group_id,
                                                TcReviewSync    *sync,
                                                gboolean         coach);

/* Loads the picker's list (again). */
void              tg_call_review_load_videos   (TgCallReview    *self);
gboolean          tg_call_review_is_loading    (TgCallReview    *self);
/* The videos listed (their ids, in order). */
guint             tg_call_review_get_n_videos  (TgCallReview    *self);
const char       *tg_call_review_get_video_at  (TgCallReview    *self,
                                                guint            index);

/* Opens @video_id of asset @asset_id here and on the other side. */
void              tg_call_review_open_video    (TgCallReview    *self,
                                                const char      *asset_id,
                                                const char      *video_id);
/* Closes it here and on the other side. */
void              tg_call_review_close_video   (TgCallReview    *self);

/* The video open now, or NULL; its view. */
const char       *tg_call_review_get_video_id  (TgCallReview    *self);
TgPlayerView     *tg_call_review_get_view      (TgCallReview    *self);
TgReviewTogether *tg_call_review_get_together  (TgCallReview    *self);

/* The save button's work, as a click does; "saved" notifications: see
 * tg_call_review_is_saving(). */
void              tg_call_review_save_drawing  (TgCallReview    *self);
gboolean          tg_call_review_is_saving     (TgCallReview    *self);
/* The text in place of the picker or player ("" when none). */
const char       *tg_call_review_get_message   (TgCallReview    *self);

G_END_DECLS
