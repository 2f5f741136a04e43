/* tg-review-together.c — see tg-review-together.h. */
#define G_LOG_DOMAIN "tg-review-together"

#include "tg-review-together.h"

#define TG_REVIEW_TOGETHER_SETTLE_MS 150

struct _TgReviewTogether
{
  GObject parent_instance;

  TcReviewSync *sync;
  GWeakRef view;
  TgPlayer *player;            /* of the view (a reference while attached) */
  TgVideoArea *area;
  GPtrArray *handlers;         /* of player and area: (GObject *, handler id) pairs */

  TgDrawing *peer_drawing;
  guint applying;              /* > 0 while the other side's command runs */
  gboolean dirty;              /* a local pause or step waits to settle */
  guint settle_source;         /* sends the settled frame */

  /* What came before the player was ready. */
  gint64 pending_position;     /* -1: none */
  int pending_playing;         /* -1: none, 0: paused, 1: playing */
  double pending_rate;         /* 0: none */
};

enum {
  SIGNAL_OPEN_VIDEO,
  SIGNAL_CLOSE_VIDEO,
  SIGNAL_PEER_DRAWING_CHANGED,
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgReviewTogether, tg_review_together, G_TYPE_OBJECT)

static gboolean
player_ready (TgReviewTogether *self)
{
  return self->player != NULL && tg_player_get_ready (self->player);
}

static void
applied (TgReviewTogether *self,
         const char       *type)
{
  g_debug ("%p applied %s; at %" G_GINT64_FORMAT, (void *) self, type,
           self->player != NULL ? tg_player_get_position (self->player) : -1);
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, type);
}

/* ---- what this side does ---- */

static void
playing_cb (TgReviewTogether *self)
{
  if (self->applying > 0)
    return;
  gint64 position = tg_player_get_position (self->player);
  if (tg_player_get_playing (self->player))
    {
      self->dirty = FALSE;
      g_clear_handle_id (&self->settle_source, g_source_remove);
      tc_review_sync_play (self->sync, position);
    }
  else
    {
      g_debug ("%p pause at %" G_GINT64_FORMAT, (void *) self, position);
      tc_review_sync_pause (self->sync, position);
      self->dirty = TRUE;
    }
}

static void
rate_cb (TgReviewTogether *self)
{
  if (self->applying == 0)
    tc_review_sync_set_rate (self->sync, tg_player_get_rate (self->player));
}

static void
seek_requested_cb (TgReviewTogether *self,
                   gint64            position)
{
  if (self->applying > 0)
    return;
  /* Both players land on the frame of @position: nothing to settle. */
  g_debug ("%p seek to %" G_GINT64_FORMAT, (void *) self, position);
  tc_review_sync_seek (self->sync, position);
  self->dirty = FALSE;
  g_clear_handle_id (&self->settle_source, g_source_remove);
}

static void
step_requested_cb (TgReviewTogether *self,
                   int               frames)
{
  if (self->applying > 0)
    return;
  g_debug ("%p step %d", (void *) self, frames);
  tc_review_sync_frame_step (self->sync, CLAMP (frames, -1000, 1000));
  self->dirty = TRUE;
}

static gboolean
settle_cb (gpointer data)
{
  TgReviewTogether *self = data;
  self->settle_source = 0;
  if (self->player == NULL || tg_player_get_busy (self->player) || tg_player_get_playing (self->player))
    return G_SOURCE_REMOVE;
  self->dirty = FALSE;
  gint64 position = tg_player_get_position (self->player);
  g_debug ("%p settled at %" G_GINT64_FORMAT, (void *) self, position);
  if (position >= 0)
    tc_review_sync_seek (self->sync, position);
  return G_SOURCE_REMOVE;
}

/* A local pause or step has landed: once the frame on screen stays for
 * TG_REVIEW_TOGETHER_SETTLE_MS, it follows as a seek (the other side
 * paused a little later, or stepped from another frame). */
