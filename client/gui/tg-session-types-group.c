/* tg-session-types-group.c — see tg-session-types-group.h. */
#define G_LOG_DOMAIN "tg-session-types-group"

#include "tg-session-types-group.h"

#include "tg-application.h"
#include "tg-coaching.h"
#include "tg-item-row.h"
#include "tg-session-type-dialog.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgSessionTypesGroup
{
  AdwPreferencesGroup parent_instance;

  GtkListBox *list;

  char *group_id;
  GPtrArray *items;          /* JsonObject */
  GCancellable *cancellable;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (TgSessionTypesGroup, tg_session_types_group, ADW_TYPE_PREFERENCES_GROUP)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static JsonObject *
find (TgSessionTypesGroup *self,
      const char          *id)
{
  for (guint i = 0; id != NULL && i < self->items->len; i++)
    if (g_strcmp0 (tg_json_string (g_ptr_array_index (self->items, i), "id"), id) == 0)
      return g_ptr_array_index (self->items, i);
  return NULL;
}

static void
show_items (TgSessionTypesGroup *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->items->len; i++)
    {
      JsonObject *type = g_ptr_array_index (self->items, i);
      const char *id = tg_json_string (type, "id");
      const char *description = tg_json_string (type, "description");
      int minutes = (int) tg_json_int (type, "duration_minutes", 0);
      gboolean active = tg_json_bool (type, "active", TRUE);
      g_autofree char *length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", minutes),
                                                 minutes);
      g_autofree char *subtitle = description != NULL && *description != '\0'
        /* TRANSLATORS: "45 minutes · what the session is" under a session type's name */
        ? g_strdup_printf (_("%s · %s"), length, description) : g_strdup (length);
      TgItemRow *row = tg_item_row_new (id, tg_json_string (type, "name"), subtitle);
      g_autofree char *name = g_strdup_printf ("session-type-row-%u", i);

      gtk_widget_set_name (GTK_WIDGET (row), name);
      tg_item_row_set_badge (row, active ? NULL : _("Inactive"));
      tg_item_row_set_button (row, TG_ITEM_ROW_TEXT, active ? _("_Deactivate") : _("_Activate"), NULL,
                              active ? "types.deactivate" : "types.activate", id);
      tg_item_row_set_button (row, TG_ITEM_ROW_EDIT, _("Change"), NULL, "types.edit", id);
      gtk_list_box_append (self->list, GTK_WIDGET (row));
    }
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgSessionTypesGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  const char *me = tg_session_get_user_id (session ());

  if (tg_error_is_cancelled (error))
    return;
  self->loading = FALSE;
  g_ptr_array_set_size (self->items, 0);
  if (reply == NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not load your session types"));
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *type = tg_json_object (json_array_get_element (items, i));
      const char *expert = tg_json_string (type, "expert_id");
      if (type != NULL && tg_json_string (type, "id") != NULL && (expert == NULL || g_strcmp0 (expert, me) == 0))
        g_ptr_array_add (self->items, json_object_ref (type));
    }
  show_items (self);
}

void
tg_session_types_group_reload (TgSessionTypesGroup *self)
{
  g_return_if_fail (TG_IS_SESSION_TYPES_GROUP (self));
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
  g_autofree char *path = tg_coaching_path (self->group_id, "session-types?expert_id=%s&include_inactive=true",
                                            tg_session_get_user_id (session ()));
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, loaded_cb, g_object_ref (self));
}

void
tg_session_types_group_set_group (TgSessionTypesGroup *self,
                                  const char          *group_id)
{
  g_return_if_fail (TG_IS_SESSION_TYPES_GROUP (self));
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  g_ptr_array_set_size (self->items, 0);
  show_items (self);
  tg_session_types_group_reload (self);
}

gboolean
tg_session_types_group_is_loading (TgSessionTypesGroup *self)
{
  g_return_val_if_fail (TG_IS_SESSION_TYPES_GROUP (self), FALSE);
  return self->loading;
}

guint
tg_session_types_group_get_n_items (TgSessionTypesGroup *self)
{
  g_return_val_if_fail (TG_IS_SESSION_TYPES_GROUP (self), 0);
  return self->items->len;
}

JsonObject *
tg_session_types_group_get_item (TgSessionTypesGroup *self,
                                 guint                index)
{
  g_return_val_if_fail (TG_IS_SESSION_TYPES_GROUP (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

/* ---- changes ---- */

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgSessionTypesGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (error != NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not change the session type"));
  if (!tg_error_is_cancelled (error))
    tg_session_types_group_reload (self);
}

static void
send (TgSessionTypesGroup *self,
      const char          *method,
      const char          *id,
      JsonObject          *body)
{
  if (self->group_id == NULL)
    return;
  g_autofree char *path = id != NULL ? tg_coaching_path (self->group_id, "session-types/%s", id)
                                     : tg_coaching_path (self->group_id, "session-types");
  self->loading = TRUE;
  tg_session_call_async (session (), method, path, body, self->cancellable, changed_cb, g_object_ref (self));
}

typedef struct {
  TgSessionTypesGroup *self;
  char *id;
} Editing;

static void
editing_free (gpointer  data,
              GClosure *closure)
{
  Editing *editing = data;
  g_object_unref (editing->self);
  g_free (editing->id);
  g_free (editing);
}

static void
saved_cb (TgSessionTypeDialog *dialog,
          const char          *name,
          const char          *description,
          int                  minutes,
          Editing             *editing)
{
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "name", name);
  json_object_set_string_member (body, "description", description);
  json_object_set_int_member (body, "duration_minutes", minutes);
  send (editing->self, editing->id != NULL ? "PATCH" : "POST", editing->id, body);
}

GtkWidget *
tg_session_types_group_edit (TgSessionTypesGroup *self,
                             const char          *id)
{
  g_return_val_if_fail (TG_IS_SESSION_TYPES_GROUP (self), NULL);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  TgSessionTypeDialog *dialog = tg_session_type_dialog_new (parent, find (self, id));
  Editing *editing = g_new0 (Editing, 1);
  editing->self = g_object_ref (self);
  editing->id = g_strdup (id);
  g_signal_connect_data (dialog, "saved", G_CALLBACK (saved_cb), editing, editing_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
add_cb (TgSessionTypesGroup *self)
{
  tg_session_types_group_edit (self, NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tg_session_types_group_edit (TG_SESSION_TYPES_GROUP (widget), g_variant_get_string (parameter, NULL));
}

static void
set_active_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_boolean_member (body, "active", g_str_equal (action_name, "types.activate"));
  send (TG_SESSION_TYPES_GROUP (widget), "PATCH", g_variant_get_string (parameter, NULL), body);
}

/* ---- object ---- */

static void
tg_session_types_group_dispose (GObject *object)
{
  TgSessionTypesGroup *self = TG_SESSION_TYPES_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_SESSION_TYPES_GROUP);

  G_OBJECT_CLASS (tg_session_types_group_parent_class)->dispose (object);
}

static void
tg_session_types_group_class_init (TgSessionTypesGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_session_types_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-session-types-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TgSessionTypesGroup, list);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_install_action (widget_class, "types.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "types.activate", "s", set_active_action);
  gtk_widget_class_install_action (widget_class, "types.deactivate", "s", set_active_action);
}

static void
tg_session_types_group_init (TgSessionTypesGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "session-types-group");
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->cancellable = g_cancellable_new ();
}
