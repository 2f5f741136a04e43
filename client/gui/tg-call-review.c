/* tg-call-review.c — see tg-call-review.h. */
#define G_LOG_DOMAIN "tg-call-review"

#include "tg-call-review.h"

#include "tg-time.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

#define NS_PER_MS G_GINT64_CONSTANT (1000000)

struct _TgCallReview
{
  AdwBin parent_instance;

  GtkLabel *title_label;
  GtkWidget *close_button;
  GtkStack *stack;
  GtkLabel *picker_status;
  GtkListBox *videos_list;
  AdwBin *player_bin;
  AdwStatusPage *message;
  GtkWidget *save_box;
  GtkEntry *note_entry;
  GtkWidget *save_button;

  TandemApiClient *client;
  char *group_id;
  gboolean coach;
  TgReviewTogether *together;
  GCancellable *cancellable;        /* of the pane as a whole (reset by setup) */
  GCancellable *list_cancellable;   /* of the list being loaded */
  GCancellable *open_cancellable;   /* of the lookup of a video the other side opened */

  GPtrArray *videos;                /* JsonObject: {"video_id","asset_id","title","subtitle"} */
  guint list_pending;               /* asset reads still under way */
  GPtrArray *loading_assets;        /* JsonObject from the list */

  char *video_id;                   /* open now, or NULL */
  TgPlayerView *view;
  gboolean saving;
};

enum {
  SIGNAL_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgCallReview, tg_call_review, ADW_TYPE_BIN)

static void update_save (TgCallReview *self);

/* ---- the picker ---- */

static void
show_picker_status (TgCallReview *self,
                    const char   *text)
{
  gtk_label_set_text (self->picker_status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->picker_status), text != NULL);
}

static void
fill_list (TgCallReview *self)
{
  for (GtkWidget *row; (row = gtk_widget_get_first_child (GTK_WIDGET (self->videos_list))) != NULL;)
    gtk_list_box_remove (self->videos_list, row);
  for (guint i = 0; i < self->videos->len; i++)
    {
      JsonObject *video = g_ptr_array_index (self->videos, i);
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tg_json_string (video, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tg_json_string (video, "subtitle"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("media-playback-start-symbolic"));
      g_autofree char *name = g_strdup_printf ("call-video-%s", tg_json_string (video, "video_id"));
      gtk_widget_set_name (row, name);
      gtk_list_box_append (self->videos_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->videos_list), self->videos->len > 0);
  show_picker_status (self, self->videos->len == 0 ? _("The group has no videos ready to watch yet.") : NULL);
}

static void
add_videos_of (TgCallReview *self,
               JsonObject   *asset)
{
  JsonArray *videos = tg_json_member_array (asset, "videos");
  guint n = videos != NULL ? json_array_get_length (videos) : 0;
  guint ready = 0;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (tg_json_string (tg_json_object (json_array_get_element (videos, i)), "status"), "ready") == 0)
      ready++;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *video = tg_json_object (json_array_get_element (videos, i));
      if (g_strcmp0 (tg_json_string (video, "status"), "ready") != 0 || tg_json_string (video, "id") == NULL)
        continue;
      JsonObject *item = json_object_new ();
      json_object_set_string_member (item, "video_id", tg_json_string (video, "id"));
      json_object_set_string_member (item, "asset_id", tg_json_string (asset, "id"));
      const char *name = tg_json_string (asset, "name");
      g_autofree char *title = ready > 1 ? g_strdup_printf ("%s — %s", name != NULL ? name : "",
                                                            tg_json_string (video, "filename"))
                                         : g_strdup (name != NULL ? name : tg_json_string (video, "filename"));
      json_object_set_string_member (item, "title", title != NULL ? title : "");
      g_autofree char *length = tg_format_duration (tg_json_int (video, "duration_ms", 0));
      const char *owner = tg_json_string (asset, "owner_name");
      g_autofree char *subtitle = owner != NULL ? g_strdup_printf ("%s · %s", owner, length) : g_strdup (length);
      json_object_set_string_member (item, "subtitle", subtitle);
      g_ptr_array_add (self->videos, item);
    }
}

typedef struct {
  TgCallReview *self;
  guint index;                 /* in loading_assets */
} AssetRead;

