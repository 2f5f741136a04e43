/* tg-library-view.c — see tg-library-view.h. */
#define G_LOG_DOMAIN "tg-library-view"

#include "tg-library-view.h"

#include "tg-application.h"
#include "tg-asset-tile.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgLibraryView
{
  GtkWidget parent_instance;

  GtkSearchEntry *search_entry;
  GtkDropDown *status_filter;
  GtkStack *stack;
  GtkGridView *grid;

  GListStore *assets;          /* TgAsset */
  GtkCustomFilter *filter;
  GtkFilterListModel *shown;
  char *group_id;
  GCancellable *cancellable;
  GPtrArray *loading;          /* the assets of the load under way */
};

G_DEFINE_FINAL_TYPE (TgLibraryView, tg_library_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_ASSET_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The status each entry of the drop-down stands for. */
static const char *const filter_status[] = { NULL, "waiting_upload", "pending", "completed" };

/* ---- filtering ---- */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  TgLibraryView *self = user_data;
  TgAsset *asset = item;
  guint selected = gtk_drop_down_get_selected (self->status_filter);
  const char *status = selected < G_N_ELEMENTS (filter_status) ? filter_status[selected] : NULL;

  if (status != NULL && g_strcmp0 (tg_asset_get_status (asset), status) != 0)
    return FALSE;
  return tg_asset_matches (asset, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
update_page (TgLibraryView *self)
{
  if (self->loading != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->assets)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->assets)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "grid");
}

static void
filters_changed_cb (TgLibraryView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_page (self);
}

static void
grid_activate_cb (TgLibraryView *self,
                  guint          position)
{
  g_autoptr(TgAsset) asset = g_list_model_get_item (G_LIST_MODEL (self->shown), position);
  if (asset != NULL)
    g_signal_emit (self, signals[SIGNAL_ASSET_ACTIVATED], 0, tg_asset_get_id (asset));
}

/* ---- loading ---- */

static void load_page (TgLibraryView *self, const char *cursor);

/* Replaces the list, keeping the items (and their thumbnails) of assets
 * that did not change. */
static void
show_assets (TgLibraryView *self,
             GPtrArray     *jsons)
{
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->assets));
  for (guint i = 0; i < n; i++)
    {
      TgAsset *asset = g_list_model_get_item (G_LIST_MODEL (self->assets), i);
      g_hash_table_replace (old, g_strdup (tg_asset_get_id (asset)), asset);
    }

  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < jsons->len; i++)
    {
      JsonObject *json = g_ptr_array_index (jsons, i);
      TgAsset *previous = g_hash_table_lookup (old, tg_json_string (json, "id"));
      if (previous != NULL &&
          g_strcmp0 (tg_json_string (tg_asset_get_json (previous), "updated_at"), tg_json_string (json, "updated_at")) == 0 &&
          g_strcmp0 (tg_asset_get_status (previous), tg_json_string (json, "status")) == 0 &&
          tg_asset_get_thumbnail (previous) != NULL)
        g_ptr_array_add (items, g_object_ref (previous));
      else
        g_ptr_array_add (items, tg_asset_new (json));
    }
  g_list_store_splice (self->assets, 0, n, items->pdata, items->len);
  update_page (self);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TgLibraryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *page = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  if (page == NULL)
    {
      g_clear_pointer (&self->loading, g_ptr_array_unref);
      update_page (self);
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not load the videos"));
      return;
    }
  JsonArray *items = tg_json_member_array (page, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *asset = tg_json_object (json_array_get_element (items, i));
      if (tg_json_string (asset, "id") != NULL)
        g_ptr_array_add (self->loading, json_object_ref (asset));
    }
  const char *next = tg_json_string (page, "next_cursor");
  if (next != NULL)
    {
      load_page (self, next);
      return;
    }
  g_autoptr(GPtrArray) loaded = g_steal_pointer (&self->loading);
  show_assets (self, loaded);
}

static void
load_page (TgLibraryView *self,
           const char    *cursor)
{
  TgSession *session = tg_application_get_session (tg_application_get_default ());
  g_autofree char *group = g_uri_escape_string (self->group_id, NULL, FALSE);
  g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/assets?group_id=%s&limit=100%s%s", group,
                                           escaped != NULL ? "&cursor=" : "", escaped != NULL ? escaped : "");
  tg_session_call_async (session, "GET", path, NULL, self->cancellable, page_cb, g_object_ref (self));
}

void
tg_library_view_reload (TgLibraryView *self)
{
  g_return_if_fail (TG_IS_LIBRARY_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  if (self->group_id == NULL)
    {
      g_list_store_remove_all (self->assets);
      update_page (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  self->loading = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  update_page (self);
  load_page (self, NULL);
}

void
tg_library_view_set_group_id (TgLibraryView *self,
                              const char    *group_id)
{
  g_return_if_fail (TG_IS_LIBRARY_VIEW (self));

  if (g_strcmp0 (self->group_id, group_id) != 0)
    {
      g_list_store_remove_all (self->assets);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_drop_down_set_selected (self->status_filter, 0);
    }
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  tg_library_view_reload (self);
}

GListModel *
tg_library_view_get_assets (TgLibraryView *self)
{
  g_return_val_if_fail (TG_IS_LIBRARY_VIEW (self), NULL);
  return G_LIST_MODEL (self->assets);
}

GListModel *
tg_library_view_get_shown (TgLibraryView *self)
{
  g_return_val_if_fail (TG_IS_LIBRARY_VIEW (self), NULL);
  return G_LIST_MODEL (self->shown);
}

gboolean
tg_library_view_is_loading (TgLibraryView *self)
{
  g_return_val_if_fail (TG_IS_LIBRARY_VIEW (self), FALSE);
  return self->loading != NULL;
}

/* ---- object ---- */

static void
tg_library_view_dispose (GObject *object)
{
  TgLibraryView *self = TG_LIBRARY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_LIBRARY_VIEW);
  /* A plain GtkWidget unparents its children itself. */
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->assets);
  g_clear_pointer (&self->group_id, g_free);

  G_OBJECT_CLASS (tg_library_view_parent_class)->dispose (object);
}

static void
tg_library_view_class_init (TgLibraryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_library_view_dispose;

  g_type_ensure (TG_TYPE_ASSET_TILE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-library-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgLibraryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TgLibraryView, status_filter);
  gtk_widget_class_bind_template_child (widget_class, TgLibraryView, stack);
  gtk_widget_class_bind_template_child (widget_class, TgLibraryView, grid);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, grid_activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* A tile was opened; the asset's id. */
  signals[SIGNAL_ASSET_ACTIVATED] = g_signal_new ("asset-activated", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tg_library_view_init (TgLibraryView *self)
{
  self->assets = g_list_store_new (TG_TYPE_ASSET);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->assets)),
                                           g_object_ref (GTK_FILTER (self->filter)));

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "library-view");
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->shown)))));
  update_page (self);
}
