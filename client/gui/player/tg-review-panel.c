/* tg-review-panel.c — the comment pane; see tg-review-panel.h. */
#define G_LOG_DOMAIN "tg-review-panel"

#include "tg-review-panel.h"

#include "tg-player-resources.h"
#include "tg-review-row.h"

#include <glib/gi18n-lib.h>

struct _TgReviewPanel
{
  GtkWidget parent_instance;

  GtkStack *list_stack;
  GtkListBox *list;
  GtkBox *reply_bar;
  GtkLabel *reply_label;
  GtkLabel *context_label;
  GtkEntry *entry;
  GtkButton *send_button;

  TgVideoDoc *doc;
  char *reply_to;        /* the thread's first review, or NULL */
  gboolean busy;
};

enum {
  SIGNAL_JUMP,
  SIGNAL_SUBMIT,
  SIGNAL_DELETE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgReviewPanel, tg_review_panel, GTK_TYPE_WIDGET)

static void
update_send (TgReviewPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), !self->busy && self->doc != NULL && *trimmed != '\0');
  /* Not insensitive: a focused text field made insensitive never gets its
   * focus-out (GTK 4.8), so it only stops taking input while busy. */
  gtk_editable_set_editable (GTK_EDITABLE (self->entry), !self->busy);
}

static void
on_row_jump (TgReviewRow   *row,
             gint64         ms,
             TgReviewPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_JUMP], 0, ms);
}

static void
on_row_reply (TgReviewRow   *row,
              TgReview      *review,
              TgReviewPanel *self)
{
  tg_review_panel_reply_to (self, review);
}

static void
on_row_delete (TgReviewRow   *row,
               TgReview      *review,
               TgReviewPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_DELETE], 0, review);
}

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  TgReviewPanel *self = data;
  GtkWidget *row = tg_review_row_new (TG_REVIEW (item), self->doc);
  g_signal_connect_object (row, "jump", G_CALLBACK (on_row_jump), self, 0);
  g_signal_connect_object (row, "reply", G_CALLBACK (on_row_reply), self, 0);
  g_signal_connect_object (row, "delete", G_CALLBACK (on_row_delete), self, 0);
  return row;
}

static void
on_reviews_changed (GListModel    *model,
                    guint          position,
                    guint          removed,
                    guint          added,
                    TgReviewPanel *self)
{
  gtk_stack_set_visible_child_name (self->list_stack, g_list_model_get_n_items (model) > 0 ? "list" : "empty");

  /* A reply whose thread went away becomes a new comment. */
  if (self->reply_to != NULL)
    {
      gboolean found = FALSE;
      for (guint i = 0; !found && i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(TgReview) review = g_list_model_get_item (model, i);
          found = g_strcmp0 (tg_review_get_id (review), self->reply_to) == 0;
        }
      if (!found)
        tg_review_panel_reply_to (self, NULL);
    }
}

void
tg_review_panel_set_doc (TgReviewPanel *self,
                         TgVideoDoc    *doc)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  g_return_if_fail (doc == NULL || TG_IS_VIDEO_DOC (doc));

  if (self->doc != NULL)
    g_signal_handlers_disconnect_by_data (tg_video_doc_get_reviews (self->doc), self);
  g_set_object (&self->doc, doc);
  tg_review_panel_reply_to (self, NULL);
  if (doc == NULL)
    {
      gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      update_send (self);
      return;
    }
  GListModel *reviews = tg_video_doc_get_reviews (doc);
  gtk_list_box_bind_model (self->list, reviews, create_row, self, NULL);
  g_signal_connect (reviews, "items-changed", G_CALLBACK (on_reviews_changed), self);
  on_reviews_changed (reviews, 0, 0, 0, self);
  update_send (self);
}

void
tg_review_panel_set_context (TgReviewPanel *self,
                             const char    *text)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  gtk_label_set_text (self->context_label, text != NULL ? text : "");
}

void
tg_review_panel_set_busy (TgReviewPanel *self,
                          gboolean       busy)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  self->busy = busy;
  update_send (self);
}

void
tg_review_panel_clear_composer (TgReviewPanel *self)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  tg_review_panel_reply_to (self, NULL);
}

void
tg_review_panel_set_text (TgReviewPanel *self,
                          const char    *text)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text != NULL ? text : "");
}

void
tg_review_panel_send (TgReviewPanel *self)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->send_button)))
    return;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, text, self->reply_to);
}

void
tg_review_panel_reply_to (TgReviewPanel *self,
                          TgReview      *review)
{
  g_return_if_fail (TG_IS_REVIEW_PANEL (self));
  g_clear_pointer (&self->reply_to, g_free);
  if (review == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->reply_bar), FALSE);
      gtk_entry_set_placeholder_text (self->entry, C_("player", "Write a comment"));
      gtk_button_set_label (self->send_button, C_("player", "Comment"));
      return;
    }
  /* Threads are one level deep: a reply to a reply answers the thread. */
  const char *root = tg_review_get_parent_id (review);
  self->reply_to = g_strdup (root != NULL ? root : tg_review_get_id (review));
  g_autofree char *label = g_strdup_printf (C_("player", "Replying to %s"), tg_review_get_author_name (review));
  gtk_label_set_text (self->reply_label, label);
  gtk_widget_set_visible (GTK_WIDGET (self->reply_bar), TRUE);
  gtk_entry_set_placeholder_text (self->entry, C_("player", "Write a reply"));
  gtk_button_set_label (self->send_button, C_("player", "Reply"));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

guint
tg_review_panel_get_n_rows (TgReviewPanel *self)
{
  g_return_val_if_fail (TG_IS_REVIEW_PANEL (self), 0);
  guint n = 0;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static void
on_entry_activate (GtkEntry      *entry,
                   TgReviewPanel *self)
{
  tg_review_panel_send (self);
}

static void
on_entry_changed (GtkEditable   *entry,
                  TgReviewPanel *self)
{
  update_send (self);
}

static void
on_send_clicked (GtkButton     *button,
                 TgReviewPanel *self)
{
  tg_review_panel_send (self);
}

static void
on_cancel_reply_clicked (GtkButton     *button,
                         TgReviewPanel *self)
{
  tg_review_panel_reply_to (self, NULL);
}

GtkWidget *
tg_review_panel_new (void)
{
  return g_object_new (TG_TYPE_REVIEW_PANEL, NULL);
}

static void
tg_review_panel_dispose (GObject *object)
{
  TgReviewPanel *self = TG_REVIEW_PANEL (object);

  if (self->doc != NULL)
    g_signal_handlers_disconnect_by_data (tg_video_doc_get_reviews (self->doc), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_REVIEW_PANEL);
  /* Children without a bound name are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->doc);
  g_clear_pointer (&self->reply_to, g_free);
  G_OBJECT_CLASS (tg_review_panel_parent_class)->dispose (object);
}

static void
tg_review_panel_class_init (TgReviewPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_review_panel_dispose;

  signals[SIGNAL_JUMP] = g_signal_new ("jump", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_DELETE] = g_signal_new ("delete", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, TG_TYPE_REVIEW);

  tg_player_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/player/tg-review-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, list);
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, reply_bar);
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, reply_label);
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, context_label);
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, entry);
  gtk_widget_class_bind_template_child (widget_class, TgReviewPanel, send_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_reply_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tg-review-panel");
}

static void
tg_review_panel_init (TgReviewPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
