/* tg-blocked-dialog.c — see tg-blocked-dialog.h. */
#define G_LOG_DOMAIN "tg-blocked-dialog"

#include "tg-blocked-dialog.h"

#include "tg-coaching.h"
#include "tg-util.h"

#include <glib/gi18n.h>
#include <stdio.h>

struct _TgBlockedDialog
{
  AdwMessageDialog parent_instance;

  AdwEntryRow *start_row;
  AdwEntryRow *end_row;
  AdwEntryRow *reason_row;
  GtkLabel *note_label;

  GTimeZone *zone;
};

G_DEFINE_FINAL_TYPE (TgBlockedDialog, tg_blocked_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GDateTime *
tg_blocked_dialog_parse (const char *text,
                         GTimeZone  *zone)
{
  int y, mo, d, h = 0, mi = 0, used = 0;
  if (text == NULL)
    return NULL;
  g_autofree char *copy = g_strstrip (g_strdup (text));
  if (sscanf (copy, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3)
    return NULL;
  const char *rest = copy + used;
  if (*rest != '\0')
    {
      int minutes = 0;
      if (!g_ascii_isspace (*rest) || !tg_coaching_parse_minutes (rest, &minutes) || minutes >= 24 * 60)
        return NULL;
      h = minutes / 60;
      mi = minutes % 60;
    }
  if (!g_date_valid_dmy (d, mo, y))
    return NULL;
  return g_date_time_new (zone, y, mo, d, h, mi, 0);
}

gboolean
tg_blocked_dialog_get (TgBlockedDialog  *self,
                       gint64           *start,
                       gint64           *end,
                       const char      **reason)
{
  g_return_val_if_fail (TG_IS_BLOCKED_DIALOG (self), FALSE);
  g_autoptr(GDateTime) from = tg_blocked_dialog_parse (gtk_editable_get_text (GTK_EDITABLE (self->start_row)),
                                                       self->zone);
  g_autoptr(GDateTime) until = tg_blocked_dialog_parse (gtk_editable_get_text (GTK_EDITABLE (self->end_row)),
                                                        self->zone);
  if (from == NULL || until == NULL || g_date_time_compare (from, until) >= 0)
    return FALSE;
  *start = g_date_time_to_unix (from);
  *end = g_date_time_to_unix (until);
  *reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_row));
  return TRUE;
}

static void
check_cb (TgBlockedDialog *self)
{
  gint64 start, end;
  const char *reason;
  gboolean valid = tg_blocked_dialog_get (self, &start, &end, &reason);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", valid);
  gtk_label_set_text (self->note_label, valid ? ""
                      : _("Enter the times like 2025-03-14 09:00; the end comes after the start."));
}

static void
response_cb (TgBlockedDialog *self,
             const char      *response)
{
  gint64 start, end;
  const char *reason;
  if (g_strcmp0 (response, "save") == 0 && tg_blocked_dialog_get (self, &start, &end, &reason))
    g_signal_emit (self, signals[SIGNAL_SAVED], 0, start, end, reason);
}

TgBlockedDialog *
tg_blocked_dialog_new (GtkWindow *parent)
{
  TgBlockedDialog *self = g_object_new (TG_TYPE_BLOCKED_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) after = g_date_time_add_days (now, 2);
  g_autofree char *from = g_date_time_format (tomorrow, "%Y-%m-%d 00:00");
  g_autofree char *until = g_date_time_format (after, "%Y-%m-%d 00:00");

  gtk_editable_set_text (GTK_EDITABLE (self->start_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), until);
  check_cb (self);
  return self;
}

static void
tg_blocked_dialog_dispose (GObject *object)
{
  TgBlockedDialog *self = TG_BLOCKED_DIALOG (object);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_BLOCKED_DIALOG);
  G_OBJECT_CLASS (tg_blocked_dialog_parent_class)->dispose (object);
}

static void
tg_blocked_dialog_class_init (TgBlockedDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_blocked_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-blocked-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgBlockedDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, TgBlockedDialog, end_row);
  gtk_widget_class_bind_template_child (widget_class, TgBlockedDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, TgBlockedDialog, note_label);
  gtk_widget_class_bind_template_callback (widget_class, check_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);

  /* Block: start and end (unix seconds), the reason. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 3,
                                        G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);
}

static void
tg_blocked_dialog_init (TgBlockedDialog *self)
{
  self->zone = tg_user_time_zone ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "blocked-dialog");
}
