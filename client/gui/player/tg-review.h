/* tg-review.h — one review of a video as the server lists it
 * (GET /assets/{id}/videos/{video_id}/reviews): a thread's first review
 * with its replies, or a reply.  Immutable once read; the list is read
 * again after every change. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tg-drawing.h"

G_BEGIN_DECLS

#define TG_TYPE_REVIEW (tg_review_get_type ())

G_DECLARE_FINAL_TYPE (TgReview, tg_review, TG, REVIEW, GObject)

/* Reads one review object (with its "replies" when it starts a thread).
 * Fails with G_IO_ERROR_INVALID_DATA when "id", "author" or "at_ms" is
 * missing. */
TgReview   *tg_review_new_from_json  (JsonObject  *object,
                                      GError     **error);

const char *tg_review_get_id          (TgReview *self);
/* NULL for the first review of a thread. */
const char *tg_review_get_parent_id   (TgReview *self);
const char *tg_review_get_author_id   (TgReview *self);
const char *tg_review_get_author_name (TgReview *self);
gint64      tg_review_get_at_ms       (TgReview *self);
/* -1 when the review is about one moment, not a range. */
gint64      tg_review_get_end_ms      (TgReview *self);
const char *tg_review_get_text        (TgReview *self);
/* NULL without a drawing. */
TgDrawing  *tg_review_get_drawing     (TgReview *self);
/* The replies, oldest first (TgReview); empty for replies. */
GListModel *tg_review_get_replies     (TgReview *self);

G_END_DECLS
