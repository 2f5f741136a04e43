/* tg-window-groups.c — the sidebar of the main window: the groups the
 * account sees (GET /groups, every page), selecting one, creating one. */
#define G_LOG_DOMAIN "tg-window"

#include "tg-window-private.h"

#include "tg-application.h"
#include "tg-group-row.h"
#include "tg-new-group-dialog.h"
#include "tg-util.h"

#include <glib/gi18n.h>

/* ---- selecting ---- */

static void
row_selected_cb (TgWindow      *self,
                 GtkListBoxRow *row,
                 GtkListBox    *list)
{
  if (row == NULL || !TG_IS_GROUP_ROW (row))
    return;
  JsonObject *group = tg_group_row_get_group (TG_GROUP_ROW (row));
  JsonObject *shown = tg_group_page_get_group (self->group_page);
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());

  g_settings_set_string (settings, "last-group", tg_json_string (group, "id"));
  /* Same group again (a reload): keep the page as it is. */
  if (shown == NULL || g_strcmp0 (tg_json_string (shown, "id"), tg_json_string (group, "id")) != 0)
    tg_group_page_set_group (self->group_page, group);
  else
    tg_group_page_update_group (self->group_page, group);
}

static void
row_activated_cb (TgWindow      *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list)
{
  if (row == NULL || !TG_IS_GROUP_ROW (row))
    return;
  row_selected_cb (self, row, list);
  tg_window_show_content (self, "group");
}

gboolean
tg_window_select_group (TgWindow   *self,
                        const char *group_id)
{
  g_return_val_if_fail (TG_IS_WINDOW (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (TG_IS_GROUP_ROW (child) && g_strcmp0 (tg_group_row_get_id (TG_GROUP_ROW (child)), group_id) == 0)
      {
        gtk_list_box_select_row (self->groups_list, GTK_LIST_BOX_ROW (child));
        row_activated_cb (self, GTK_LIST_BOX_ROW (child), self->groups_list);
        return TRUE;
      }
  return FALSE;
}

/* ---- loading ---- */

void
tg_window_groups_clear (TgWindow *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->groups_cancellable);
  g_clear_object (&self->groups_cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list))) != NULL)
    gtk_list_box_remove (self->groups_list, child);
}

typedef struct {
  TgWindow *window;
  GPtrArray *groups;   /* JsonObject */
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->window);
  g_ptr_array_unref (load->groups);
  g_free (load);
}

static void load_page (Load *load, const char *cursor);

static void
show_groups (TgWindow  *self,
             GPtrArray *groups)
{
  TgApplication *app = tg_application_get_default ();
  g_autofree char *last = g_settings_get_string (tg_application_get_settings (app), "last-group");
  JsonObject *shown = tg_group_page_get_group (self->group_page);
  g_autofree char *select = g_strdup (self->select_after_reload != NULL ? self->select_after_reload
                                      : shown != NULL ? tg_json_string (shown, "id") : last);
  gboolean from_reload = self->select_after_reload != NULL;
  gboolean found = FALSE;

  g_clear_pointer (&self->select_after_reload, g_free);
  /* Not tg_window_groups_clear(): this very load must not be cancelled. */
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list))) != NULL)
    gtk_list_box_remove (self->groups_list, child);

  for (guint i = 0; i < groups->len; i++)
    {
      TgGroupRow *row = tg_group_row_new (g_ptr_array_index (groups, i));
      gtk_list_box_append (self->groups_list, GTK_WIDGET (row));
    }
  gtk_stack_set_visible_child_name (self->groups_stack, groups->len > 0 ? "list" : "empty");
  tg_window_report_ready ("groups");

  if (select != NULL && *select != '\0')
    for (child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list)); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (g_strcmp0 (tg_group_row_get_id (TG_GROUP_ROW (child)), select) == 0)
        {
          gtk_list_box_select_row (self->groups_list, GTK_LIST_BOX_ROW (child));
          if (from_reload)
            row_activated_cb (self, GTK_LIST_BOX_ROW (child), self->groups_list);
          else
            row_selected_cb (self, GTK_LIST_BOX_ROW (child), self->groups_list);
          found = TRUE;
          break;
        }
  if (!found && shown != NULL)
    {
      /* The group shown is gone (left, deleted). */
      tg_group_page_set_group (self->group_page, NULL);
      tg_window_show_content (self, "empty");
    }
  else if (found && g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "empty") == 0)
    tg_window_show_content (self, "group");
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *page = tg_json_object (reply);

  if (page == NULL)
    {
      if (!tg_error_is_cancelled (error))
        {
          gtk_stack_set_visible_child_name (load->window->groups_stack, "list");
          tg_window_toast_error (GTK_WIDGET (load->window), error, _("Could not load your groups"));
        }
      load_free (load);
      return;
    }
  JsonArray *items = tg_json_member_array (page, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *group = tg_json_object (json_array_get_element (items, i));
      if (group != NULL && tg_json_string (group, "id") != NULL)
        g_ptr_array_add (load->groups, json_object_ref (group));
    }
  const char *next = tg_json_string (page, "next_cursor");
  if (next != NULL)
    {
      load_page (load, next);
      return;
    }
  show_groups (load->window, load->groups);
  load_free (load);
}

static void
load_page (Load       *load,
           const char *cursor)
{
  TgSession *session = tg_application_get_session (tg_application_get_default ());
  g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/groups?limit=100%s%s", escaped != NULL ? "&cursor=" : "",
                                           escaped != NULL ? escaped : "");
  tg_session_call_async (session, "GET", path, NULL, load->window->groups_cancellable, page_cb, load);
}

void
tg_window_reload_groups (TgWindow   *self,
                         const char *select_id)
{
  g_return_if_fail (TG_IS_WINDOW (self));

  g_cancellable_cancel (self->groups_cancellable);
  g_clear_object (&self->groups_cancellable);
  self->groups_cancellable = g_cancellable_new ();
  g_free (self->select_after_reload);
  self->select_after_reload = g_strdup (select_id);
  if (gtk_widget_get_first_child (GTK_WIDGET (self->groups_list)) == NULL)
    gtk_stack_set_visible_child_name (self->groups_stack, "loading");

  Load *load = g_new0 (Load, 1);
  load->window = g_object_ref (self);
  load->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  load_page (load, NULL);
}

/* ---- creating ---- */

static void
group_created_cb (TgWindow         *self,
                  const char       *group_id,
                  TgNewGroupDialog *dialog)
{
  tg_window_reload_groups (self, group_id);
}

void
tg_window_new_group (TgWindow *self)
{
  TgNewGroupDialog *dialog = tg_new_group_dialog_new (GTK_WINDOW (self));
  g_signal_connect_object (dialog, "created", G_CALLBACK (group_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
tg_window_groups_init (TgWindow *self)
{
  g_signal_connect_object (self->groups_list, "row-selected", G_CALLBACK (row_selected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups_list, "row-activated", G_CALLBACK (row_activated_cb), self,
                           G_CONNECT_SWAPPED);
}
