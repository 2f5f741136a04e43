/* tg-player-view.c — the review player; see tg-player-view.h.
 *
 * The view owns the engine (TgPlayer) and the model (TgVideoDoc) and keeps
 * the widgets in step with them: the position drives the time label, the
 * playhead and which review drawings show on the picture; the review list
 * drives the timeline markers; the composer's submit becomes a review at
 * the frame on screen (or over the marked range) with the shapes drawn. */
#define G_LOG_DOMAIN "tg-player-view"

#include "tg-player-view.h"

#include "tg-player-resources.h"
#include "tg-time.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

/* A review about one moment shows its drawing from half a frame before it
 * to this long after it, so that it is seen while playing too. */
#define DRAWING_LINGER_MS 1000

#define NS_PER_MS G_GINT64_CONSTANT (1000000)

struct _TgPlayerView
{
  GtkWidget parent_instance;

  AdwToastOverlay *toasts;
  GtkPaned *paned;
  TgVideoArea *video_area;
  GtkBox *status_box;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  TgTimeline *timeline;
  GtkButton *play_button;
  GtkLabel *time_label;
  GtkMenuButton *speed_button;
  GtkColorButton *color_button;
  GtkButton *mark_reviewed_button;
  TgReviewPanel *panel;

  TgPlayer *player;
  TgVideoDoc *doc;
  GCancellable *cancellable;
  gboolean doc_loaded;
  gboolean failed;
  gboolean show_mark_reviewed;
  gint64 in_ms;
  gint64 out_ms;
  gint64 resume_at;            /* ns: where to go on after a new link, or -1 */
  gint64 last_position;        /* ns: the last frame shown, or -1 */
  gint64 last_refresh;         /* monotonic µs of the last new link, or 0 */
};

enum {
  PROP_0,
  PROP_RATE,
  PROP_TOOL,
  PROP_READY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TgPlayerView, tg_player_view, GTK_TYPE_WIDGET)

/* ---- feedback ---- */

static void
toast (TgPlayerView *self,
       const char   *text)
{
  AdwToast *t = adw_toast_new (text);
  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toasts, t);
}

static void
toast_error (TgPlayerView *self,
             const char   *what,
             const GError *error)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", what, error->message);
  toast (self, text);
}

static void
show_status (TgPlayerView *self,
             const char   *text,
             gboolean      spinning)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  gtk_spinner_set_spinning (self->spinner, spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->status_box), text != NULL || spinning);
}

/* ---- position-driven state ---- */

gint64
tg_player_view_get_position_ms (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), -1);
  gint64 position = tg_player_get_position (self->player);
  return position >= 0 ? position / NS_PER_MS : -1;
}

static gint64
duration_ms (TgPlayerView *self)
{
  gint64 duration = tg_player_get_duration (self->player);
  if (duration > 0)
    return duration / NS_PER_MS;
  return tg_video_doc_get_duration_ms (self->doc);
}

static gboolean
drawing_visible_at (TgReview *review,
                    gint64    position_ms,
                    gint64    half_frame_ms)
{
  gint64 at = tg_review_get_at_ms (review), end = tg_review_get_end_ms (review);
  if (end > at)
    return position_ms >= at - half_frame_ms && position_ms <= end;
  return position_ms >= at - half_frame_ms && position_ms < at + DRAWING_LINGER_MS;
}

static void
collect_drawings (GListModel *reviews,
                  gint64      position_ms,
                  gint64      half_frame_ms,
                  GPtrArray  *into)
{
  for (guint i = 0; i < g_list_model_get_n_items (reviews); i++)
    {
      g_autoptr(TgReview) review = g_list_model_get_item (reviews, i);
      if (tg_review_get_drawing (review) != NULL && drawing_visible_at (review, position_ms, half_frame_ms))
        g_ptr_array_add (into, tg_review_get_drawing (review));
      collect_drawings (tg_review_get_replies (review), position_ms, half_frame_ms, into);
    }
}