static void
settling_cb (TgReviewTogether *self)
{
  if (!self->dirty || tg_player_get_busy (self->player) || tg_player_get_playing (self->player))
    return;
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add (TG_REVIEW_TOGETHER_SETTLE_MS, settle_cb, self);
}

static void
edit_changed_cb (TgReviewTogether *self)
{
  g_autoptr(GError) error = NULL;

  if (self->applying > 0)
    return;
  g_autoptr(JsonNode) node = tg_drawing_to_json (tg_video_area_get_edit_drawing (self->area));
  if (!tc_review_sync_stroke (self->sync, node, &error))
    g_warning ("the drawing was not sent: %s", error->message);
}

/* ---- what the other side does ---- */

static void
apply_pending (TgReviewTogether *self)
{
  if (!player_ready (self))
    return;
  self->applying++;
  if (self->pending_rate > 0)
    tg_player_set_rate (self->player, self->pending_rate);
  if (self->pending_playing == 0)
    tg_player_pause (self->player);
  if (self->pending_position >= 0)
    tg_player_seek (self->player, self->pending_position);
  if (self->pending_playing == 1)
    tg_player_play (self->player);
  self->applying--;
  self->pending_rate = 0;
  self->pending_playing = -1;
  self->pending_position = -1;
}

static void
ready_cb (TgReviewTogether *self)
{
  apply_pending (self);
}

static void
remote_play_cb (TgReviewTogether *self,
                gint64            position)
{
  self->pending_playing = 1;
  self->pending_position = position;
  if (!player_ready (self))
    return;
  /* Only a seek when the other side is not where we are. */
  gint64 here = tg_player_get_position (self->player);
  gint64 frame = MAX (tg_player_get_frame_duration (self->player), 0);
  if (position < 0 || (here >= 0 && ABS (here - position) <= frame / 2))
    self->pending_position = -1;
  apply_pending (self);
  applied (self, "play");
}

static void
remote_pause_cb (TgReviewTogether *self,
                 gint64            position)
{
  self->pending_playing = 0;
  if (position >= 0)
    self->pending_position = position;
  apply_pending (self);
  applied (self, "pause");
}

static void
remote_seek_cb (TgReviewTogether *self,
                gint64            position)
{
  if (position < 0)
    return;
  self->pending_position = position;
  /* A seek that lands where we are changes nothing. */
  if (player_ready (self) && !tg_player_get_busy (self->player) &&
      tg_player_get_position (self->player) == position)
    self->pending_position = -1;
  apply_pending (self);
  applied (self, "seek");
}

static void
remote_rate_cb (TgReviewTogether *self,
                double            rate)
{
  self->pending_rate = rate;
  apply_pending (self);
  applied (self, "rate");
}

static void
remote_frame_step_cb (TgReviewTogether *self,
                      int               frames)
{
  if (!player_ready (self))
    return;   /* the seek that follows the step brings the frame */
  self->applying++;
  tg_player_step (self->player, frames);
  self->applying--;
  applied (self, "frame-step");
}

static void
set_peer_drawing (TgReviewTogether *self,
                  TgDrawing        *drawing)
{
  g_clear_pointer (&self->peer_drawing, tg_drawing_unref);
  if (drawing != NULL)
    self->peer_drawing = tg_drawing_ref (drawing);
  if (self->area != NULL)
    tg_video_area_set_peer_drawing (self->area, self->peer_drawing);
  g_signal_emit (self, signals[SIGNAL_PEER_DRAWING_CHANGED], 0);
}

static void
remote_stroke_cb (TgReviewTogether *self,
                  JsonNode         *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TgDrawing) drawing = tg_drawing_new_from_json (node, &error);
  if (drawing == NULL)
    {
      g_debug ("a drawing that makes no sense: %s", error->message);
      return;
    }
  set_peer_drawing (self, tg_drawing_get_n_shapes (drawing) > 0 ? drawing : NULL);
  applied (self, "stroke");
}

