/* tg-player.c — playbin + appsink engine with frame-accurate stepping; see
 * tg-player.h.
 *
 * Threads: the appsink callbacks run on GStreamer's streaming thread.  They
 * turn the sample into a texture and leave it, with its stream time, in
 * `pending` under `lock`, then wake the main context once (`scheduled`).
 * Everything else — the bus, the state below the lock, the paintable — is
 * touched on the main context only.  Seeks and steps end with ASYNC_DONE
 * (a step in PAUSED makes the sink lose its preroll, post STEP_DONE and
 * preroll the next frame).  Before acting on it the bus handler presents
 * the pending frame, because the sink hands over its preroll frame before
 * it posts the message: the position is then the one the seek or step
 * produced.  Frames travel through an idle source attached to the
 * context, never g_main_context_invoke(), which may run the function on
 * the streaming thread when nobody iterates the context. */
#define G_LOG_DOMAIN "tg-player"

#include "tg-player.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

static const double rates[] = { 0.25, 0.5, 1.0, 2.0 };

/* A decoded frame on its way to the main context. */
typedef struct {
  GdkTexture *texture;
  double pixel_aspect;
  gint64 position;
  int fps_n;                   /* 0: unknown or variable */
  int fps_d;
  guint generation;
} Frame;

struct _TgPlayer
{
  GObject parent_instance;

  GMainContext *context;
  TgVideoPaintable *paintable;
  char *uri;

  GstElement *pipeline;
  GstElement *sink;
  GstBus *bus;
  guint bus_watch;
  guint generation;            /* bumped per pipeline; stale frames are dropped */

  GMutex lock;
  Frame pending;               /* under lock */
  gboolean scheduled;          /* under lock: a present is queued */

  gint64 position;
  gint64 duration;
  int fps_n;
  int fps_d;
  gint64 frame_duration;       /* from fps_n/fps_d, or -1 */
  double rate;
  gboolean muted;
  gboolean playing;            /* asked to play */
  gboolean ready;
  gboolean ended;
  gboolean failed;

  gboolean busy;               /* a flushing seek, a step or the first preroll */
  gint64 queued_seek;          /* -1: none */
  int queued_steps;
  gboolean resync;             /* steps or a rate change since the last seek */
  gboolean seeked;             /* the frame on screen came from an accurate seek */
};

enum {
  PROP_0,
  PROP_URI,
  PROP_POSITION,
  PROP_DURATION,
  PROP_FRAME_DURATION,
  PROP_RATE,
  PROP_PLAYING,
  PROP_BUSY,
  PROP_READY,
  PROP_ENDED,
  PROP_MUTED,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  SIGNAL_SEEK_REQUESTED,
  SIGNAL_STEP_REQUESTED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgPlayer, tg_player, G_TYPE_OBJECT)

G_DEFINE_QUARK (tg-player-error-quark, tg_player_error)

static void issue_queued (TgPlayer *self);

/* ---- small state helpers ---- */

static void
set_busy (TgPlayer *self,
          gboolean  busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

static void
set_playing (TgPlayer *self,
             gboolean  playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
}

static void
set_ended (TgPlayer *self,
           gboolean  ended)
{
  if (self->ended == ended)
    return;
  self->ended = ended;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENDED]);
}

