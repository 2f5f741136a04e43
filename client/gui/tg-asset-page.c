/* tg-asset-page.c — see tg-asset-page.h. */
#define G_LOG_DOMAIN "tg-asset-page"

#include "tg-asset-page.h"

#include "tg-application.h"
#include "tg-util.h"
#include "tg-window.h"

#ifdef TANDEM_HAVE_PLAYER_VIEW
#include "tg-player-view.h"
#endif

#include <glib/gi18n.h>

struct _TgAssetPage
{
  AdwBin parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget *finalize_button;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkBox *player_slot;
  GtkWidget *preview;
  GtkPicture *preview_picture;
  GtkLabel *preview_label;
  GtkLabel *badge;
  GtkLabel *meta_label;
  GtkLabel *description_label;
  GtkLabel *video_label;
  GtkDropDown *video_dropdown;
  GtkStringList *video_names;

  char *asset_id;
  JsonObject *asset;
  char *video_id;
  char *badge_class;
  GPtrArray *videos;       /* JsonObject, as in the drop-down */
  gboolean filling;        /* the drop-down is being filled */
  GtkWidget *player;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TgAssetPage, tg_asset_page, ADW_TYPE_BIN)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

gboolean
tg_asset_page_has_player (void)
{
#ifdef TANDEM_HAVE_PLAYER_VIEW
  return TRUE;
#else
  return FALSE;
#endif
}

/* ---- the video on show ---- */

static const char *
video_status_label (const char *status)
{
  if (g_strcmp0 (status, "waiting_upload") == 0)
    return _("Waiting for upload");
  if (g_strcmp0 (status, "processing") == 0)
    return _("Being checked");
  if (g_strcmp0 (status, "ready") == 0)
    return _("Ready");
  if (g_strcmp0 (status, "failed") == 0)
    return _("Failed");
  return "";
}

#ifndef TANDEM_HAVE_PLAYER_VIEW
static void
preview_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgAssetPage) self = user_data;
  g_autoptr(GdkTexture) texture = tg_image_cache_load_finish (TG_IMAGE_CACHE (source), result, NULL);
  if (texture != NULL)
    gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
}
#endif

/* The line about @video: name, state, length, size. */
static void
show_details (TgAssetPage *self,
              JsonObject  *video)
{
  const char *status = tg_json_string (video, "status");
  g_autoptr(GString) details = g_string_new (tg_json_string (video, "filename"));
  gint64 duration = tg_json_int (video, "duration_ms", -1);
  gint64 width = tg_json_int (video, "width", 0), height = tg_json_int (video, "height", 0);

  g_string_append_printf (details, " · %s", video_status_label (status));
  if (duration >= 0)
    {
      g_autofree char *d = tg_format_duration (duration);
      g_string_append_printf (details, " · %s", d);
    }
  if (width > 0 && height > 0)
    g_string_append_printf (details, " · %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT, width, height);
  gtk_label_set_text (self->video_label, details->str);

}

static void
show_video (TgAssetPage *self,
            JsonObject  *video)
{
  const char *id = tg_json_string (video, "id");
  const char *status = tg_json_string (video, "status");

  show_details (self, video);
  g_free (self->video_id);
  self->video_id = g_strdup (id);
  if (self->player != NULL)
    {
      gtk_box_remove (self->player_slot, self->player);
      self->player = NULL;
    }
  gtk_widget_set_visible (self->preview, TRUE);
  gtk_picture_set_paintable (self->preview_picture, NULL);

  if (g_strcmp0 (status, "ready") != 0)
    {
      gtk_label_set_text (self->preview_label,
                          g_strcmp0 (status, "failed") == 0 ? _("The server could not use this video.")
                          : g_strcmp0 (status, "processing") == 0 ? _("The server is still checking this video.")
                          : _("This video is not uploaded yet."));
      gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
      return;
    }

#ifdef TANDEM_HAVE_PLAYER_VIEW
  TgPlayerView *view = tg_player_view_new (tg_session_get_client (session ()), self->asset_id, id);
  /* The page has its own "Mark Reviewed" in the header bar. */
  tg_player_view_set_show_mark_reviewed (view, FALSE);
  self->player = GTK_WIDGET (view);
  gtk_widget_set_name (self->player, "asset-player-view");
  gtk_widget_set_vexpand (self->player, TRUE);
  gtk_box_append (self->player_slot, self->player);
  gtk_widget_set_visible (self->preview, FALSE);
#else
  gtk_label_set_text (self->preview_label, _("The review player is not part of this build."));
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
  const char *url = tg_json_string (video, "thumbnail_url");
  if (url != NULL)
    tg_image_cache_load_async (tg_application_get_image_cache (tg_application_get_default ()), url,
                               self->cancellable, preview_cb, g_object_ref (self));
#endif
}

static void
video_selected_cb (TgAssetPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->video_dropdown);
  if (self->filling || self->videos == NULL || selected >= self->videos->len)
    return;
  JsonObject *video = g_ptr_array_index (self->videos, selected);
  if (g_strcmp0 (tg_json_string (video, "id"), self->video_id) != 0)
    show_video (self, video);
}