static void
remote_clear_drawing_cb (TgReviewTogether *self)
{
  self->applying++;
  if (self->area != NULL)
    tg_video_area_clear_edit (self->area);
  self->applying--;
  set_peer_drawing (self, NULL);
  applied (self, "clear-drawing");
}

static void
remote_open_video_cb (TgReviewTogether *self,
                      const char       *video_id)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_VIDEO], 0, video_id);
}

static void
remote_close_video_cb (TgReviewTogether *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSE_VIDEO], 0);
}

/* ---- attaching a view ---- */

static void
track (TgReviewTogether *self,
       gpointer          instance,
       const char       *signal,
       GCallback         callback)
{
  gulong id = g_signal_connect_swapped (instance, signal, callback, self);
  g_ptr_array_add (self->handlers, instance);
  g_ptr_array_add (self->handlers, GSIZE_TO_POINTER ((gsize) id));
}

static void
detach (TgReviewTogether *self)
{
  for (guint i = 0; i + 1 < self->handlers->len; i += 2)
    g_signal_handler_disconnect (g_ptr_array_index (self->handlers, i),
                                 (gulong) GPOINTER_TO_SIZE (g_ptr_array_index (self->handlers, i + 1)));
  g_ptr_array_set_size (self->handlers, 0);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  if (self->area != NULL)
    tg_video_area_set_peer_drawing (self->area, NULL);
  g_clear_object (&self->player);
  g_clear_object (&self->area);
  g_weak_ref_set (&self->view, NULL);
}

void
tg_review_together_set_view (TgReviewTogether *self,
                             TgPlayerView     *view)
{
  g_return_if_fail (TG_IS_REVIEW_TOGETHER (self));
  g_return_if_fail (view == NULL || TG_IS_PLAYER_VIEW (view));

  detach (self);
  self->dirty = FALSE;
  g_clear_pointer (&self->peer_drawing, tg_drawing_unref);
  if (view == NULL)
    {
      self->pending_position = -1;
      self->pending_playing = -1;
      self->pending_rate = 0;
      return;
    }
  g_weak_ref_set (&self->view, view);
  self->player = g_object_ref (tg_player_view_get_player (view));
  self->area = g_object_ref (tg_player_view_get_video_area (view));
  track (self, self->player, "notify::playing", G_CALLBACK (playing_cb));
  track (self, self->player, "notify::rate", G_CALLBACK (rate_cb));
  track (self, self->player, "notify::busy", G_CALLBACK (settling_cb));
  track (self, self->player, "notify::position", G_CALLBACK (settling_cb));
  track (self, self->player, "notify::ready", G_CALLBACK (ready_cb));
  track (self, self->player, "seek-requested", G_CALLBACK (seek_requested_cb));
  track (self, self->player, "step-requested", G_CALLBACK (step_requested_cb));
  track (self, self->area, "changed", G_CALLBACK (edit_changed_cb));
  apply_pending (self);
}

TgPlayerView *
tg_review_together_get_view (TgReviewTogether *self)
{
  g_return_val_if_fail (TG_IS_REVIEW_TOGETHER (self), NULL);
  g_autoptr(TgPlayerView) view = g_weak_ref_get (&self->view);
  return view;   /* still alive: the widget tree holds it */
}

void
tg_review_together_announce_open (TgReviewTogether *self,
                                  const char       *video_id)
{
  g_return_if_fail (TG_IS_REVIEW_TOGETHER (self));
  g_return_if_fail (video_id != NULL);
  tc_review_sync_open_video (self->sync, video_id);
}

void
tg_review_together_announce_close (TgReviewTogether *self)
{
  g_return_if_fail (TG_IS_REVIEW_TOGETHER (self));
  tc_review_sync_close_video (self->sync);
}

TgDrawing *
tg_review_together_get_peer_drawing (TgReviewTogether *self)
{
  g_return_val_if_fail (TG_IS_REVIEW_TOGETHER (self), NULL);
  return self->peer_drawing;
}