static void
update_drawings (TgPlayerView *self)
{
  gint64 position = tg_player_view_get_position_ms (self);
  g_autoptr(GPtrArray) drawings = g_ptr_array_new ();
  if (position >= 0)
    {
      gint64 frame = tg_player_get_frame_duration (self->player);
      gint64 half = frame > 0 ? frame / NS_PER_MS / 2 : 20;
      collect_drawings (tg_video_doc_get_reviews (self->doc), position, half, drawings);
    }
  tg_video_area_set_drawings (self->video_area, drawings);
}

static void
update_context (TgPlayerView *self)
{
  gint64 position = MAX (tg_player_view_get_position_ms (self), 0);
  g_autofree char *where = NULL;
  if (self->in_ms >= 0 && self->out_ms > self->in_ms)
    {
      g_autofree char *from = tg_time_format (self->in_ms);
      g_autofree char *to = tg_time_format (self->out_ms);
      where = g_strdup_printf (C_("player", "From %s to %s"), from, to);
    }
  else
    {
      g_autofree char *at = tg_time_format (self->in_ms >= 0 ? self->in_ms : position);
      where = g_strdup_printf (C_("player", "At %s"), at);
    }
  guint shapes = tg_drawing_get_n_shapes (tg_video_area_get_edit_drawing (self->video_area));
  if (shapes == 0)
    {
      tg_review_panel_set_context (self->panel, where);
      return;
    }
  g_autofree char *drawing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "with a drawing of %u shape",
                                                           "with a drawing of %u shapes", shapes), shapes);
  g_autofree char *text = g_strdup_printf ("%s, %s", where, drawing);
  tg_review_panel_set_context (self->panel, text);
}

static void
update_time (TgPlayerView *self)
{
  g_autofree char *now = tg_time_format (MAX (tg_player_view_get_position_ms (self), 0));
  g_autofree char *total = tg_time_format (MAX (duration_ms (self), 0));
  g_autofree char *text = g_strdup_printf ("%s / %s", now, total);
  gtk_label_set_text (self->time_label, text);
}

static void
on_position (TgPlayerView *self)
{
  gint64 position = tg_player_view_get_position_ms (self);
  if (tg_player_get_position (self->player) >= 0)
    self->last_position = tg_player_get_position (self->player);
  update_time (self);
  if (position >= 0)
    tg_timeline_set_position (self->timeline, position);
  update_drawings (self);
  update_context (self);
}

static void
on_duration (TgPlayerView *self)
{
  tg_timeline_set_duration (self->timeline, duration_ms (self));
  update_time (self);
}

static void
on_playing (TgPlayerView *self)
{
  gboolean playing = tg_player_get_playing (self->player);
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? C_("player", "Pause (Space)") : C_("player", "Play (Space)"));
}

static void
on_rate (TgPlayerView *self)
{
  double rate = tg_player_get_rate (self->player);
  g_autofree char *label = rate == 0.25 ? g_strdup ("¼×") : rate == 0.5 ? g_strdup ("½×")
                                        : g_strdup_printf ("%g×", rate);
  gtk_menu_button_set_label (self->speed_button, label);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RATE]);
}

