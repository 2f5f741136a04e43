/* tg-review-row.c — one review in the comment pane; see tg-review-row.h.
 *
 * Signals bubble up from replies to their thread's row and on to the pane:
 *   jump (gint64 ms), reply (TgReview *), delete (TgReview *). */
#define G_LOG_DOMAIN "tg-review-row"

#include "tg-review-row.h"

#include "tg-player-resources.h"
#include "tg-time.h"

#include <glib/gi18n-lib.h>

struct _TgReviewRow
{
  GtkWidget parent_instance;

  GtkButton *time_button;
  GtkLabel *author_label;
  GtkImage *drawing_icon;
  GtkButton *reply_button;
  GtkButton *delete_button;
  GtkLabel *text_label;
  GtkBox *replies_box;

  TgReview *review;
};

enum {
  SIGNAL_JUMP,
  SIGNAL_REPLY,
  SIGNAL_DELETE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgReviewRow, tg_review_row, GTK_TYPE_WIDGET)

static void
on_time_clicked (GtkButton   *button,
                 TgReviewRow *self)
{
  g_signal_emit (self, signals[SIGNAL_JUMP], 0, tg_review_get_at_ms (self->review));
}

static void
on_reply_clicked (GtkButton   *button,
                  TgReviewRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REPLY], 0, self->review);
}

static void
on_delete_clicked (GtkButton   *button,
                   TgReviewRow *self)
{
  g_signal_emit (self, signals[SIGNAL_DELETE], 0, self->review);
}

/* A reply's signals are its thread's. */
static void
forward_jump (TgReviewRow *reply,
              gint64       ms,
              TgReviewRow *self)
{
  g_signal_emit (self, signals[SIGNAL_JUMP], 0, ms);
}

static void
forward_reply (TgReviewRow *reply,
               TgReview    *review,
               TgReviewRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REPLY], 0, review);
}

static void
forward_delete (TgReviewRow *reply,
                TgReview    *review,
                TgReviewRow *self)
{
  g_signal_emit (self, signals[SIGNAL_DELETE], 0, review);
}

GtkWidget *
tg_review_row_new (TgReview   *review,
                   TgVideoDoc *doc)
{
  g_return_val_if_fail (TG_IS_REVIEW (review), NULL);
  g_return_val_if_fail (TG_IS_VIDEO_DOC (doc), NULL);

  TgReviewRow *self = g_object_new (TG_TYPE_REVIEW_ROW, NULL);
  self->review = g_object_ref (review);

  g_autofree char *at = tg_time_format (tg_review_get_at_ms (review));
  g_autofree char *end = tg_review_get_end_ms (review) > tg_review_get_at_ms (review)
                         ? tg_time_format (tg_review_get_end_ms (review)) : NULL;
  g_autofree char *when = end != NULL ? g_strdup_printf ("%s – %s", at, end) : g_strdup (at);
  gtk_button_set_label (self->time_button, when);
  gtk_label_set_text (self->author_label, tg_review_get_author_name (review));
  gtk_label_set_text (self->text_label, tg_review_get_text (review));
  gtk_widget_set_visible (GTK_WIDGET (self->drawing_icon), tg_review_get_drawing (review) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), tg_video_doc_can_delete (doc, review));

  /* Replies are styled apart (style.css). */
  gboolean is_reply = tg_review_get_parent_id (review) != NULL;
  if (is_reply)
    gtk_widget_add_css_class (GTK_WIDGET (self), "tg-review-reply");

  GListModel *replies = tg_review_get_replies (review);
  for (guint i = 0; i < g_list_model_get_n_items (replies); i++)
    {
      g_autoptr(TgReview) reply = g_list_model_get_item (replies, i);
      GtkWidget *row = tg_review_row_new (reply, doc);
      g_signal_connect_object (row, "jump", G_CALLBACK (forward_jump), self, 0);
      g_signal_connect_object (row, "reply", G_CALLBACK (forward_reply), self, 0);
      g_signal_connect_object (row, "delete", G_CALLBACK (forward_delete), self, 0);
      gtk_box_append (self->replies_box, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->replies_box), g_list_model_get_n_items (replies) > 0);
  return GTK_WIDGET (self);
}

TgReview *
tg_review_row_get_review (TgReviewRow *self)
{
  g_return_val_if_fail (TG_IS_REVIEW_ROW (self), NULL);
  return self->review;
}

static void
tg_review_row_dispose (GObject *object)
{
  TgReviewRow *self = TG_REVIEW_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_REVIEW_ROW);
  /* Children without a bound name are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->review);
  G_OBJECT_CLASS (tg_review_row_parent_class)->dispose (object);
}

static void
tg_review_row_class_init (TgReviewRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_review_row_dispose;

  signals[SIGNAL_JUMP] = g_signal_new ("jump", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_REPLY] = g_signal_new ("reply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, TG_TYPE_REVIEW);
  signals[SIGNAL_DELETE] = g_signal_new ("delete", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, TG_TYPE_REVIEW);

  tg_player_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/player/tg-review-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, time_button);
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, drawing_icon);
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, reply_button);
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, TgReviewRow, replies_box);
  gtk_widget_class_bind_template_callback (widget_class, on_time_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reply_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tg-review-row");
}

static void
tg_review_row_init (TgReviewRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