static void
emit_error (TgPlayer     *self,
            const GError *error)
{
  g_debug ("error: %s", error->message);
  self->failed = TRUE;
  set_busy (self, FALSE);
  self->queued_seek = -1;
  self->queued_steps = 0;
  set_playing (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

/* ---- frames: streaming thread → main context ---- */

typedef struct {
  GstVideoFrame frame;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;
  gst_video_frame_unmap (&mapped->frame);
  g_free (mapped);
}

/* A texture sharing @sample's memory (the buffer stays mapped while the
 * texture lives), or NULL when the sample is not a BGRA frame. */
static GdkTexture *
texture_from_sample (GstSample *sample,
                     Frame     *frame)
{
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;

  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA)
    return NULL;

  MappedFrame *mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }
  int width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  int height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  gsize stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                                        stride * height, mapped_frame_free, mapped);

  frame->pixel_aspect = info.par_d > 0 && info.par_n > 0 ? (double) info.par_n / info.par_d : 1.0;
  frame->fps_n = info.fps_d > 0 ? MAX (info.fps_n, 0) : 0;
  frame->fps_d = info.fps_d > 0 ? info.fps_d : 1;
  /* Video frames are opaque, so straight and premultiplied alpha agree. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
}

static gboolean
present_pending (gpointer data)
{
  TgPlayer *self = data;

  g_mutex_lock (&self->lock);
  Frame frame = self->pending;
  self->pending = (Frame) { 0 };
  self->scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  if (frame.texture == NULL)
    return G_SOURCE_REMOVE;
  if (frame.generation != self->generation)
    {
      g_object_unref (frame.texture);
      return G_SOURCE_REMOVE;
    }

  tg_video_paintable_set_texture (self->paintable, frame.texture, frame.pixel_aspect);
  g_object_unref (frame.texture);

  g_object_freeze_notify (G_OBJECT (self));
  if (frame.position >= 0 && frame.position != self->position)
    {
      self->position = frame.position;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POSITION]);
    }
  if (frame.fps_n != self->fps_n || frame.fps_d != self->fps_d)
    {
      self->fps_n = frame.fps_n;
      self->fps_d = frame.fps_d;
      self->frame_duration = self->fps_n > 0
                             ? (gint64) gst_util_uint64_scale_int (GST_SECOND, self->fps_d, self->fps_n) : -1;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FRAME_DURATION]);
    }
  if (!self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

/* Streaming thread. */
static GstFlowReturn
take_sample (TgPlayer  *self,
             GstSample *sample)
{
  if (sample == NULL)
    return GST_FLOW_OK;

  Frame frame = { .position = -1 };
  frame.texture = texture_from_sample (sample, &frame);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  if (buffer != NULL && segment != NULL && GST_BUFFER_PTS_IS_VALID (buffer))
    {
      guint64 stream_time;
      if (gst_segment_to_stream_time_full (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer), &stream_time) > 0)
        frame.position = (gint64) stream_time;
    }
  gst_sample_unref (sample);
  if (frame.texture == NULL)
    return GST_FLOW_OK;

  g_mutex_lock (&self->lock);
  frame.generation = self->generation;
  g_clear_object (&self->pending.texture);
  self->pending = frame;
  if (!self->scheduled)
    {
      self->scheduled = TRUE;
      /* Not g_main_context_invoke(): from a thread without a
       * thread-default context it may run the function right here. */
      GSource *idle = g_idle_source_new ();
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, present_pending, g_object_ref (self), g_object_unref);
      g_source_attach (idle, self->context);
      g_source_unref (idle);
    }
  g_mutex_unlock (&self->lock);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    data)
{
  return take_sample (data, gst_app_sink_pull_sample (sink));
}

static GstFlowReturn
on_new_preroll (GstAppSink *sink,
                gpointer    data)
{
  return take_sample (data, gst_app_sink_pull_preroll (sink));
}

/* ---- pipeline operations (main context) ---- */

static gint64
clamp_position (TgPlayer *self,
                gint64    position)
{
  position = MAX (position, 0);
  if (self->duration > 0)
    {
      /* The last frame starts one frame before the end. */
      gint64 last = self->duration - MAX (self->frame_duration, 1);
      position = MIN (position, MAX (last, 0));
    }
  return position;
}

static gboolean
do_seek (TgPlayer *self,
         gint64    position)
{
  self->resync = FALSE;
  self->seeked = TRUE;
  set_ended (self, FALSE);
  set_busy (self, TRUE);
  g_object_set (self->pipeline, "mute", self->muted || self->rate != 1.0, NULL);
  if (!gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME,
                         GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                         GST_SEEK_TYPE_SET, position, GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE))
    {
      g_debug ("seek to %" GST_TIME_FORMAT " refused", GST_TIME_ARGS (position));
      set_busy (self, FALSE);
      return FALSE;
    }
  return TRUE;
}