static void
asset_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AssetRead *read = user_data;
  g_autoptr(TgCallReview) self = read->self;
  guint index = read->index;
  g_free (read);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);

  if (tg_error_is_cancelled (error) || self->loading_assets == NULL)
    return;
  JsonObject *asset = tg_json_object (reply);
  if (asset != NULL)
    {
      /* Keep the list's order: put the detail in the list's place. */
      json_object_ref (asset);
      json_object_unref (g_ptr_array_index (self->loading_assets, index));
      g_ptr_array_index (self->loading_assets, index) = asset;
    }
  if (--self->list_pending > 0)
    return;
  g_ptr_array_set_size (self->videos, 0);
  for (guint i = 0; i < self->loading_assets->len; i++)
    add_videos_of (self, g_ptr_array_index (self->loading_assets, i));
  g_clear_pointer (&self->loading_assets, g_ptr_array_unref);
  fill_list (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TgCallReview) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  if (items == NULL)
    {
      g_clear_pointer (&self->loading_assets, g_ptr_array_unref);
      g_autofree char *text = tg_error_sentence (error, _("Could not load the videos"));
      show_picker_status (self, text);
      return;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *asset = tg_json_object (json_array_get_element (items, i));
      if (tg_json_string (asset, "id") != NULL && tg_json_int (asset, "video_count", 1) > 0)
        g_ptr_array_add (self->loading_assets, json_object_ref (asset));
    }
  if (self->loading_assets->len == 0)
    {
      g_clear_pointer (&self->loading_assets, g_ptr_array_unref);
      g_ptr_array_set_size (self->videos, 0);
      fill_list (self);
      return;
    }
  self->list_pending = self->loading_assets->len;
  for (guint i = 0; i < self->loading_assets->len; i++)
    {
      JsonObject *asset = g_ptr_array_index (self->loading_assets, i);
      g_autofree char *id = g_uri_escape_string (tg_json_string (asset, "id"), NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/assets/%s", id);
      AssetRead *read = g_new0 (AssetRead, 1);
      read->self = g_object_ref (self);
      read->index = i;
      tandem_api_client_call_async (self->client, "GET", path, NULL, self->list_cancellable, asset_cb, read);
    }
}

void
tg_call_review_load_videos (TgCallReview *self)
{
  g_return_if_fail (TG_IS_CALL_REVIEW (self));

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_pointer (&self->loading_assets, g_ptr_array_unref);
  if (self->client == NULL || self->group_id == NULL)
    return;
  self->list_cancellable = g_cancellable_new ();
  self->loading_assets = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  show_picker_status (self, _("Loading the group’s videos…"));
  g_autofree char *group = g_uri_escape_string (self->group_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/assets?group_id=%s&limit=100", group);
  tandem_api_client_call_async (self->client, "GET", path, NULL, self->list_cancellable, list_cb,
                                g_object_ref (self));
}

gboolean
tg_call_review_is_loading (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), FALSE);
  return self->loading_assets != NULL;
}

guint
tg_call_review_get_n_videos (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), 0);
  return self->videos->len;
}

const char *
tg_call_review_get_video_at (TgCallReview *self,
                             guint         index)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), NULL);
  g_return_val_if_fail (index < self->videos->len, NULL);
  return tg_json_string (g_ptr_array_index (self->videos, index), "video_id");
}

static void
video_activated_cb (TgCallReview  *self,
                    GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->videos->len)
    return;
  JsonObject *video = g_ptr_array_index (self->videos, index);
  tg_call_review_open_video (self, tg_json_string (video, "asset_id"), tg_json_string (video, "video_id"));
}

/* ---- the open video ---- */

