/* tg-session-types-group.c — see tg-session-types-group.h. */
#define G_LOG_DOMAIN "tg-session-types-group"

#include "tg-session-types-group.h"

#include "tg-application.h"
#include "tg-coaching.h"
#include "tg-item-row.h"
#include "tg-session-type-dialog.h"
#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgSessionTypesGroup
{
  TgRemoteListGroup parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TgSessionTypesGroup, tg_session_types_group, TG_TYPE_REMOTE_LIST_GROUP)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static char *
list_path (TgRemoteListGroup *group,
           const char        *group_id)
{
  return tg_coaching_path (group_id, "session-types?expert_id=%s&include_inactive=true",
                           tg_session_get_user_id (session ()));
}

/* The caller's own types (admins see others' too). */
static gboolean
keep (TgRemoteListGroup *group,
      JsonObject        *type)
{
  const char *expert = tg_json_string (type, "expert_id");
  return expert == NULL || g_strcmp0 (expert, tg_session_get_user_id (session ())) == 0;
}

static GtkWidget *
make_row (TgRemoteListGroup *group,
          JsonObject        *type,
          guint              index)
{
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
  g_autofree char *name = g_strdup_printf ("session-type-row-%u", index);

  gtk_widget_set_name (GTK_WIDGET (row), name);
  tg_item_row_set_badge (row, active ? NULL : _("Inactive"));
  tg_item_row_set_button (row, TG_ITEM_ROW_TEXT, active ? _("_Deactivate") : _("_Activate"), NULL,
                          active ? "types.deactivate" : "types.activate", id);
  tg_item_row_set_button (row, TG_ITEM_ROW_EDIT, _("Change"), NULL, "types.edit", id);
  return GTK_WIDGET (row);
}

/* ---- changes ---- */

static void
send (TgSessionTypesGroup *self,
      const char          *method,
      const char          *id,
      JsonObject          *body)
{
  g_autofree char *rest = id != NULL ? g_strdup_printf ("session-types/%s", id) : g_strdup ("session-types");
  tg_remote_list_group_send (TG_REMOTE_LIST_GROUP (self), method, rest, body);
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
  TgSessionTypeDialog *dialog = tg_session_type_dialog_new (parent,
                                                            tg_remote_list_group_find (TG_REMOTE_LIST_GROUP (self), id));
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
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_SESSION_TYPES_GROUP);

  G_OBJECT_CLASS (tg_session_types_group_parent_class)->dispose (object);
}

static void
tg_session_types_group_class_init (TgSessionTypesGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TgRemoteListGroupClass *list_class = TG_REMOTE_LIST_GROUP_CLASS (klass);

  object_class->dispose = tg_session_types_group_dispose;
  list_class->list_path = list_path;
  list_class->keep = keep;
  list_class->make_row = make_row;
  list_class->load_error = N_("Could not load your session types");
  list_class->change_error = N_("Could not change the session type");

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
  tg_remote_list_group_set_list_box (TG_REMOTE_LIST_GROUP (self), self->list);
}