/* The start of the frame @frames away from the one on screen, on the grid
 * of the frame rate.  Seeking exactly there shows that frame even when the
 * container rounded its timestamps (WebM keeps milliseconds): a frame whose
 * time is a little later is the first one at or after the target, and one
 * a little earlier still covers it. */
static gint64
frame_target (TgPlayer *self,
              int       frames)
{
  gint64 dur = self->frame_duration;
  gint64 index = (self->position + dur / 2) / dur;
  index = MAX (index + frames, 0);
  return clamp_position (self, (gint64) gst_util_uint64_scale (index, (guint64) GST_SECOND * self->fps_d,
                                                               self->fps_n));
}

static void
do_step (TgPlayer *self,
         int       frames)
{
  if (self->frame_duration <= 0 || self->position < 0)
    {
      /* Without a frame rate there is no grid: step by a nominal 1/30 s. */
      gint64 nominal = GST_SECOND / 30;
      do_seek (self, clamp_position (self, MAX (self->position, 0) + frames * nominal));
      return;
    }
  gint64 last = clamp_position (self, G_MAXINT64);
  if (frames > 0 && self->duration > 0 && self->position >= last)
    return;  /* already on the last frame */
  /* After an accurate seek the frame on screen may start a little before
   * the segment (WebM rounds to milliseconds), and a step event would
   * count it again: the next frame of the grid then, by a seek. */
  if (frames == 1 && !self->ended && !self->seeked)
    {
      /* The next frame, exactly: the sink drops the one it holds and
       * prerolls the next. */
      self->resync = TRUE;
      set_busy (self, TRUE);
      if (!gst_element_send_event (self->pipeline, gst_event_new_step (GST_FORMAT_BUFFERS, 1, 1.0, TRUE, FALSE)))
        set_busy (self, FALSE);
      return;
    }
  do_seek (self, frame_target (self, frames));
}

/* Runs what waited for the last operation. */
static void
issue_queued (TgPlayer *self)
{
  if (self->busy || self->pipeline == NULL || self->failed)
    return;
  if (self->queued_seek >= 0)
    {
      gint64 target = self->queued_seek;
      self->queued_seek = -1;
      do_seek (self, target);
      return;
    }
  if (self->queued_steps != 0)
    {
      int steps = self->queued_steps;
      self->queued_steps = 0;
      do_step (self, steps);
    }
}

static void
operation_done (TgPlayer *self)
{
  present_pending (self);
  set_busy (self, FALSE);
  issue_queued (self);
}

static void
query_duration (TgPlayer *self)
{
  gint64 duration = -1;
  if (self->pipeline == NULL || !gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration))
    return;
  if (duration > 0 && duration != self->duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DURATION]);
    }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    data)
{
  TgPlayer *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        gst_message_parse_error (message, &error, &debug);
        g_debug ("%s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), debug != NULL ? debug : "");
        gst_element_set_state (self->pipeline, GST_STATE_NULL);
        emit_error (self, error);
        break;
      }
    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) warning = NULL;
        gst_message_parse_warning (message, &warning, NULL);
        g_debug ("warning from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), warning->message);
        break;
      }
    case GST_MESSAGE_EOS:
      present_pending (self);
      set_ended (self, TRUE);
      set_playing (self, FALSE);
      gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
      set_busy (self, FALSE);
      issue_queued (self);
      break;
    case GST_MESSAGE_ASYNC_DONE:
      /* Seeks end here, and so do steps: in PAUSED the sink loses its
       * preroll (ASYNC_START), posts STEP_DONE, then prerolls the next
       * frame and posts ASYNC_DONE. */
      query_duration (self);
      operation_done (self);
      break;
    case GST_MESSAGE_LATENCY:
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
      break;
    case GST_MESSAGE_DURATION_CHANGED:
      query_duration (self);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
