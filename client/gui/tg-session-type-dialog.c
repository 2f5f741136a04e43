/* tg-session-type-dialog.c — see tg-session-type-dialog.h. */
#define G_LOG_DOMAIN "tg-session-type-dialog"

#include "tg-session-type-dialog.h"

#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgSessionTypeDialog
{
  AdwMessageDialog parent_instance;

  AdwEntryRow *name_row;
  AdwEntryRow *description_row;
  GtkSpinButton *duration_spin;
};

G_DEFINE_FINAL_TYPE (TgSessionTypeDialog, tg_session_type_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
name_of (TgSessionTypeDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static void
check_cb (TgSessionTypeDialog *self)
{
  g_autofree char *name = name_of (self);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", *name != '\0');
}

static void
response_cb (TgSessionTypeDialog *self,
             const char          *response)
{
  g_autofree char *name = name_of (self);
  if (g_strcmp0 (response, "save") != 0 || *name == '\0')
    return;
  gtk_spin_button_update (self->duration_spin);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, name,
                 gtk_editable_get_text (GTK_EDITABLE (self->description_row)),
                 gtk_spin_button_get_value_as_int (self->duration_spin));
}

TgSessionTypeDialog *
tg_session_type_dialog_new (GtkWindow  *parent,
                            JsonObject *type)
{
  TgSessionTypeDialog *self = g_object_new (TG_TYPE_SESSION_TYPE_DIALOG, "transient-for", parent, NULL);
  if (type != NULL)
    {
      const char *name = tg_json_string (type, "name");
      const char *description = tg_json_string (type, "description");
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name != NULL ? name : "");
      gtk_editable_set_text (GTK_EDITABLE (self->description_row), description != NULL ? description : "");
      gtk_spin_button_set_value (self->duration_spin, (double) tg_json_int (type, "duration_minutes", 45));
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Change Session Type"));
    }
  else
    adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("New Session Type"));
  check_cb (self);
  return self;
}

static void
tg_session_type_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_SESSION_TYPE_DIALOG);
  G_OBJECT_CLASS (tg_session_type_dialog_parent_class)->dispose (object);
}

static void
tg_session_type_dialog_class_init (TgSessionTypeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_session_type_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-session-type-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgSessionTypeDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TgSessionTypeDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, TgSessionTypeDialog, duration_spin);
  gtk_widget_class_bind_template_callback (widget_class, check_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);

  /* Save: the name, the description, the length in minutes. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 3,
                                        G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT);
}

static void
tg_session_type_dialog_init (TgSessionTypeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "session-type-dialog");
}