static void
on_ready (TgPlayerView *self)
{
  if (tg_player_get_ready (self->player) && !self->failed)
    {
      show_status (self, NULL, FALSE);
      if (self->resume_at >= 0)
        {
          tg_player_seek (self->player, self->resume_at);
          self->resume_at = -1;
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
}

static void
give_up (TgPlayerView *self,
         const GError *error)
{
  self->failed = TRUE;
  show_status (self, C_("player", "This video cannot be played."), FALSE);
  toast_error (self, C_("player", "This video cannot be played"), error);
}

static void
on_playback_refreshed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  g_autoptr(TgPlayerView) self = data;
  g_autoptr(GError) error = NULL;

  if (!tg_video_doc_refresh_playback_finish (TG_VIDEO_DOC (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        give_up (self, error);
      return;
    }
  tg_player_set_uri (self->player, tg_video_doc_get_playback_uri (self->doc));
}

/* Playback links expire after an hour, and a link can fail on the way:
 * once per minute at most, the view asks for a new link and goes on from
 * the frame it showed.  Otherwise the error is shown. */
static void
on_player_error (TgPlayerView *self,
                 const GError *error)
{
  gint64 now = g_get_monotonic_time ();
  if (self->doc_loaded && (self->last_refresh == 0 || now - self->last_refresh > 60 * G_USEC_PER_SEC))
    {
      g_debug ("playback failed (%s); asking for a new link", error->message);
      self->last_refresh = now;
      self->resume_at = self->last_position;
      show_status (self, NULL, TRUE);
      tg_video_doc_refresh_playback_async (self->doc, self->cancellable, on_playback_refreshed,
                                           g_object_ref (self));
      return;
    }
  give_up (self, error);
}

/* ---- reviews ---- */

static void
update_markers (TgPlayerView *self)
{
  GListModel *reviews = tg_video_doc_get_reviews (self->doc);
  tg_timeline_clear_markers (self->timeline);
  for (guint i = 0; i < g_list_model_get_n_items (reviews); i++)
    {
      g_autoptr(TgReview) review = g_list_model_get_item (reviews, i);
      tg_timeline_add_marker (self->timeline, tg_review_get_at_ms (review), tg_review_get_end_ms (review));
    }
  update_drawings (self);
}

static void
on_strip (TgPlayerView *self)
{
  guint frames, interval, columns;
  GdkTexture *strip = tg_video_doc_get_strip (self->doc, &frames, &interval, &columns);
  tg_timeline_set_strip (self->timeline, strip, frames, interval, columns);
}

static void
on_can_finalize (TgPlayerView *self)
{
  gboolean can = tg_video_doc_get_can_finalize (self->doc);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.mark-reviewed", can);
  gtk_widget_set_visible (GTK_WIDGET (self->mark_reviewed_button), can && self->show_mark_reviewed);
}

static void
on_doc_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(TgPlayerView) self = data;
  g_autoptr(GError) error = NULL;

  if (!tg_video_doc_load_finish (TG_VIDEO_DOC (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->failed = TRUE;
      g_autofree char *text = g_strdup_printf (C_("player", "The video could not be loaded: %s"), error->message);
      show_status (self, text, FALSE);
      return;
    }
  self->doc_loaded = TRUE;
  tg_review_panel_set_doc (self->panel, self->doc);
  tg_player_set_uri (self->player, tg_video_doc_get_playback_uri (self->doc));
  on_duration (self);
  update_markers (self);
  on_can_finalize (self);
  update_context (self);
}

static void
on_review_added (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(TgPlayerView) self = data;
  g_autoptr(GError) error = NULL;

  tg_review_panel_set_busy (self->panel, FALSE);
  g_autofree char *id = tg_video_doc_add_review_finish (TG_VIDEO_DOC (source), result, &error);
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, C_("player", "The comment could not be saved"), error);
      return;
    }
  tg_review_panel_clear_composer (self->panel);
  tg_video_area_clear_edit (self->video_area);
  self->in_ms = self->out_ms = -1;
  tg_timeline_set_selection (self->timeline, -1, -1);
  update_context (self);
  toast (self, C_("player", "Comment saved"));
}

static void
on_panel_submit (TgPlayerView *self,
                 const char   *text,
                 const char   *parent_id)
{
  if (!self->doc_loaded)
    return;
  tg_review_panel_set_busy (self->panel, TRUE);
  if (parent_id != NULL)
    {
      tg_video_doc_add_review_async (self->doc, -1, -1, text, NULL, parent_id, self->cancellable,
                                     on_review_added, g_object_ref (self));
      return;
    }
  gint64 at = MAX (tg_player_view_get_position_ms (self), 0);
  gint64 end = -1;
  if (self->in_ms >= 0)
    {
      at = self->in_ms;
      end = self->out_ms > self->in_ms ? self->out_ms : -1;
    }
  TgDrawing *drawing = tg_video_area_get_edit_drawing (self->video_area);
  tg_video_doc_add_review_async (self->doc, at, end, text, tg_drawing_get_n_shapes (drawing) > 0 ? drawing : NULL,
                                 NULL, self->cancellable, on_review_added, g_object_ref (self));
}

static void
on_review_deleted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(TgPlayerView) self = data;
  g_autoptr(GError) error = NULL;

  if (!tg_video_doc_delete_review_finish (TG_VIDEO_DOC (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, C_("player", "The comment could not be deleted"), error);
      return;
    }
  toast (self, C_("player", "Comment deleted"));
}

static void
on_panel_delete (TgPlayerView *self,
                 TgReview     *review)
{
  tg_video_doc_delete_review_async (self->doc, tg_review_get_id (review), self->cancellable,
                                    on_review_deleted, g_object_ref (self));
}

static void
on_panel_jump (TgPlayerView *self,
               gint64        ms)
{
  tg_player_pause (self->player);
  tg_player_seek (self->player, ms * NS_PER_MS);
}

static void
on_timeline_seek (TgPlayerView *self,
                  gint64        ms)
{
  tg_player_seek (self->player, ms * NS_PER_MS);
}

static void
on_edit_changed (TgPlayerView *self)
{
  update_context (self);
}

static void
on_color_set (TgPlayerView *self)
{
  GdkRGBA color;
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->color_button), &color);
  tg_video_area_set_color (self->video_area, &color);
}