close_pipeline (TgPlayer *self)
{
  if (self->pipeline == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->bus_watch != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context, self->bus_watch);
      if (source != NULL)
        g_source_destroy (source);
      self->bus_watch = 0;
    }
  g_clear_object (&self->bus);
  g_clear_object (&self->sink);
  g_clear_object (&self->pipeline);

  g_mutex_lock (&self->lock);
  self->generation++;
  g_clear_object (&self->pending.texture);
  g_mutex_unlock (&self->lock);
}

static void
reset_state (TgPlayer *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->position = -1;
  self->duration = -1;
  self->frame_duration = -1;
  self->fps_n = 0;
  self->fps_d = 1;
  self->failed = FALSE;
  self->queued_seek = -1;
  self->queued_steps = 0;
  self->resync = FALSE;
  self->seeked = FALSE;
  if (self->ready)
    {
      self->ready = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
    }
  set_playing (self, FALSE);
  set_ended (self, FALSE);
  set_busy (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POSITION]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DURATION]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FRAME_DURATION]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
report_error_idle (gpointer data)
{
  g_autoptr(GTask) task = data;
  emit_error (g_task_get_source_object (task), g_task_get_task_data (task));
  return G_SOURCE_REMOVE;
}

/* Reports @error from the main loop, so that callers of set_uri() never see
 * the signal re-entrantly. */
static void
report_error_later (TgPlayer *self,
                    GError   *error)
{
  GTask *task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, error, (GDestroyNotify) g_error_free);
  GSource *idle = g_idle_source_new ();
  g_source_set_callback (idle, report_error_idle, task, NULL);
  g_source_attach (idle, self->context);
  g_source_unref (idle);
}

static gboolean
open_pipeline (TgPlayer  *self,
               GError   **error)
{
  g_autoptr(GstElement) pipeline = gst_element_factory_make ("playbin", NULL);
  g_autoptr(GstElement) sink = gst_element_factory_make ("appsink", NULL);
  if (pipeline == NULL || sink == NULL)
    {
      g_set_error (error, TG_PLAYER_ERROR, TG_PLAYER_ERROR_MISSING_ELEMENT,
                   C_("player", "Videos cannot be played: the GStreamer elements “playbin” and “appsink” are missing"));
      return FALSE;
    }
  gst_object_ref_sink (pipeline);
  gst_object_ref_sink (sink);

  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGRA", NULL);
  g_object_set (sink, "caps", caps, "sync", TRUE, "enable-last-sample", FALSE, NULL);
  GstAppSinkCallbacks callbacks = {
    .new_preroll = on_new_preroll,
    .new_sample = on_new_sample,
  };
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);

  /* Video and sound; no subtitles or visualisations. */
  enum { FLAG_VIDEO = 1 << 0, FLAG_AUDIO = 1 << 1, FLAG_SOFT_VOLUME = 1 << 4 };
  g_object_set (pipeline, "uri", self->uri, "video-sink", sink,
                "flags", FLAG_VIDEO | FLAG_AUDIO | FLAG_SOFT_VOLUME, "mute", self->muted, NULL);

  self->bus = gst_element_get_bus (pipeline);
  GSource *source = gst_bus_create_watch (self->bus);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_bus_message, self, NULL);
  self->bus_watch = g_source_attach (source, self->context);
  g_source_unref (source);

  self->pipeline = g_steal_pointer (&pipeline);
  self->sink = g_steal_pointer (&sink);

  /* The first preroll counts as an operation: seeks and steps wait for it. */
  set_busy (self, TRUE);
  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, TG_PLAYER_ERROR, TG_PLAYER_ERROR_STATE, C_("player", "The video cannot be opened"));
      return FALSE;
    }
  return TRUE;
}

/* ---- public API ---- */