/* ---- the asset ---- */

static gboolean
can_finalize (TgAssetPage *self)
{
  const char *role = tg_session_get_role (session ());
  return g_strcmp0 (tg_json_string (self->asset, "status"), "pending") == 0 &&
         (g_strcmp0 (role, "admin") == 0 || g_strcmp0 (role, "expert") == 0);
}

static void
show_asset (TgAssetPage *self,
            JsonObject  *asset)
{
  const char *status = tg_json_string (asset, "status");
  const char *owner = tg_json_string (asset, "owner_name");
  const char *description = tg_json_string (asset, "description");
  g_autofree char *when = tg_format_time (tg_json_string (asset, "created_at"));
  g_autofree char *finalized = tg_format_time (tg_json_string (asset, "finalized_at"));
  g_autoptr(GString) meta = g_string_new (NULL);

  g_clear_pointer (&self->asset, json_object_unref);
  self->asset = json_object_ref (asset);

  adw_window_title_set_title (self->window_title, tg_json_string (asset, "name"));
  adw_window_title_set_subtitle (self->window_title, tg_json_string (asset, "group_name"));
  if (self->badge_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), self->badge_class);
  g_free (self->badge_class);
  self->badge_class = g_strdup (tg_asset_status_css (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), self->badge_class);
  gtk_label_set_text (self->badge, tg_asset_status_label (status));

  if (owner != NULL && when != NULL)
    g_string_append_printf (meta, _("Uploaded by %s on %s"), owner, when);
  if (finalized != NULL)
    {
      g_autofree char *reviewed = g_strdup_printf (_("Reviewed on %s"), finalized);
      g_string_append_printf (meta, "%s%s", meta->len > 0 ? " · " : "", reviewed);
    }
  gtk_label_set_text (self->meta_label, meta->str);
  gtk_label_set_text (self->description_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL && *description != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "asset.finalize", can_finalize (self));
  gtk_widget_set_visible (self->finalize_button, can_finalize (self));

  /* The videos in the drop-down (shown when there are several); the one
   * on show stays, else the first. */
  JsonArray *videos = tg_json_member_array (asset, "videos");
  g_autofree char *keep = g_steal_pointer (&self->video_id);
  guint select = 0;

  self->filling = TRUE;
  g_ptr_array_set_size (self->videos, 0);
  gtk_string_list_splice (self->video_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->video_names)), NULL);
  for (guint i = 0; videos != NULL && i < json_array_get_length (videos); i++)
    {
      JsonObject *video = tg_json_object (json_array_get_element (videos, i));
      if (video == NULL || tg_json_string (video, "id") == NULL)
        continue;
      if (g_strcmp0 (tg_json_string (video, "id"), keep) == 0)
        select = self->videos->len;
      g_ptr_array_add (self->videos, json_object_ref (video));
      const char *filename = tg_json_string (video, "filename");
      gtk_string_list_append (self->video_names, filename != NULL ? filename : "");
    }
  gtk_drop_down_set_selected (self->video_dropdown, select);
  gtk_widget_set_visible (GTK_WIDGET (self->video_dropdown), self->videos->len > 1);
  self->filling = FALSE;

  if (self->videos->len > 0)
    {
      JsonObject *video = g_ptr_array_index (self->videos, select);
      /* The same video playing (a reload after Mark Reviewed): keep it. */
      if (self->player != NULL && g_strcmp0 (tg_json_string (video, "id"), keep) == 0)
        {
          self->video_id = g_steal_pointer (&keep);
          show_details (self, video);
        }
      else
        show_video (self, video);
    }
  gtk_stack_set_visible_child_name (self->stack, "asset");
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgAssetPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *asset = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  if (asset == NULL)
    {
      g_autofree char *sentence = tg_error_sentence (error, NULL);
      adw_status_page_set_description (self->error_page, sentence);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  show_asset (self, asset);
}