/* ---- actions ---- */

static void
action_toggle_play (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  tg_player_toggle (TG_PLAYER_VIEW (widget)->player);
}

static void
action_play (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  tg_player_play (TG_PLAYER_VIEW (widget)->player);
}

static void
action_pause (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  tg_player_pause (TG_PLAYER_VIEW (widget)->player);
}

static void
action_faster (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  TgPlayer *player = TG_PLAYER_VIEW (widget)->player;
  if (!tg_player_get_playing (player))
    tg_player_play (player);
  else
    tg_player_set_rate (player, tg_player_rate_faster (tg_player_get_rate (player)));
}

static void
action_slower (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  TgPlayer *player = TG_PLAYER_VIEW (widget)->player;
  if (!tg_player_get_playing (player))
    tg_player_step (player, -1);
  else if (tg_player_rate_slower (tg_player_get_rate (player)) < tg_player_get_rate (player))
    tg_player_set_rate (player, tg_player_rate_slower (tg_player_get_rate (player)));
  else
    tg_player_pause (player);
}

static void
action_step_forward (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  tg_player_step (TG_PLAYER_VIEW (widget)->player, 1);
}

static void
action_step_back (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  tg_player_step (TG_PLAYER_VIEW (widget)->player, -1);
}

static void
action_mark_in (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  TgPlayerView *self = TG_PLAYER_VIEW (widget);
  self->in_ms = MAX (tg_player_view_get_position_ms (self), 0);
  if (self->out_ms >= 0 && self->out_ms <= self->in_ms)
    self->out_ms = -1;
  tg_timeline_set_selection (self->timeline, self->in_ms, self->out_ms);
  update_context (self);
}

static void
action_mark_out (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TgPlayerView *self = TG_PLAYER_VIEW (widget);
  gint64 position = MAX (tg_player_view_get_position_ms (self), 0);
  if (self->in_ms < 0 || position <= self->in_ms)
    {
      toast (self, C_("player", "Set the start of the range (In) before its end"));
      return;
    }
  self->out_ms = position;
  tg_timeline_set_selection (self->timeline, self->in_ms, self->out_ms);
  update_context (self);
}

static void
action_clear_range (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  TgPlayerView *self = TG_PLAYER_VIEW (widget);
  self->in_ms = self->out_ms = -1;
  tg_timeline_set_selection (self->timeline, -1, -1);
  update_context (self);
}

