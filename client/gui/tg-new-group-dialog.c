/* tg-new-group-dialog.c — see tg-new-group-dialog.h. */
#define G_LOG_DOMAIN "tg-new-group-dialog"

#include "tg-new-group-dialog.h"

#include "tg-application.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgNewGroupDialog
{
  AdwMessageDialog parent_instance;

  GtkEntry *name_entry;
  GtkWindow *parent;   /* weak */
};

G_DEFINE_FINAL_TYPE (TgNewGroupDialog, tg_new_group_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
name_changed_cb (TgNewGroupDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "create", *name != '\0');
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgNewGroupDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  const char *id = tg_json_string (tg_json_object (reply), "id");

  if (id == NULL)
    {
      if (self->parent != NULL)
        tg_window_toast_error (GTK_WIDGET (self->parent), error, _("Could not create the group"));
      return;
    }
  if (self->parent != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Created the group “%s”."),
                                               tg_json_string (tg_json_object (reply), "name"));
      tg_window_toast (GTK_WIDGET (self->parent), text);
    }
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, id);
}

static void
response_cb (TgNewGroupDialog *self,
             const char       *response)
{
  if (g_strcmp0 (response, "create") != 0)
    return;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  if (*name == '\0')
    return;
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "name", name);
  TgSession *session = tg_application_get_session (tg_application_get_default ());
  tg_session_call_async (session, "POST", "/groups", body, NULL, created_cb, g_object_ref (self));
}

TgNewGroupDialog *
tg_new_group_dialog_new (GtkWindow *parent)
{
  TgNewGroupDialog *self = g_object_new (TG_TYPE_NEW_GROUP_DIALOG, "transient-for", parent, NULL);
  g_set_weak_pointer (&self->parent, parent);
  return self;
}

static void
tg_new_group_dialog_dispose (GObject *object)
{
  TgNewGroupDialog *self = TG_NEW_GROUP_DIALOG (object);

  g_clear_weak_pointer (&self->parent);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_NEW_GROUP_DIALOG);

  G_OBJECT_CLASS (tg_new_group_dialog_parent_class)->dispose (object);
}

static void
tg_new_group_dialog_class_init (TgNewGroupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_new_group_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-new-group-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgNewGroupDialog, name_entry);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);

  /* The group was created; its id. */
  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tg_new_group_dialog_init (TgNewGroupDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "new-group-dialog");
}