static void
load (TgAssetPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_autofree char *path = g_strdup_printf ("/assets/%s", self->asset_id);
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, loaded_cb, g_object_ref (self));
}

void
tg_asset_page_set_asset (TgAssetPage *self,
                         const char  *asset_id)
{
  g_return_if_fail (TG_IS_ASSET_PAGE (self));
  g_return_if_fail (asset_id != NULL);

  g_free (self->asset_id);
  self->asset_id = g_strdup (asset_id);
  g_clear_pointer (&self->asset, json_object_unref);
  g_clear_pointer (&self->video_id, g_free);
  if (self->player != NULL)
    {
      gtk_box_remove (self->player_slot, self->player);
      self->player = NULL;
    }
  adw_window_title_set_title (self->window_title, "");
  adw_window_title_set_subtitle (self->window_title, "");
  gtk_widget_set_visible (self->finalize_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  load (self);
}

JsonObject *
tg_asset_page_get_asset (TgAssetPage *self)
{
  g_return_val_if_fail (TG_IS_ASSET_PAGE (self), NULL);
  return self->asset;
}

const char *
tg_asset_page_get_video_id (TgAssetPage *self)
{
  g_return_val_if_fail (TG_IS_ASSET_PAGE (self), NULL);
  return self->video_id;
}

/* ---- finalize ---- */

static void
finalized_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TgAssetPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  gtk_widget_set_sensitive (self->finalize_button, TRUE);
  if (reply == NULL)
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not mark the video as reviewed"));
      return;
    }
  tg_window_toast (GTK_WIDGET (self), _("Marked as reviewed. The student gets an e-mail."));
  load (self);
}

static void
finalize_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TgAssetPage *self = TG_ASSET_PAGE (widget);
  if (self->asset_id == NULL)
    return;
  gtk_widget_set_sensitive (self->finalize_button, FALSE);
  g_autofree char *path = g_strdup_printf ("/assets/%s/finalize", self->asset_id);
  tg_session_call_async (session (), "POST", path, NULL, self->cancellable, finalized_cb, g_object_ref (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TgAssetPage *self = TG_ASSET_PAGE (widget);
  if (self->asset_id != NULL)
    load (self);
}

/* ---- object ---- */

static void
tg_asset_page_dispose (GObject *object)
{
  TgAssetPage *self = TG_ASSET_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset, json_object_unref);
  g_clear_pointer (&self->video_id, g_free);
  g_clear_pointer (&self->badge_class, g_free);
  g_clear_pointer (&self->videos, g_ptr_array_unref);
  self->player = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_ASSET_PAGE);

  G_OBJECT_CLASS (tg_asset_page_parent_class)->dispose (object);
}

static void
tg_asset_page_class_init (TgAssetPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_asset_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-asset-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, finalize_button);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, player_slot);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, preview);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, badge);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, video_label);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, video_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TgAssetPage, video_names);
  gtk_widget_class_bind_template_callback (widget_class, video_selected_cb);

  gtk_widget_class_install_action (widget_class, "asset.finalize", NULL, finalize_action);
  gtk_widget_class_install_action (widget_class, "asset.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "asset.refresh", NULL);
}

static void
tg_asset_page_init (TgAssetPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "asset-page");
  self->cancellable = g_cancellable_new ();
  self->videos = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}
