/* tg-cancel-dialog.c — see tg-cancel-dialog.h. */
#define G_LOG_DOMAIN "tg-cancel-dialog"

#include "tg-cancel-dialog.h"

#include <glib/gi18n.h>

struct _TgCancelDialog
{
  AdwMessageDialog parent_instance;

  GtkEntry *reason_entry;
};

G_DEFINE_FINAL_TYPE (TgCancelDialog, tg_cancel_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
response_cb (TgCancelDialog *self,
             const char     *response)
{
  if (g_strcmp0 (response, "cancel-session") != 0)
    return;
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0, reason);
}

TgCancelDialog *
tg_cancel_dialog_new (GtkWindow  *parent,
                      const char *what)
{
  return g_object_new (TG_TYPE_CANCEL_DIALOG, "transient-for", parent, "body", what, NULL);
}

static void
tg_cancel_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_CANCEL_DIALOG);
  G_OBJECT_CLASS (tg_cancel_dialog_parent_class)->dispose (object);
}

static void
tg_cancel_dialog_class_init (TgCancelDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_cancel_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-cancel-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgCancelDialog, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);

  /* Cancel Session: the reason. */
  signals[SIGNAL_CONFIRMED] = g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tg_cancel_dialog_init (TgCancelDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "cancel-dialog");
}