static void
append_shapes (JsonArray *into,
               TgDrawing *drawing)
{
  if (drawing == NULL)
    return;
  g_autoptr(JsonNode) node = tg_drawing_to_json (drawing);
  JsonArray *shapes = json_object_get_array_member (json_node_get_object (node), "shapes");
  for (guint i = 0; shapes != NULL && i < json_array_get_length (shapes); i++)
    json_array_add_element (into, json_node_copy (json_array_get_element (shapes, i)));
}

TgDrawing *
tg_review_together_dup_all_shapes (TgReviewTogether *self)
{
  g_return_val_if_fail (TG_IS_REVIEW_TOGETHER (self), NULL);

  JsonArray *shapes = json_array_new ();
  append_shapes (shapes, self->peer_drawing);
  append_shapes (shapes, self->area != NULL ? tg_video_area_get_edit_drawing (self->area) : NULL);
  JsonObject *o = json_object_new ();
  json_object_set_array_member (o, "shapes", shapes);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  TgDrawing *drawing = tg_drawing_new_from_json (node, NULL);
  return drawing != NULL ? drawing : tg_drawing_new ();
}

void
tg_review_together_clear_drawings (TgReviewTogether *self)
{
  g_return_if_fail (TG_IS_REVIEW_TOGETHER (self));
  self->applying++;
  if (self->area != NULL)
    tg_video_area_clear_edit (self->area);
  self->applying--;
  set_peer_drawing (self, NULL);
  tc_review_sync_clear_drawing (self->sync);
}

TcReviewSync *
tg_review_together_get_sync (TgReviewTogether *self)
{
  g_return_val_if_fail (TG_IS_REVIEW_TOGETHER (self), NULL);
  return self->sync;
}

TgReviewTogether *
tg_review_together_new (TcReviewSync *sync)
{
  g_return_val_if_fail (TC_IS_REVIEW_SYNC (sync), NULL);

  TgReviewTogether *self = g_object_new (TG_TYPE_REVIEW_TOGETHER, NULL);
  self->sync = g_object_ref (sync);
  g_signal_connect_object (sync, "open-video", G_CALLBACK (remote_open_video_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "close-video", G_CALLBACK (remote_close_video_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "play", G_CALLBACK (remote_play_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "pause", G_CALLBACK (remote_pause_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "seek", G_CALLBACK (remote_seek_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "rate", G_CALLBACK (remote_rate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "frame-step", G_CALLBACK (remote_frame_step_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "stroke", G_CALLBACK (remote_stroke_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "clear-drawing", G_CALLBACK (remote_clear_drawing_cb), self, G_CONNECT_SWAPPED);
  return self;
}

static void
tg_review_together_dispose (GObject *object)
{
  TgReviewTogether *self = TG_REVIEW_TOGETHER (object);

  detach (self);
  g_clear_pointer (&self->peer_drawing, tg_drawing_unref);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (tg_review_together_parent_class)->dispose (object);
}

static void
tg_review_together_finalize (GObject *object)
{
  TgReviewTogether *self = TG_REVIEW_TOGETHER (object);

  g_weak_ref_clear (&self->view);
  g_ptr_array_unref (self->handlers);
  G_OBJECT_CLASS (tg_review_together_parent_class)->finalize (object);
}

static void
tg_review_together_class_init (TgReviewTogetherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = tg_review_together_dispose;
  object_class->finalize = tg_review_together_finalize;

  signals[SIGNAL_OPEN_VIDEO] = g_signal_new ("open-video", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSE_VIDEO] = g_signal_new ("close-video", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
  signals[SIGNAL_PEER_DRAWING_CHANGED] = g_signal_new ("peer-drawing-changed", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                                       NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_APPLIED] = g_signal_new ("applied", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tg_review_together_init (TgReviewTogether *self)
{
  g_weak_ref_init (&self->view, NULL);
  self->handlers = g_ptr_array_new ();
  self->pending_position = -1;
  self->pending_playing = -1;
}
