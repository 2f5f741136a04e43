/* tg-review-row.h — one review in the comment pane: its moment (a button
 * that jumps there), author, text, whether it has a drawing, and reply and
 * delete buttons; a thread's first review lists its replies below it. */
#pragma once

#include <gtk/gtk.h>

#include "tg-review.h"
#include "tg-video-doc.h"

G_BEGIN_DECLS

#define TG_TYPE_REVIEW_ROW (tg_review_row_get_type ())

G_DECLARE_FINAL_TYPE (TgReviewRow, tg_review_row, TG, REVIEW_ROW, GtkWidget)

/* A row for @review; @doc decides whether it may be deleted. */
GtkWidget *tg_review_row_new        (TgReview   *review,
                                     TgVideoDoc *doc);
TgReview  *tg_review_row_get_review (TgReviewRow *self);

G_END_DECLS
