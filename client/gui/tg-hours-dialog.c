/* tg-hours-dialog.c — see tg-hours-dialog.h. */
#define G_LOG_DOMAIN "tg-hours-dialog"

#include "tg-hours-dialog.h"

#include "tg-coaching.h"

#include <glib/gi18n.h>

struct _TgHoursDialog
{
  AdwMessageDialog parent_instance;

  AdwComboRow *day_row;
  AdwEntryRow *start_row;
  AdwEntryRow *end_row;
  GtkLabel *note_label;
};

G_DEFINE_FINAL_TYPE (TgHoursDialog, tg_hours_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_SAVED,
  SIGNAL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
tg_hours_dialog_get (TgHoursDialog *self,
                     int           *day,
                     int           *start_minute,
                     int           *end_minute)
{
  g_return_val_if_fail (TG_IS_HOURS_DIALOG (self), FALSE);
  int start = 0, end = 0;
  if (!tg_coaching_parse_minutes (gtk_editable_get_text (GTK_EDITABLE (self->start_row)), &start) ||
      !tg_coaching_parse_minutes (gtk_editable_get_text (GTK_EDITABLE (self->end_row)), &end) ||
      start >= 24 * 60 || start == end)
    return FALSE;
  guint column = adw_combo_row_get_selected (self->day_row);
  *day = tg_coaching_day_at_column (column == GTK_INVALID_LIST_POSITION ? 0 : (int) column);
  *start_minute = start;
  *end_minute = end == 0 ? 24 * 60 : end;
  return TRUE;
}

static void
check_cb (TgHoursDialog *self)
{
  int day, start, end;
  gboolean valid = tg_hours_dialog_get (self, &day, &start, &end);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", valid);
  if (!valid)
    gtk_label_set_text (self->note_label, _("Enter two different times as HH:MM, like 09:00 and 12:30."));
  else if (end <= start)
    gtk_label_set_text (self->note_label, _("These hours run past midnight into the next day."));
  else
    gtk_label_set_text (self->note_label, "");
}

static void
response_cb (TgHoursDialog *self,
             const char    *response)
{
  int day, start, end;

  if (g_strcmp0 (response, "remove") == 0)
    g_signal_emit (self, signals[SIGNAL_REMOVED], 0);
  else if (g_strcmp0 (response, "save") == 0 && tg_hours_dialog_get (self, &day, &start, &end))
    g_signal_emit (self, signals[SIGNAL_SAVED], 0, day, start, end);
}

TgHoursDialog *
tg_hours_dialog_new (GtkWindow *parent,
                     int        day,
                     int        start_minute,
                     int        end_minute,
                     gboolean   editing)
{
  TgHoursDialog *self = g_object_new (TG_TYPE_HOURS_DIALOG, "transient-for", parent, NULL);
  g_autofree char *start = tg_coaching_format_minutes (start_minute);
  g_autofree char *end = tg_coaching_format_minutes (end_minute);

  /* In this order after "Cancel" (libadwaita 1.2 cannot remove one). */
  if (editing)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "remove", _("_Remove"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "remove", ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "save", editing ? _("_Save") : _("_Add"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "save", ADW_RESPONSE_SUGGESTED);
  adw_combo_row_set_selected (self->day_row, tg_coaching_column_of_day (day));
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), end);
  check_cb (self);
  return self;
}

static void
tg_hours_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_HOURS_DIALOG);
  G_OBJECT_CLASS (tg_hours_dialog_parent_class)->dispose (object);
}

static void
tg_hours_dialog_class_init (TgHoursDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_hours_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-hours-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgHoursDialog, day_row);
  gtk_widget_class_bind_template_child (widget_class, TgHoursDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, TgHoursDialog, end_row);
  gtk_widget_class_bind_template_child (widget_class, TgHoursDialog, note_label);
  gtk_widget_class_bind_template_callback (widget_class, check_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);

  /* Save: the day (0 = Sunday), start and end minutes. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  /* Remove (only when editing). */
  signals[SIGNAL_REMOVED] = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tg_hours_dialog_init (TgHoursDialog *self)
{
  g_autoptr(GtkStringList) days = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "hours-dialog");
  for (int column = 0; column < 7; column++)
    gtk_string_list_append (days, tg_coaching_day_name (tg_coaching_day_at_column (column)));
  adw_combo_row_set_model (self->day_row, G_LIST_MODEL (days));
}
