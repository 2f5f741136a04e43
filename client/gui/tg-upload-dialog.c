/* tg-upload-dialog.c — see tg-upload-dialog.h. */
#define G_LOG_DOMAIN "tg-upload-dialog"

#include "tg-upload-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TgUploadDialog
{
  AdwMessageDialog parent_instance;

  GtkLabel *files_label;
  AdwEntryRow *name_row;
  AdwEntryRow *description_row;

  GStrv paths;
};

G_DEFINE_FINAL_TYPE (TgUploadDialog, tg_upload_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
name_changed_cb (TgUploadDialog *self)
{
  g_autofree char *name = trimmed (self->name_row);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "upload",
                                           *name != '\0' && self->paths != NULL && self->paths[0] != NULL);
}

static void
response_cb (TgUploadDialog *self,
             const char     *response)
{
  if (g_strcmp0 (response, "upload") != 0)
    return;
  g_autofree char *name = trimmed (self->name_row);
  g_autofree char *description = trimmed (self->description_row);
  if (*name == '\0' || self->paths == NULL || self->paths[0] == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0, name, description);
}

TgUploadDialog *
tg_upload_dialog_new (GtkWindow  *parent,
                      const char *group_name,
                      GListModel *files)
{
  TgUploadDialog *self = g_object_new (TG_TYPE_UPLOAD_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *path = g_file_get_path (file);
      if (path == NULL)
        continue;
      g_autofree char *base = g_filename_display_basename (path);
      g_strv_builder_add (paths, path);
      g_string_append_printf (names, "%s%s", n > 0 ? ", " : "", base);
      n++;
    }
  self->paths = g_strv_builder_end (paths);

  g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u video for “%s”: %s",
                                                        "%u videos for “%s”: %s", n),
                                           n, group_name != NULL ? group_name : "", names->str);
  gtk_label_set_text (self->files_label, body);

  /* The first file's name without its extension. */
  if (n > 0)
    {
      g_autofree char *base = g_filename_display_basename (self->paths[0]);
      char *dot = strrchr (base, '.');
      if (dot != NULL && dot != base)
        *dot = '\0';
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), base);
    }
  name_changed_cb (self);
  return self;
}

GStrv
tg_upload_dialog_get_paths (TgUploadDialog *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_DIALOG (self), NULL);
  return self->paths;
}

static void
tg_upload_dialog_dispose (GObject *object)
{
  TgUploadDialog *self = TG_UPLOAD_DIALOG (object);

  g_clear_pointer (&self->paths, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_UPLOAD_DIALOG);

  G_OBJECT_CLASS (tg_upload_dialog_parent_class)->dispose (object);
}

static void
tg_upload_dialog_class_init (TgUploadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_upload_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-upload-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgUploadDialog, files_label);
  gtk_widget_class_bind_template_child (widget_class, TgUploadDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TgUploadDialog, description_row);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);

  /* Upload was chosen: the asset's name and description. */
  signals[SIGNAL_CONFIRMED] = g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
tg_upload_dialog_init (TgUploadDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "upload-dialog");
}
