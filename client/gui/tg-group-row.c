/* tg-group-row.c — see tg-group-row.h. */
#define G_LOG_DOMAIN "tg-group-row"

#include "tg-group-row.h"

#include "tg-application.h"
#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgGroupRow
{
  AdwActionRow parent_instance;

  AdwAvatar *avatar;

  JsonObject *group;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TgGroupRow, tg_group_row, ADW_TYPE_ACTION_ROW)

static void
avatar_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TgGroupRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = tg_image_cache_load_finish (TG_IMAGE_CACHE (source), result, &error);

  if (texture == NULL)
    {
      if (!tg_error_is_cancelled (error))
        g_debug ("no picture for the group: %s", error->message);
      return;
    }
  adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
}

void
tg_group_row_reload_avatar (TgGroupRow *self)
{
  g_return_if_fail (TG_IS_GROUP_ROW (self));
  const char *url = tg_json_string (self->group, "avatar_url");

  adw_avatar_set_custom_image (self->avatar, NULL);
  if (url == NULL)
    return;
  TgImageCache *images = tg_application_get_image_cache (tg_application_get_default ());
  tg_image_cache_load_async (images, url, self->cancellable, avatar_loaded_cb, g_object_ref (self));
}

TgGroupRow *
tg_group_row_new (JsonObject *group)
{
  g_return_val_if_fail (group != NULL, NULL);

  TgGroupRow *self = g_object_new (TG_TYPE_GROUP_ROW, NULL);
  const char *name = tg_json_string (group, "name");
  gint64 members = tg_json_int (group, "member_count", 0);
  g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u member", "%u members",
                                                            (gulong) members), (guint) members);

  self->group = json_object_ref (group);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name != NULL ? name : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_avatar_set_text (self->avatar, name);
  g_autofree char *widget_name = g_strdup_printf ("group-row-%s", name != NULL ? name : "");
  gtk_widget_set_name (GTK_WIDGET (self), widget_name);
  tg_group_row_reload_avatar (self);
  return self;
}

JsonObject *
tg_group_row_get_group (TgGroupRow *self)
{
  g_return_val_if_fail (TG_IS_GROUP_ROW (self), NULL);
  return self->group;
}

const char *
tg_group_row_get_id (TgGroupRow *self)
{
  g_return_val_if_fail (TG_IS_GROUP_ROW (self), NULL);
  return tg_json_string (self->group, "id");
}

static void
tg_group_row_dispose (GObject *object)
{
  TgGroupRow *self = TG_GROUP_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group, json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_GROUP_ROW);

  G_OBJECT_CLASS (tg_group_row_parent_class)->dispose (object);
}

static void
tg_group_row_class_init (TgGroupRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_group_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-group-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TgGroupRow, avatar);
}

static void
tg_group_row_init (TgGroupRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
