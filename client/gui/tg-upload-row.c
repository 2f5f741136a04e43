/* tg-upload-row.c — see tg-upload-row.h. */
#define G_LOG_DOMAIN "tg-upload-row"

#include "tg-upload-row.h"

#include "tg-upload-file.h"

#include <glib/gi18n.h>

struct _TgUploadRow
{
  GtkListBoxRow parent_instance;

  GtkLabel *name_label;
  GtkLabel *status_label;
  GtkWidget *retry_button;
  GtkWidget *cancel_button;
  GtkProgressBar *overall_bar;
  GtkBox *files_box;

  TgUpload *upload;
};

G_DEFINE_FINAL_TYPE (TgUploadRow, tg_upload_row, GTK_TYPE_LIST_BOX_ROW)

static void
update (TgUploadRow *self)
{
  TgUploadPhase phase = tg_upload_get_phase (self->upload);
  gboolean active = tg_upload_is_active (self->upload);
  double fraction = tg_upload_get_fraction (self->upload);
  g_autofree char *percent = g_strdup_printf ("%d %%", (int) (fraction * 100 + 0.5));

  gtk_label_set_text (self->status_label, tg_upload_get_status (self->upload));
  gtk_progress_bar_set_fraction (self->overall_bar, fraction);
  gtk_progress_bar_set_text (self->overall_bar, percent);
  gtk_progress_bar_set_show_text (self->overall_bar, active || phase == TG_UPLOAD_PAUSED);
  gtk_widget_set_visible (self->cancel_button, active || phase == TG_UPLOAD_FAILED || phase == TG_UPLOAD_PAUSED);
  gtk_widget_set_visible (self->retry_button, tg_upload_get_can_retry (self->upload));
  gtk_widget_set_visible (GTK_WIDGET (self->files_box),
                          g_list_model_get_n_items (tg_upload_get_files (self->upload)) > 1);
  if (phase == TG_UPLOAD_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
file_fraction_cb (TgUploadFile   *file,
                  GParamSpec     *pspec,
                  GtkProgressBar *bar)
{
  gtk_progress_bar_set_fraction (bar, tg_upload_file_get_fraction (file));
}

/* One bar per file, its name written on it. */
static void
fill_files (TgUploadRow *self)
{
  GtkWidget *child;
  GListModel *files = tg_upload_get_files (self->upload);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->files_box))) != NULL)
    gtk_box_remove (self->files_box, child);
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(TgUploadFile) file = g_list_model_get_item (files, i);
      GtkWidget *bar = gtk_progress_bar_new ();
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), tg_upload_file_get_name (file));
      gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), tg_upload_file_get_fraction (file));
      gtk_progress_bar_set_ellipsize (GTK_PROGRESS_BAR (bar), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_add_css_class (bar, "file-progress");
      g_signal_connect_object (file, "notify::fraction", G_CALLBACK (file_fraction_cb), bar, 0);
      gtk_box_append (self->files_box, bar);
    }
}

static void
files_changed_cb (TgUploadRow *self)
{
  fill_files (self);
  update (self);
}

static void
retry_clicked_cb (TgUploadRow *self)
{
  tg_upload_start (self->upload);
}

static void
cancel_clicked_cb (TgUploadRow *self)
{
  tg_upload_cancel (self->upload);
}

TgUploadRow *
tg_upload_row_new (TgUpload *upload)
{
  g_return_val_if_fail (TG_IS_UPLOAD (upload), NULL);

  TgUploadRow *self = g_object_new (TG_TYPE_UPLOAD_ROW, NULL);
  self->upload = g_object_ref (upload);
  gtk_label_set_text (self->name_label, tg_upload_get_name (upload));
  g_autofree char *name = g_strdup_printf ("upload-row-%s", tg_upload_get_name (upload));
  gtk_widget_set_name (GTK_WIDGET (self), name);
  g_signal_connect_object (upload, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tg_upload_get_files (upload), "items-changed", G_CALLBACK (files_changed_cb), self,
                           G_CONNECT_SWAPPED);
  fill_files (self);
  update (self);
  return self;
}

TgUpload *
tg_upload_row_get_upload (TgUploadRow *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_ROW (self), NULL);
  return self->upload;
}

static void
tg_upload_row_dispose (GObject *object)
{
  TgUploadRow *self = TG_UPLOAD_ROW (object);

  g_clear_object (&self->upload);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_UPLOAD_ROW);

  G_OBJECT_CLASS (tg_upload_row_parent_class)->dispose (object);
}

static void
tg_upload_row_class_init (TgUploadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_upload_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-upload-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TgUploadRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TgUploadRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TgUploadRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TgUploadRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TgUploadRow, overall_bar);
  gtk_widget_class_bind_template_child (widget_class, TgUploadRow, files_box);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
tg_upload_row_init (TgUploadRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
