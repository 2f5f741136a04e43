/* tg-blocked-group.c — see tg-blocked-group.h. */
#define G_LOG_DOMAIN "tg-blocked-group"

#include "tg-blocked-group.h"

#include "tg-application.h"
#include "tg-blocked-dialog.h"
#include "tg-coaching.h"
#include "tg-item-row.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgBlockedGroup
{
  AdwPreferencesGroup parent_instance;

  GtkListBox *list;

  char *group_id;
  GPtrArray *items;          /* JsonObject */
  GCancellable *cancellable;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (TgBlockedGroup, tg_blocked_group, ADW_TYPE_PREFERENCES_GROUP)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static void
show_items (TgBlockedGroup *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (self->items, i);
      const char *id = tg_json_string (item, "id");
      g_autofree char *range = tg_coaching_format_range (tg_json_string (item, "start"), tg_json_string (item, "end"));
      g_autofree char *until = NULL;
      /* A range over several days: both ends in full. */
      g_autoptr(GDateTime) from = tg_coaching_local_time (tg_json_string (item, "start"));
      g_autoptr(GDateTime) to = tg_coaching_local_time (tg_json_string (item, "end"));
      if (from != NULL && to != NULL &&
          (g_date_time_get_year (from) != g_date_time_get_year (to) ||
           g_date_time_get_day_of_year (from) != g_date_time_get_day_of_year (to)))
        {
          g_autofree char *a = tg_coaching_format_range (tg_json_string (item, "start"), NULL);
          g_autofree char *b = tg_coaching_format_range (tg_json_string (item, "end"), NULL);
          /* TRANSLATORS: a range of days and times, "from – until" */
          until = g_strdup_printf (_("%s – %s"), a, b);
        }
      const char *reason = tg_json_string (item, "reason");
      TgItemRow *row = tg_item_row_new (id, until != NULL ? until : range != NULL ? range : "",
                                        reason != NULL && *reason != '\0' ? reason : NULL);
      g_autofree char *name = g_strdup_printf ("blocked-row-%u", i);
      gtk_widget_set_name (GTK_WIDGET (row), name);
      tg_item_row_set_button (row, TG_ITEM_ROW_REMOVE, _("Unblock"), NULL, "blocked.remove", id);
      gtk_list_box_append (self->list, GTK_WIDGET (row));
    }
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgBlockedGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  self->loading = FALSE;
  g_ptr_array_set_size (self->items, 0);
  if (reply == NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not load your blocked times"));
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = tg_json_object (json_array_get_element (items, i));
      if (item != NULL && tg_json_string (item, "id") != NULL)
        g_ptr_array_add (self->items, json_object_ref (item));
    }
  show_items (self);
}

void
tg_blocked_group_reload (TgBlockedGroup *self)
{
  g_return_if_fail (TG_IS_BLOCKED_GROUP (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = self->group_id != NULL;
  if (self->group_id == NULL)
    {
      g_ptr_array_set_size (self->items, 0);
      show_items (self);
      return;
    }
  /* Those not over yet. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *from = tg_coaching_format_rfc3339 (now);
  g_autofree char *path = tg_coaching_path (self->group_id, "blocked?from=%s&limit=100", from);
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, loaded_cb, g_object_ref (self));
}

void
tg_blocked_group_set_group (TgBlockedGroup *self,
                            const char     *group_id)
{
  g_return_if_fail (TG_IS_BLOCKED_GROUP (self));
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  g_ptr_array_set_size (self->items, 0);
  show_items (self);
  tg_blocked_group_reload (self);
}

gboolean
tg_blocked_group_is_loading (TgBlockedGroup *self)
{
  g_return_val_if_fail (TG_IS_BLOCKED_GROUP (self), FALSE);
  return self->loading;
}

guint
tg_blocked_group_get_n_items (TgBlockedGroup *self)
{
  g_return_val_if_fail (TG_IS_BLOCKED_GROUP (self), 0);
  return self->items->len;
}

JsonObject *
tg_blocked_group_get_item (TgBlockedGroup *self,
                           guint           index)
{
  g_return_val_if_fail (TG_IS_BLOCKED_GROUP (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

/* ---- changes ---- */

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgBlockedGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (error != NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not change your blocked times"));
  if (!tg_error_is_cancelled (error))
    tg_blocked_group_reload (self);
}

void
tg_blocked_group_create (TgBlockedGroup *self,
                         gint64          start,
                         gint64          end,
                         const char     *reason)
{
  g_return_if_fail (TG_IS_BLOCKED_GROUP (self));
  if (self->group_id == NULL)
    return;
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (end);
  g_autofree char *start_text = tg_coaching_format_rfc3339 (from);
  g_autofree char *end_text = tg_coaching_format_rfc3339 (until);
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "start", start_text);
  json_object_set_string_member (body, "end", end_text);
  json_object_set_string_member (body, "reason", reason != NULL ? reason : "");
  g_autofree char *path = tg_coaching_path (self->group_id, "blocked");
  self->loading = TRUE;
  tg_session_call_async (session (), "POST", path, body, self->cancellable, changed_cb, g_object_ref (self));
}

static void
saved_cb (TgBlockedGroup  *self,
          gint64           start,
          gint64           end,
          const char      *reason,
          TgBlockedDialog *dialog)
{
  tg_blocked_group_create (self, start, end, reason);
}

GtkWidget *
tg_blocked_group_add (TgBlockedGroup *self)
{
  g_return_val_if_fail (TG_IS_BLOCKED_GROUP (self), NULL);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  TgBlockedDialog *dialog = tg_blocked_dialog_new (parent);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
add_cb (TgBlockedGroup *self)
{
  tg_blocked_group_add (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TgBlockedGroup *self = TG_BLOCKED_GROUP (widget);
  if (self->group_id == NULL)
    return;
  g_autofree char *path = tg_coaching_path (self->group_id, "blocked/%s", g_variant_get_string (parameter, NULL));
  self->loading = TRUE;
  tg_session_call_async (session (), "DELETE", path, NULL, self->cancellable, changed_cb, g_object_ref (self));
}

/* ---- object ---- */

static void
tg_blocked_group_dispose (GObject *object)
{
  TgBlockedGroup *self = TG_BLOCKED_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_BLOCKED_GROUP);

  G_OBJECT_CLASS (tg_blocked_group_parent_class)->dispose (object);
}

static void
tg_blocked_group_class_init (TgBlockedGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_blocked_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-blocked-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TgBlockedGroup, list);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_install_action (widget_class, "blocked.remove", "s", remove_action);
}

static void
tg_blocked_group_init (TgBlockedGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "blocked-group");
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->cancellable = g_cancellable_new ();
}