static void
action_undo_shape (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  tg_video_area_undo (TG_PLAYER_VIEW (widget)->video_area);
}

static void
action_clear_drawing (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  tg_video_area_clear_edit (TG_PLAYER_VIEW (widget)->video_area);
}

static void
on_finalized (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(TgPlayerView) self = data;
  g_autoptr(GError) error = NULL;

  if (!tg_video_doc_finalize_finish (TG_VIDEO_DOC (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, C_("player", "The video could not be marked as reviewed"), error);
      return;
    }
  toast (self, C_("player", "Marked as reviewed; the owner is told by e-mail"));
}

static void
action_mark_reviewed (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  TgPlayerView *self = TG_PLAYER_VIEW (widget);
  tg_video_doc_finalize_async (self->doc, self->cancellable, on_finalized, g_object_ref (self));
}

/* ---- API ---- */

TgPlayerView *
tg_player_view_new (TandemApiClient *client,
                    const char      *asset_id,
                    const char      *video_id)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (asset_id != NULL && video_id != NULL, NULL);

  TgPlayerView *self = g_object_new (TG_TYPE_PLAYER_VIEW, NULL);
  self->doc = tg_video_doc_new (client, asset_id, video_id);
  g_signal_connect_object (tg_video_doc_get_reviews (self->doc), "items-changed",
                           G_CALLBACK (update_markers), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->doc, "notify::strip", G_CALLBACK (on_strip), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->doc, "notify::can-finalize", G_CALLBACK (on_can_finalize), self,
                           G_CONNECT_SWAPPED);
  show_status (self, NULL, TRUE);
  tg_video_doc_load_async (self->doc, self->cancellable, on_doc_loaded, g_object_ref (self));
  return self;
}

gboolean
tg_player_view_get_ready (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), FALSE);
  return self->doc_loaded && tg_player_get_ready (self->player);
}

void
tg_player_view_set_show_mark_reviewed (TgPlayerView *self,
                                       gboolean      show)
{
  g_return_if_fail (TG_IS_PLAYER_VIEW (self));
  self->show_mark_reviewed = show;
  if (self->doc != NULL)
    on_can_finalize (self);
}

TgPlayer *
tg_player_view_get_player (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), NULL);
  return self->player;
}

TgVideoDoc *
tg_player_view_get_doc (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), NULL);
  return self->doc;
}

TgVideoArea *
tg_player_view_get_video_area (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), NULL);
  return self->video_area;
}

TgTimeline *
tg_player_view_get_timeline (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), NULL);
  return self->timeline;
}

TgReviewPanel *
tg_player_view_get_panel (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), NULL);
  return self->panel;
}

const char *
tg_player_view_get_time_text (TgPlayerView *self)
{
  g_return_val_if_fail (TG_IS_PLAYER_VIEW (self), NULL);
  return gtk_label_get_text (self->time_label);
}

/* ---- GObject ---- */

