/* tg-call-video.c — see tg-call-video.h. */
#define G_LOG_DOMAIN "tg-call-video"

#include "tg-call-video.h"

#include <gst/video/video.h>

typedef struct {
  gatomicrefcount ref;
  GWeakRef paintable;
  GMainContext *context;
  GMutex lock;
  GstSample *pending;        /* the latest frame not shown yet */
  gboolean scheduled;        /* an idle will show it */
} Bridge;

static Bridge *
bridge_ref (Bridge *bridge)
{
  g_atomic_ref_count_inc (&bridge->ref);
  return bridge;
}

static void
bridge_unref (gpointer data)
{
  Bridge *bridge = data;
  if (!g_atomic_ref_count_dec (&bridge->ref))
    return;
  g_weak_ref_clear (&bridge->paintable);
  g_main_context_unref (bridge->context);
  g_clear_pointer (&bridge->pending, gst_sample_unref);
  g_mutex_clear (&bridge->lock);
  g_free (bridge);
}

typedef struct {
  GstVideoFrame frame;
} Mapped;

static void
mapped_free (gpointer data)
{
  Mapped *mapped = data;
  gst_video_frame_unmap (&mapped->frame);
  g_free (mapped);
}

GdkTexture *
tg_call_video_texture (GstSample *sample,
                       double    *pixel_aspect)
{
  g_return_val_if_fail (GST_IS_SAMPLE (sample), NULL);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;

  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA)
    return NULL;
  Mapped *mapped = g_new0 (Mapped, 1);
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }
  int width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  int height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  gsize stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);
  /* The bytes keep the buffer mapped (and so alive) while the texture lives. */
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                                        stride * height, mapped_free, mapped);
  if (pixel_aspect != NULL)
    *pixel_aspect = info.par_n > 0 && info.par_d > 0 ? (double) info.par_n / info.par_d : 1.0;
  /* Video frames are opaque: straight and premultiplied alpha agree. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
}

static gboolean
show_pending (gpointer data)
{
  Bridge *bridge = data;

  g_mutex_lock (&bridge->lock);
  GstSample *sample = g_steal_pointer (&bridge->pending);
  bridge->scheduled = FALSE;
  g_mutex_unlock (&bridge->lock);
  if (sample == NULL)
    return G_SOURCE_REMOVE;

  g_autoptr(TgVideoPaintable) paintable = g_weak_ref_get (&bridge->paintable);
  double aspect = 1.0;
  g_autoptr(GdkTexture) texture = paintable != NULL ? tg_call_video_texture (sample, &aspect) : NULL;
  gst_sample_unref (sample);
  if (texture != NULL)
    tg_video_paintable_set_texture (paintable, texture, aspect);
  return G_SOURCE_REMOVE;
}

/* Streaming thread (under the engine's lock: no calls into it). */
static void
frame_cb (GstSample *sample,
          gpointer   data)
{
  Bridge *bridge = data;

  g_mutex_lock (&bridge->lock);
  g_clear_pointer (&bridge->pending, gst_sample_unref);
  bridge->pending = gst_sample_ref (sample);
  if (!bridge->scheduled)
    {
      bridge->scheduled = TRUE;
      GSource *idle = g_idle_source_new ();
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, show_pending, bridge_ref (bridge), bridge_unref);
      g_source_attach (idle, bridge->context);
      g_source_unref (idle);
    }
  g_mutex_unlock (&bridge->lock);
}

void
tg_call_video_attach (TcCall           *call,
                      TcCallVideo       which,
                      TgVideoPaintable *paintable)
{
  g_return_if_fail (TC_IS_CALL (call));
  g_return_if_fail (TG_IS_VIDEO_PAINTABLE (paintable));

  Bridge *bridge = g_new0 (Bridge, 1);
  g_atomic_ref_count_init (&bridge->ref);
  g_weak_ref_init (&bridge->paintable, paintable);
  bridge->context = g_main_context_ref_thread_default ();
  g_mutex_init (&bridge->lock);
  tc_call_set_frame_func (call, which, frame_cb, bridge, bridge_unref);
}

void
tg_call_video_detach (TcCall      *call,
                      TcCallVideo  which)
{
  g_return_if_fail (TC_IS_CALL (call));
  tc_call_set_frame_func (call, which, NULL, NULL, NULL);
}