static void
show_message (TgCallReview *self,
              const char   *title,
              const char   *description)
{
  adw_status_page_set_title (self->message, title);
  adw_status_page_set_description (self->message, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
  gtk_widget_set_visible (self->close_button, TRUE);
}

static void
drop_view (TgCallReview *self)
{
  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  if (self->together != NULL)
    tg_review_together_set_view (self->together, NULL);
  if (self->view != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      if (GTK_IS_WINDOW (root))
        gtk_window_set_focus (GTK_WINDOW (root), NULL);
      adw_bin_set_child (self->player_bin, NULL);
      g_clear_object (&self->view);
    }
  g_clear_pointer (&self->video_id, g_free);
  gtk_label_set_text (self->title_label, _("Review Together"));
  gtk_widget_set_visible (self->close_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "picker");
  update_save (self);
}

static const char *
title_of (TgCallReview *self,
          const char   *video_id)
{
  for (guint i = 0; i < self->videos->len; i++)
    if (g_strcmp0 (tg_json_string (g_ptr_array_index (self->videos, i), "video_id"), video_id) == 0)
      return tg_json_string (g_ptr_array_index (self->videos, i), "title");
  return NULL;
}

static void
show_video (TgCallReview *self,
            const char   *asset_id,
            const char   *video_id,
            const char   *title)
{
  drop_view (self);
  self->video_id = g_strdup (video_id);
  self->view = g_object_ref_sink (tg_player_view_new (self->client, asset_id, video_id));
  gtk_widget_set_name (GTK_WIDGET (self->view), "call-review-view");
  tg_player_view_set_show_mark_reviewed (self->view, FALSE);
  /* Beside a call the picture and its tools need the room; the coach's
   * Save Drawing below stands in for the comment pane. */
  gtk_widget_set_visible (GTK_WIDGET (tg_player_view_get_panel (self->view)), FALSE);
  adw_bin_set_child (self->player_bin, GTK_WIDGET (self->view));
  gtk_stack_set_visible_child_name (self->stack, "player");
  gtk_label_set_text (self->title_label, title != NULL ? title : _("Review Together"));
  gtk_widget_set_visible (self->close_button, TRUE);
  g_signal_connect_object (tg_player_view_get_video_area (self->view), "changed", G_CALLBACK (update_save),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::ready", G_CALLBACK (update_save), self, G_CONNECT_SWAPPED);
  if (self->together != NULL)
    tg_review_together_set_view (self->together, self->view);
  update_save (self);
  g_signal_emit (self, signals[SIGNAL_OPENED], 0, video_id);
}

void
tg_call_review_open_video (TgCallReview *self,
                           const char   *asset_id,
                           const char   *video_id)
{
  g_return_if_fail (TG_IS_CALL_REVIEW (self));
  g_return_if_fail (asset_id != NULL && video_id != NULL);

  if (self->client == NULL)
    return;
  show_video (self, asset_id, video_id, title_of (self, video_id));
  if (self->together != NULL)
    tg_review_together_announce_open (self->together, video_id);
}

void
tg_call_review_close_video (TgCallReview *self)
{
  g_return_if_fail (TG_IS_CALL_REVIEW (self));
  gboolean was_open = self->video_id != NULL;
  drop_view (self);
  if (was_open && self->together != NULL)
    tg_review_together_announce_close (self->together);
}

static void
close_clicked_cb (TgCallReview *self)
{
  tg_call_review_close_video (self);
}

/* The other side opened @video_id: where is it? */
static void
remote_video_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TgCallReview) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  JsonObject *video = tg_json_object (reply);
  const char *asset_id = tg_json_string (video, "asset_id");
  const char *video_id = tg_json_string (video, "id");
  if (asset_id == NULL || video_id == NULL)
    {
      g_autofree char *why = tg_error_sentence (error, NULL);
      g_debug ("the other side's video cannot be opened here: %s", why);
      show_message (self, _("A Video You Cannot See"),
                    _("The other side opened a video that is not shared with you. Ask them to pick one of yours."));
      g_signal_emit (self, signals[SIGNAL_OPENED], 0, NULL);
      return;
    }
  show_video (self, asset_id, video_id, title_of (self, video_id) != NULL ? title_of (self, video_id)
                                                                           : tg_json_string (video, "filename"));
}

static void
remote_open_cb (TgCallReview *self,
                const char   *video_id)
{
  if (self->client == NULL || g_strcmp0 (video_id, self->video_id) == 0)
    return;
  for (guint i = 0; i < self->videos->len; i++)
    {
      JsonObject *video = g_ptr_array_index (self->videos, i);
      if (g_strcmp0 (tg_json_string (video, "video_id"), video_id) == 0)
        {
          show_video (self, tg_json_string (video, "asset_id"), video_id, tg_json_string (video, "title"));
          return;
        }
    }
  drop_view (self);
  self->open_cancellable = g_cancellable_new ();
  g_autofree char *id = g_uri_escape_string (video_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/videos/%s", id);
  tandem_api_client_call_async (self->client, "GET", path, NULL, self->open_cancellable, remote_video_cb,
                                g_object_ref (self));
}

static void
remote_close_cb (TgCallReview *self)
{
  drop_view (self);
}

/* ---- saving the drawing ---- */

static void
update_save (TgCallReview *self)
{
  gboolean open = self->view != NULL;
  gtk_widget_set_visible (self->save_box, self->coach && open);
  guint shapes = 0;
  if (open && self->together != NULL)
    {
      g_autoptr(TgDrawing) all = tg_review_together_dup_all_shapes (self->together);
      shapes = tg_drawing_get_n_shapes (all);
    }
  gtk_widget_set_sensitive (self->save_button, open && shapes > 0 && !self->saving &&
                                               tg_player_view_get_ready (self->view));
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TgCallReview) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = tg_video_doc_add_review_finish (TG_VIDEO_DOC (source), result, &error);

  self->saving = FALSE;
  if (tg_error_is_cancelled (error))
    return;
  if (id == NULL)
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not save the drawing"));
      update_save (self);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  if (self->together != NULL)
    tg_review_together_clear_drawings (self->together);
  update_save (self);
  tg_window_toast (GTK_WIDGET (self), _("The drawing is saved as a comment."));
}