static void
tg_player_view_dispose (GObject *object)
{
  TgPlayerView *self = TG_PLAYER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      tg_player_set_uri (self->player, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_PLAYER_VIEW);
  /* Children without a bound name are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->player);
  g_clear_object (&self->doc);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tg_player_view_parent_class)->dispose (object);
}

static void
tg_player_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TgPlayerView *self = TG_PLAYER_VIEW (object);

  switch (prop_id)
    {
    case PROP_RATE: g_value_set_double (value, tg_player_get_rate (self->player)); break;
    case PROP_TOOL: g_value_set_enum (value, tg_video_area_get_tool (self->video_area)); break;
    case PROP_READY: g_value_set_boolean (value, tg_player_view_get_ready (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_player_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TgPlayerView *self = TG_PLAYER_VIEW (object);

  switch (prop_id)
    {
    case PROP_RATE:
      tg_player_set_rate (self->player, g_value_get_double (value));
      break;
    case PROP_TOOL:
      tg_video_area_set_tool (self->video_area, g_value_get_enum (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_player_view_class_init (TgPlayerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_player_view_dispose;
  object_class->get_property = tg_player_view_get_property;
  object_class->set_property = tg_player_view_set_property;

  props[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0.25, 2.0, 1.0,
                                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_TOOL] = g_param_spec_enum ("tool", NULL, NULL, TG_TYPE_TOOL, TG_TOOL_NONE,
                                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (TG_TYPE_VIDEO_AREA);
  g_type_ensure (TG_TYPE_TIMELINE);
  g_type_ensure (TG_TYPE_REVIEW_PANEL);
  tg_player_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/player/tg-player-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, toasts);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, paned);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, video_area);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, status_box);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, spinner);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, status_label);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, timeline);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, play_button);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, time_label);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, speed_button);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, color_button);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, mark_reviewed_button);
  gtk_widget_class_bind_template_child (widget_class, TgPlayerView, panel);
  gtk_widget_class_bind_template_callback (widget_class, on_timeline_seek);
  gtk_widget_class_bind_template_callback (widget_class, on_panel_jump);
  gtk_widget_class_bind_template_callback (widget_class, on_panel_submit);
  gtk_widget_class_bind_template_callback (widget_class, on_panel_delete);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_color_set);

  gtk_widget_class_install_action (widget_class, "player.toggle-play", NULL, action_toggle_play);
  gtk_widget_class_install_action (widget_class, "player.play", NULL, action_play);
  gtk_widget_class_install_action (widget_class, "player.pause", NULL, action_pause);
  gtk_widget_class_install_action (widget_class, "player.faster", NULL, action_faster);
  gtk_widget_class_install_action (widget_class, "player.slower", NULL, action_slower);
  gtk_widget_class_install_action (widget_class, "player.step-forward", NULL, action_step_forward);
  gtk_widget_class_install_action (widget_class, "player.step-back", NULL, action_step_back);
  gtk_widget_class_install_action (widget_class, "player.mark-in", NULL, action_mark_in);
  gtk_widget_class_install_action (widget_class, "player.mark-out", NULL, action_mark_out);
  gtk_widget_class_install_action (widget_class, "player.clear-range", NULL, action_clear_range);
  gtk_widget_class_install_action (widget_class, "player.undo-shape", NULL, action_undo_shape);
  gtk_widget_class_install_action (widget_class, "player.clear-drawing", NULL, action_clear_drawing);
  gtk_widget_class_install_action (widget_class, "player.mark-reviewed", NULL, action_mark_reviewed);
  gtk_widget_class_install_property_action (widget_class, "player.rate", "rate");
  gtk_widget_class_install_property_action (widget_class, "player.tool", "tool");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "player.toggle-play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "player.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "player.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "player.slower", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "player.step-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "player.step-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, 0, "player.mark-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, 0, "player.mark-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "player.undo-shape", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tg-player-view");
}

static void
tg_player_view_init (TgPlayerView *self)
{
  self->cancellable = g_cancellable_new ();
  self->show_mark_reviewed = TRUE;
  self->in_ms = self->out_ms = -1;
  self->resume_at = -1;
  self->last_position = -1;
  self->player = tg_player_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  tg_video_area_set_paintable (self->video_area, GDK_PAINTABLE (tg_player_get_paintable (self->player)));
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (on_position), self);
  g_signal_connect_swapped (self->player, "notify::duration", G_CALLBACK (on_duration), self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (on_playing), self);
  g_signal_connect_swapped (self->player, "notify::rate", G_CALLBACK (on_rate), self);
  g_signal_connect_swapped (self->player, "notify::ready", G_CALLBACK (on_ready), self);
  g_signal_connect_swapped (self->player, "error", G_CALLBACK (on_player_error), self);

  GdkRGBA red = *tg_video_area_get_color (self->video_area);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color_button), &red);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.mark-reviewed", FALSE);
}
