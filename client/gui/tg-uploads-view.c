/* tg-uploads-view.c — see tg-uploads-view.h. */
#define G_LOG_DOMAIN "tg-uploads-view"

#include "tg-uploads-view.h"

#include "tg-application.h"
#include "tg-upload-row.h"

#include <glib/gi18n.h>

struct _TgUploadsView
{
  AdwBin parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  GtkStack *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TgUploadsView, tg_uploads_view, ADW_TYPE_BIN)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return GTK_WIDGET (tg_upload_row_new (TG_UPLOAD (item)));
}

static void
update (TgUploadsView *self)
{
  TgUploadManager *manager = tg_application_get_upload_manager (tg_application_get_default ());
  guint n = g_list_model_get_n_items (tg_upload_manager_get_uploads (manager));
  guint active = tg_upload_manager_get_n_active (manager);
  g_autofree char *subtitle = active > 0
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u upload under way", "%u uploads under way", active), active)
    : NULL;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

void
tg_uploads_view_set_folded (TgUploadsView *self,
                            gboolean       folded)
{
  g_return_if_fail (TG_IS_UPLOADS_VIEW (self));
  gtk_widget_set_visible (self->back_button, folded);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tg_upload_manager_clear_finished (tg_application_get_upload_manager (tg_application_get_default ()));
}

static void
tg_uploads_view_dispose (GObject *object)
{
  TgUploadsView *self = TG_UPLOADS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_UPLOADS_VIEW);

  G_OBJECT_CLASS (tg_uploads_view_parent_class)->dispose (object);
}

static void
tg_uploads_view_class_init (TgUploadsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_uploads_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-uploads-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgUploadsView, window_title);
  gtk_widget_class_bind_template_child (widget_class, TgUploadsView, back_button);
  gtk_widget_class_bind_template_child (widget_class, TgUploadsView, stack);
  gtk_widget_class_bind_template_child (widget_class, TgUploadsView, list);
  gtk_widget_class_install_action (widget_class, "uploads.clear", NULL, clear_action);
}

static void
tg_uploads_view_init (TgUploadsView *self)
{
  TgUploadManager *manager = tg_application_get_upload_manager (tg_application_get_default ());
  GListModel *uploads = tg_upload_manager_get_uploads (manager);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "uploads-view");
  gtk_list_box_bind_model (self->list, uploads, create_row, NULL, NULL);
  g_signal_connect_object (uploads, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::n-active", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}