void
tg_call_review_save_drawing (TgCallReview *self)
{
  g_return_if_fail (TG_IS_CALL_REVIEW (self));

  if (self->view == NULL || self->together == NULL || self->saving || !self->coach)
    return;
  g_autoptr(TgDrawing) drawing = tg_review_together_dup_all_shapes (self->together);
  if (tg_drawing_get_n_shapes (drawing) == 0)
    return;
  gint64 at = MAX (tg_player_view_get_position_ms (self->view), 0);
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  g_autofree char *when = tg_time_format (at);
  /* TRANSLATORS: the text of a comment saved from a call when the coach wrote none; %s is a time in the video */
  g_autofree char *text = *note != '\0' ? g_strdup (note) : g_strdup_printf (_("Drawn during the call at %s"), when);
  self->saving = TRUE;
  update_save (self);
  tg_video_doc_add_review_async (tg_player_view_get_doc (self->view), at, -1, text, drawing, NULL,
                                 self->cancellable, saved_cb, g_object_ref (self));
}

static void
save_clicked_cb (TgCallReview *self)
{
  tg_call_review_save_drawing (self);
}

gboolean
tg_call_review_is_saving (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), FALSE);
  return self->saving;
}

/* ---- API ---- */

void
tg_call_review_setup (TgCallReview    *self,
                      TandemApiClient *client,
                      const char      *group_id,
                      TcReviewSync    *sync,
                      gboolean         coach)
{
  g_return_if_fail (TG_IS_CALL_REVIEW (self));
  g_return_if_fail (client == NULL || TANDEM_IS_API_CLIENT (client));

  drop_view (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_pointer (&self->loading_assets, g_ptr_array_unref);
  g_ptr_array_set_size (self->videos, 0);
  fill_list (self);
  show_picker_status (self, NULL);
  self->saving = FALSE;
  g_clear_object (&self->together);
  g_set_object (&self->client, client);
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  self->coach = coach;
  if (sync != NULL)
    {
      self->together = tg_review_together_new (sync);
      g_signal_connect_object (self->together, "open-video", G_CALLBACK (remote_open_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->together, "close-video", G_CALLBACK (remote_close_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->together, "peer-drawing-changed", G_CALLBACK (update_save), self,
                               G_CONNECT_SWAPPED);
    }
  update_save (self);
}

const char *
tg_call_review_get_video_id (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), NULL);
  return self->video_id;
}

TgPlayerView *
tg_call_review_get_view (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), NULL);
  return self->view;
}

TgReviewTogether *
tg_call_review_get_together (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), NULL);
  return self->together;
}

const char *
tg_call_review_get_message (TgCallReview *self)
{
  g_return_val_if_fail (TG_IS_CALL_REVIEW (self), NULL);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "message") == 0)
    return adw_status_page_get_description (self->message);
  if (gtk_widget_get_visible (GTK_WIDGET (self->picker_status)))
    return gtk_label_get_text (self->picker_status);
  return "";
}

/* ---- GObject ---- */

static void
tg_call_review_dispose (GObject *object)
{
  TgCallReview *self = TG_CALL_REVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_cancellable_cancel (self->open_cancellable);
  if (self->together != NULL)
    tg_review_together_set_view (self->together, NULL);
  g_clear_object (&self->together);
  g_clear_object (&self->view);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_CALL_REVIEW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->loading_assets, g_ptr_array_unref);
  G_OBJECT_CLASS (tg_call_review_parent_class)->dispose (object);
}

static void
tg_call_review_finalize (GObject *object)
{
  TgCallReview *self = TG_CALL_REVIEW (object);

  g_ptr_array_unref (self->videos);
  g_free (self->group_id);
  g_free (self->video_id);
  G_OBJECT_CLASS (tg_call_review_parent_class)->finalize (object);
}

static void
tg_call_review_class_init (TgCallReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_call_review_dispose;
  object_class->finalize = tg_call_review_finalize;

  signals[SIGNAL_OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-call-review.ui");
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, title_label);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, close_button);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, stack);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, picker_status);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, videos_list);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, player_bin);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, message);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, save_box);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, note_entry);
  gtk_widget_class_bind_template_child (widget_class, TgCallReview, save_button);
  gtk_widget_class_bind_template_callback (widget_class, video_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
tg_call_review_init (TgCallReview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "call-review");
  self->videos = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->cancellable = g_cancellable_new ();
}
