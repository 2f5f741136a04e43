/* tg-review-panel.h — the comment pane beside the video: the review
 * threads of a TgVideoDoc (kept in step with its list), and a composer for
 * a new comment or a reply.  The pane does not talk to the server itself:
 * it asks its owner (the player view), which knows the position, the range
 * and the drawing, through signals:
 *
 *   jump   (gint64 ms)                        a review's time was clicked
 *   submit (const char *text, const char *parent_id or NULL)
 *   delete (TgReview *review)                 its delete button was clicked */
#pragma once

#include <gtk/gtk.h>

#include "tg-video-doc.h"

G_BEGIN_DECLS

#define TG_TYPE_REVIEW_PANEL (tg_review_panel_get_type ())

G_DECLARE_FINAL_TYPE (TgReviewPanel, tg_review_panel, TG, REVIEW_PANEL, GtkWidget)

GtkWidget *tg_review_panel_new              (void);
void       tg_review_panel_set_doc          (TgReviewPanel *self,
                                             TgVideoDoc    *doc);

/* What the comment will be attached to ("At 0:01.040, with a drawing"). */
void       tg_review_panel_set_context      (TgReviewPanel *self,
                                             const char    *text);
/* While a comment is being sent: the composer is insensitive. */
void       tg_review_panel_set_busy         (TgReviewPanel *self,
                                             gboolean       busy);
/* After a comment was sent: empties the composer and ends a reply. */
void       tg_review_panel_clear_composer   (TgReviewPanel *self);

/* The composer's text, and sending it as the send button does. */
void       tg_review_panel_set_text         (TgReviewPanel *self,
                                             const char    *text);
void       tg_review_panel_send             (TgReviewPanel *self);
/* Start a reply to @review's thread (NULL: back to a new comment). */
void       tg_review_panel_reply_to         (TgReviewPanel *self,
                                             TgReview      *review);

/* The row widgets' count (threads), for tests. */
guint      tg_review_panel_get_n_rows       (TgReviewPanel *self);

G_END_DECLS