void
tg_player_set_uri (TgPlayer   *self,
                   const char *uri)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  close_pipeline (self);
  reset_state (self);
  tg_video_paintable_set_texture (self->paintable, NULL, 1.0);
  if (g_strcmp0 (self->uri, uri) != 0)
    {
      g_free (self->uri);
      self->uri = g_strdup (uri);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_URI]);
    }
  if (uri == NULL)
    return;

  GError *error = NULL;
  if (!open_pipeline (self, &error))
    {
      /* The bus may still carry the reason; the GError says it plainly. */
      close_pipeline (self);
      report_error_later (self, error);
    }
}

const char *
tg_player_get_uri (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), NULL);
  return self->uri;
}

TgVideoPaintable *
tg_player_get_paintable (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), NULL);
  return self->paintable;
}

void
tg_player_play (TgPlayer *self)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  if (self->pipeline == NULL || self->failed)
    return;
  set_playing (self, TRUE);
  self->seeked = FALSE;
  if (self->ended)
    {
      /* Play again from the start. */
      if (self->busy)
        self->queued_seek = 0;
      else
        do_seek (self, 0);
    }
  else if (self->resync)
    {
      /* Steps leave the sound behind the picture, and a rate takes a seek:
       * start from the frame on screen. */
      if (self->busy)
        self->queued_seek = MAX (self->position, 0);
      else
        do_seek (self, MAX (self->position, 0));
    }
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GError) error = g_error_new (TG_PLAYER_ERROR, TG_PLAYER_ERROR_STATE,
                                             C_("player", "The video cannot be played"));
      emit_error (self, error);
    }
}

void
tg_player_pause (TgPlayer *self)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  if (self->pipeline == NULL || self->failed)
    return;
  set_playing (self, FALSE);
  /* The sink prerolls the frame it was waiting to show: busy until then, so
   * that the position settles before the next step. */
  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_ASYNC && !self->busy)
    set_busy (self, TRUE);
}

void
tg_player_toggle (TgPlayer *self)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  if (self->playing)
    tg_player_pause (self);
  else
    tg_player_play (self);
}

gboolean
tg_player_get_playing (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), FALSE);
  return self->playing;
}

static double
nearest_rate (double rate)
{
  double best = 1.0;
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    if (ABS (rates[i] - rate) < ABS (best - rate))
      best = rates[i];
  return best;
}

double
tg_player_rate_slower (double rate)
{
  rate = nearest_rate (rate);
  for (guint i = G_N_ELEMENTS (rates); i > 0; i--)
    if (rates[i - 1] < rate)
      return rates[i - 1];
  return rate;
}

double
tg_player_rate_faster (double rate)
{
  rate = nearest_rate (rate);
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    if (rates[i] > rate)
      return rates[i];
  return rate;
}

void
tg_player_set_rate (TgPlayer *self,
                    double    rate)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  rate = nearest_rate (rate);
  if (rate == self->rate)
    return;
  self->rate = rate;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RATE]);
  if (self->pipeline == NULL || self->failed)
    return;
  if (self->playing && !self->ended)
    {
      if (self->busy)
        self->queued_seek = MAX (self->position, 0);
      else
        do_seek (self, MAX (self->position, 0));
    }
  else
    self->resync = TRUE;
}

double
tg_player_get_rate (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), 1.0);
  return self->rate;
}

void
tg_player_seek (TgPlayer *self,
                gint64    position)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  if (self->pipeline == NULL || self->failed)
    return;
  position = clamp_position (self, position);
  g_signal_emit (self, signals[SIGNAL_SEEK_REQUESTED], 0, position);
  self->queued_steps = 0;
  if (self->busy)
    self->queued_seek = position;
  else
    do_seek (self, position);
}

void
tg_player_step (TgPlayer *self,
                int       frames)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  if (self->pipeline == NULL || self->failed || frames == 0)
    return;
  g_signal_emit (self, signals[SIGNAL_STEP_REQUESTED], 0, frames);
  if (self->playing)
    tg_player_pause (self);
  if (self->busy)
    self->queued_steps += frames;
  else
    do_step (self, frames);
}

