/* tg-blocked-group.c — see tg-blocked-group.h. */
#define G_LOG_DOMAIN "tg-blocked-group"

#include "tg-blocked-group.h"

#include "tg-blocked-dialog.h"
#include "tg-coaching.h"
#include "tg-item-row.h"
#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgBlockedGroup
{
  TgRemoteListGroup parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TgBlockedGroup, tg_blocked_group, TG_TYPE_REMOTE_LIST_GROUP)

static char *
list_path (TgRemoteListGroup *group,
           const char        *group_id)
{
  /* Those not over yet. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *from = tg_coaching_format_rfc3339 (now);
  return tg_coaching_path (group_id, "blocked?from=%s&limit=100", from);
}

static GtkWidget *
make_row (TgRemoteListGroup *group,
          JsonObject        *item,
          guint              index)
{
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
  g_autofree char *name = g_strdup_printf ("blocked-row-%u", index);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  tg_item_row_set_button (row, TG_ITEM_ROW_REMOVE, _("Unblock"), NULL, "blocked.remove", id);
  return GTK_WIDGET (row);
}

/* ---- changes ---- */

void
tg_blocked_group_create (TgBlockedGroup *self,
                         gint64          start,
                         gint64          end,
                         const char     *reason)
{
  g_return_if_fail (TG_IS_BLOCKED_GROUP (self));
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (end);
  g_autofree char *start_text = tg_coaching_format_rfc3339 (from);
  g_autofree char *end_text = tg_coaching_format_rfc3339 (until);
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "start", start_text);
  json_object_set_string_member (body, "end", end_text);
  json_object_set_string_member (body, "reason", reason != NULL ? reason : "");
  tg_remote_list_group_send (TG_REMOTE_LIST_GROUP (self), "POST", "blocked", body);
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
  g_autofree char *rest = g_strdup_printf ("blocked/%s", g_variant_get_string (parameter, NULL));
  tg_remote_list_group_send (TG_REMOTE_LIST_GROUP (widget), "DELETE", rest, NULL);
}

/* ---- object ---- */

static void
tg_blocked_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_BLOCKED_GROUP);

  G_OBJECT_CLASS (tg_blocked_group_parent_class)->dispose (object);
}

static void
tg_blocked_group_class_init (TgBlockedGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TgRemoteListGroupClass *list_class = TG_REMOTE_LIST_GROUP_CLASS (klass);

  object_class->dispose = tg_blocked_group_dispose;
  list_class->list_path = list_path;
  list_class->make_row = make_row;
  list_class->load_error = N_("Could not load your blocked times");
  list_class->change_error = N_("Could not change your blocked times");

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
  tg_remote_list_group_set_list_box (TG_REMOTE_LIST_GROUP (self), self->list);
}
