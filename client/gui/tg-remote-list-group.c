/* tg-remote-list-group.c — see tg-remote-list-group.h. */
#define G_LOG_DOMAIN "tg-remote-list-group"

#include "tg-remote-list-group.h"

#include "tg-application.h"
#include "tg-coaching.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

typedef struct
{
  GtkListBox *list;

  char *group_id;
  GPtrArray *items;          /* JsonObject */
  GCancellable *cancellable;
  gboolean loading;
} TgRemoteListGroupPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TgRemoteListGroup, tg_remote_list_group, ADW_TYPE_PREFERENCES_GROUP)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static void
show_items (TgRemoteListGroup *self)
{
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  if (priv->list == NULL)
    return;
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (priv->list))) != NULL)
    gtk_list_box_remove (priv->list, child);
  for (guint i = 0; i < priv->items->len; i++)
    gtk_list_box_append (priv->list,
                         TG_REMOTE_LIST_GROUP_GET_CLASS (self)->make_row (self, g_ptr_array_index (priv->items, i), i));
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgRemoteListGroup) self = user_data;
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  TgRemoteListGroupClass *klass = TG_REMOTE_LIST_GROUP_GET_CLASS (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  priv->loading = FALSE;
  g_ptr_array_set_size (priv->items, 0);
  if (reply == NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _(klass->load_error));
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = tg_json_object (json_array_get_element (items, i));
      if (item != NULL && tg_json_string (item, "id") != NULL && (klass->keep == NULL || klass->keep (self, item)))
        g_ptr_array_add (priv->items, json_object_ref (item));
    }
  show_items (self);
}

void
tg_remote_list_group_reload (TgRemoteListGroup *self)
{
  g_return_if_fail (TG_IS_REMOTE_LIST_GROUP (self));
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  priv->loading = priv->group_id != NULL;
  if (priv->group_id == NULL)
    {
      g_ptr_array_set_size (priv->items, 0);
      show_items (self);
      return;
    }
  g_autofree char *path = TG_REMOTE_LIST_GROUP_GET_CLASS (self)->list_path (self, priv->group_id);
  tg_session_call_async (session (), "GET", path, NULL, priv->cancellable, loaded_cb, g_object_ref (self));
}

void
tg_remote_list_group_set_list_box (TgRemoteListGroup *self,
                                   GtkListBox        *list)
{
  g_return_if_fail (TG_IS_REMOTE_LIST_GROUP (self));
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  priv->list = list;
}

void
tg_remote_list_group_set_group (TgRemoteListGroup *self,
                                const char        *group_id)
{
  g_return_if_fail (TG_IS_REMOTE_LIST_GROUP (self));
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  g_free (priv->group_id);
  priv->group_id = g_strdup (group_id);
  g_ptr_array_set_size (priv->items, 0);
  show_items (self);
  tg_remote_list_group_reload (self);
}

const char *
tg_remote_list_group_get_group (TgRemoteListGroup *self)
{
  g_return_val_if_fail (TG_IS_REMOTE_LIST_GROUP (self), NULL);
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  return priv->group_id;
}

gboolean
tg_remote_list_group_is_loading (TgRemoteListGroup *self)
{
  g_return_val_if_fail (TG_IS_REMOTE_LIST_GROUP (self), FALSE);
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  return priv->loading;
}

guint
tg_remote_list_group_get_n_items (TgRemoteListGroup *self)
{
  g_return_val_if_fail (TG_IS_REMOTE_LIST_GROUP (self), 0);
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  return priv->items->len;
}

JsonObject *
tg_remote_list_group_get_item (TgRemoteListGroup *self,
                               guint              index)
{
  g_return_val_if_fail (TG_IS_REMOTE_LIST_GROUP (self), NULL);
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  g_return_val_if_fail (index < priv->items->len, NULL);
  return g_ptr_array_index (priv->items, index);
}

JsonObject *
tg_remote_list_group_find (TgRemoteListGroup *self,
                           const char        *id)
{
  g_return_val_if_fail (TG_IS_REMOTE_LIST_GROUP (self), NULL);
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  for (guint i = 0; id != NULL && i < priv->items->len; i++)
    if (g_strcmp0 (tg_json_string (g_ptr_array_index (priv->items, i), "id"), id) == 0)
      return g_ptr_array_index (priv->items, i);
  return NULL;
}

/* ---- changes ---- */

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgRemoteListGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (error != NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _(TG_REMOTE_LIST_GROUP_GET_CLASS (self)->change_error));
  if (!tg_error_is_cancelled (error))
    tg_remote_list_group_reload (self);
}

void
tg_remote_list_group_send (TgRemoteListGroup *self,
                           const char        *method,
                           const char        *rest,
                           JsonObject        *body)
{
  g_return_if_fail (TG_IS_REMOTE_LIST_GROUP (self));
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  if (priv->group_id == NULL)
    return;
  g_autofree char *path = tg_coaching_path (priv->group_id, "%s", rest);
  priv->loading = TRUE;
  tg_session_call_async (session (), method, path, body, priv->cancellable, changed_cb, g_object_ref (self));
}

/* ---- object ---- */

static void
tg_remote_list_group_dispose (GObject *object)
{
  TgRemoteListGroup *self = TG_REMOTE_LIST_GROUP (object);
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->group_id, g_free);
  g_clear_pointer (&priv->items, g_ptr_array_unref);
  priv->list = NULL;

  G_OBJECT_CLASS (tg_remote_list_group_parent_class)->dispose (object);
}

static void
tg_remote_list_group_class_init (TgRemoteListGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tg_remote_list_group_dispose;
}

static void
tg_remote_list_group_init (TgRemoteListGroup *self)
{
  TgRemoteListGroupPrivate *priv = tg_remote_list_group_get_instance_private (self);
  priv->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  priv->cancellable = g_cancellable_new ();
}