void
tg_player_set_muted (TgPlayer *self,
                     gboolean  muted)
{
  g_return_if_fail (TG_IS_PLAYER (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  if (self->pipeline != NULL)
    g_object_set (self->pipeline, "mute", self->muted || self->rate != 1.0, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTED]);
}

gboolean
tg_player_get_muted (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), FALSE);
  return self->muted;
}

gint64
tg_player_get_position (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), -1);
  return self->position;
}

gint64
tg_player_get_duration (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), -1);
  return self->duration;
}

gint64
tg_player_get_frame_duration (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), -1);
  return self->frame_duration;
}

gboolean
tg_player_get_busy (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), FALSE);
  return self->busy;
}

gboolean
tg_player_get_ready (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), FALSE);
  return self->ready;
}

gboolean
tg_player_get_ended (TgPlayer *self)
{
  g_return_val_if_fail (TG_IS_PLAYER (self), FALSE);
  return self->ended;
}

/* ---- GObject ---- */

TgPlayer *
tg_player_new (void)
{
  return g_object_new (TG_TYPE_PLAYER, NULL);
}

static void
tg_player_dispose (GObject *object)
{
  TgPlayer *self = TG_PLAYER (object);

  close_pipeline (self);
  G_OBJECT_CLASS (tg_player_parent_class)->dispose (object);
}

static void
tg_player_finalize (GObject *object)
{
  TgPlayer *self = TG_PLAYER (object);

  g_clear_object (&self->paintable);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tg_player_parent_class)->finalize (object);
}

static void
tg_player_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TgPlayer *self = TG_PLAYER (object);

  switch (prop_id)
    {
    case PROP_URI: g_value_set_string (value, self->uri); break;
    case PROP_POSITION: g_value_set_int64 (value, self->position); break;
    case PROP_DURATION: g_value_set_int64 (value, self->duration); break;
    case PROP_FRAME_DURATION: g_value_set_int64 (value, self->frame_duration); break;
    case PROP_RATE: g_value_set_double (value, self->rate); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_READY: g_value_set_boolean (value, self->ready); break;
    case PROP_ENDED: g_value_set_boolean (value, self->ended); break;
    case PROP_MUTED: g_value_set_boolean (value, self->muted); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_player_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TgPlayer *self = TG_PLAYER (object);

  switch (prop_id)
    {
    case PROP_URI: tg_player_set_uri (self, g_value_get_string (value)); break;
    case PROP_RATE: tg_player_set_rate (self, g_value_get_double (value)); break;
    case PROP_MUTED: tg_player_set_muted (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_player_class_init (TgPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tg_player_dispose;
  object_class->finalize = tg_player_finalize;
  object_class->get_property = tg_player_get_property;
  object_class->set_property = tg_player_set_property;

  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  props[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL,
                                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, -1, G_MAXINT64, -1, ro);
  props[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, -1, G_MAXINT64, -1, ro);
  props[PROP_FRAME_DURATION] = g_param_spec_int64 ("frame-duration", NULL, NULL, -1, G_MAXINT64, -1, ro);
  props[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0.25, 2.0, 1.0,
                                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, ro);
  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  props[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, ro);
  props[PROP_ENDED] = g_param_spec_boolean ("ended", NULL, NULL, FALSE, ro);
  props[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* TgPlayer::error (GError *error): playback failed; the player is idle. */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* TgPlayer::seek-requested (gint64 position): tg_player_seek() was
   * called (position clamped); emitted before the seek starts. */
  signals[SIGNAL_SEEK_REQUESTED] = g_signal_new ("seek-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* TgPlayer::step-requested (int frames): tg_player_step() was called;
   * emitted before the step (and the pause it implies). */
  signals[SIGNAL_STEP_REQUESTED] = g_signal_new ("step-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
tg_player_init (TgPlayer *self)
{
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->paintable = tg_video_paintable_new ();
  self->rate = 1.0;
  self->position = -1;
  self->duration = -1;
  self->frame_duration = -1;
  self->queued_seek = -1;
}
