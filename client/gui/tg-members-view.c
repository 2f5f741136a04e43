/* tg-members-view.c — see tg-members-view.h. */
#define G_LOG_DOMAIN "tg-members-view"

#include "tg-members-view.h"

#include "tg-application.h"
#include "tg-member-row.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgMembersView
{
  AdwBin parent_instance;

  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkWidget *picture_buttons;
  GtkListBox *list;

  JsonObject *group;
  gboolean can_manage;
  GCancellable *cancellable;
  GPtrArray *loading;      /* members of the load under way */
  guint n_members;
};

G_DEFINE_FINAL_TYPE (TgMembersView, tg_members_view, ADW_TYPE_BIN)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

/* ---- picture ---- */

static void
avatar_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgMembersView) self = user_data;
  g_autoptr(GdkTexture) texture = tg_image_cache_load_finish (TG_IMAGE_CACHE (source), result, NULL);
  if (texture != NULL)
    adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
}

void
tg_members_view_reload_avatar (TgMembersView *self)
{
  g_return_if_fail (TG_IS_MEMBERS_VIEW (self));
  const char *url = tg_json_string (self->group, "avatar_url");

  adw_avatar_set_custom_image (self->avatar, NULL);
  if (url != NULL)
    tg_image_cache_load_async (tg_application_get_image_cache (tg_application_get_default ()), url,
                               self->cancellable, avatar_cb, g_object_ref (self));
}

/* ---- members ---- */

static void load_page (TgMembersView *self, const char *cursor);

static void
clear_rows (TgMembersView *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_members = 0;
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TgMembersView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *page = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  if (page == NULL)
    {
      g_clear_pointer (&self->loading, g_ptr_array_unref);
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not load the members"));
      return;
    }
  JsonArray *items = tg_json_member_array (page, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *member = tg_json_object (json_array_get_element (items, i));
      if (member != NULL)
        g_ptr_array_add (self->loading, json_object_ref (member));
    }
  const char *next = tg_json_string (page, "next_cursor");
  if (next != NULL)
    {
      load_page (self, next);
      return;
    }
  g_autoptr(GPtrArray) members = g_steal_pointer (&self->loading);
  clear_rows (self);
  for (guint i = 0; i < members->len; i++)
    gtk_list_box_append (self->list, GTK_WIDGET (tg_member_row_new (g_ptr_array_index (members, i),
                                                                    self->can_manage)));
  self->n_members = members->len;
}

static void
load_page (TgMembersView *self,
           const char    *cursor)
{
  g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/groups/%s/members?limit=100%s%s", tg_json_string (self->group, "id"),
                                           escaped != NULL ? "&cursor=" : "", escaped != NULL ? escaped : "");
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, page_cb, g_object_ref (self));
}

void
tg_members_view_reload (TgMembersView *self)
{
  g_return_if_fail (TG_IS_MEMBERS_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  if (self->group == NULL)
    {
      clear_rows (self);
      return;
    }
  self->loading = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  load_page (self, NULL);
  tg_members_view_reload_avatar (self);
}

void
tg_members_view_set_group (TgMembersView *self,
                           JsonObject    *group,
                           gboolean       can_manage)
{
  g_return_if_fail (TG_IS_MEMBERS_VIEW (self));

  gboolean same = group != NULL && self->group != NULL &&
                  g_strcmp0 (tg_json_string (group, "id"), tg_json_string (self->group, "id")) == 0;
  if (group != NULL)
    json_object_ref (group);
  g_clear_pointer (&self->group, json_object_unref);
  self->group = group;
  self->can_manage = can_manage;
  if (!same)
    clear_rows (self);

  const char *name = tg_json_string (group, "name");
  gtk_label_set_text (self->name_label, name != NULL ? name : "");
  adw_avatar_set_text (self->avatar, name);
  gtk_widget_set_visible (self->picture_buttons, can_manage);
  tg_members_view_reload (self);
}

guint
tg_members_view_get_n_members (TgMembersView *self)
{
  g_return_val_if_fail (TG_IS_MEMBERS_VIEW (self), 0);
  return self->n_members;
}

/* ---- removing ---- */

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgMembersView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (reply == NULL)
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not remove the member"));
      return;
    }
  tg_members_view_reload (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TgMembersView *self = TG_MEMBERS_VIEW (widget);
  const char *user_id = g_variant_get_string (parameter, NULL);
  if (self->group == NULL)
    return;
  g_autofree char *path = g_strdup_printf ("/groups/%s/members/%s", tg_json_string (self->group, "id"), user_id);
  tg_session_call_async (session (), "DELETE", path, NULL, self->cancellable, removed_cb, g_object_ref (self));
}

/* ---- object ---- */

static void
tg_members_view_dispose (GObject *object)
{
  TgMembersView *self = TG_MEMBERS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  g_clear_pointer (&self->group, json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_MEMBERS_VIEW);

  G_OBJECT_CLASS (tg_members_view_parent_class)->dispose (object);
}

static void
tg_members_view_class_init (TgMembersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_members_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-members-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgMembersView, avatar);
  gtk_widget_class_bind_template_child (widget_class, TgMembersView, name_label);
  gtk_widget_class_bind_template_child (widget_class, TgMembersView, picture_buttons);
  gtk_widget_class_bind_template_child (widget_class, TgMembersView, list);
  gtk_widget_class_install_action (widget_class, "members.remove", "s", remove_action);
}

static void
tg_members_view_init (TgMembersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "members-view");
  self->cancellable = g_cancellable_new ();
}
