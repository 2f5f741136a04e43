/* tc-player.c — playbin in a window or into counting fakesinks; a bus
 * loop that ends at EOS, error, closed window or cancellation. */
#define G_LOG_DOMAIN "tc-player"

#include "tc-player.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

GST_DEBUG_CATEGORY_STATIC (tc_player_debug);
#define GST_CAT_DEFAULT tc_player_debug

/* How often the bus loop looks at the cancellable. */
#define POLL_NS (100 * GST_MSECOND)

struct _TcPlayer
{
  GObject parent_instance;

  GstElement *playbin;
  gboolean window;
  /* counted on streaming threads */
  guint64 video_frames;   /* atomic through the lock below */
  int width;
  int height;
  gboolean has_audio;
  GMutex lock;
};

G_DEFINE_FINAL_TYPE (TcPlayer, tc_player, G_TYPE_OBJECT)

static void
video_handoff_cb (GstElement *sink,
                  GstBuffer  *buffer,
                  GstPad     *pad,
                  gpointer    user_data)
{
  TcPlayer *self = user_data;

  g_mutex_lock (&self->lock);
  self->video_frames++;
  if (self->width == 0)
    {
      g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
      GstStructure *s = caps != NULL && gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0) : NULL;
      if (s != NULL)
        {
          gst_structure_get_int (s, "width", &self->width);
          gst_structure_get_int (s, "height", &self->height);
        }
    }
  g_mutex_unlock (&self->lock);
}

/* The same count for a window sink, from a probe on its sink pad. */
static GstPadProbeReturn
video_probe_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  video_handoff_cb (NULL, GST_PAD_PROBE_INFO_BUFFER (info), pad, user_data);
  return GST_PAD_PROBE_OK;
}

static void
audio_handoff_cb (GstElement *sink,
                  GstBuffer  *buffer,
                  GstPad     *pad,
                  gpointer    user_data)
{
  TcPlayer *self = user_data;
  g_mutex_lock (&self->lock);
  self->has_audio = TRUE;
  g_mutex_unlock (&self->lock);
}

/* A fakesink that runs as fast as data comes and reports each buffer. */
static GstElement *
counting_sink (TcPlayer  *self,
               GCallback  handoff,
               GError   **error)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  if (sink == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("GStreamer's fakesink is missing (install the GStreamer core plugins)"));
      return NULL;
    }
  g_object_set (sink, "sync", FALSE, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", handoff, self);
  return sink;
}

/* A window sink for the display in the environment: the first of the
 * usual ones that can open it (set to READY, as autovideosink does).  Not
 * autovideosink itself: where the window sinks are missing it may settle
 * on one that crashes instead of failing.  On X11, xvimagesink comes last:
 * where the X server has no XVideo (Xvfb, some remote displays) its failed
 * attempt can leave Xlib unable to open the display for the next sink. */
static GstElement *
window_sink (GError **error)
{
  static const char *const x11[] = { "glimagesink", "ximagesink", "xvimagesink", NULL };
  static const char *const wayland[] = { "waylandsink", "glimagesink", "gtkwaylandsink", NULL };
  const char *wayland_display = g_getenv ("WAYLAND_DISPLAY");
  const char *const *candidates = wayland_display != NULL && *wayland_display != '\0' ? wayland : x11;

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      GstElement *sink = gst_element_factory_make (candidates[i], NULL);
      if (sink == NULL)
        continue;
      gst_object_ref_sink (sink);
      /* Left in READY with its display open: closing and reopening it would
       * race with an X server that resets when its last client leaves. */
      if (gst_element_set_state (sink, GST_STATE_READY) == GST_STATE_CHANGE_SUCCESS)
        {
          GST_DEBUG ("showing the video with %s", candidates[i]);
          return sink;
        }
      gst_element_set_state (sink, GST_STATE_NULL);
      gst_object_unref (sink);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               candidates == x11
               ? _("no GStreamer video output can open this display (install gstreamer1.0-x or gstreamer1.0-gl)")
               : _("no GStreamer video output can open this display (install gstreamer1.0-plugins-bad or gstreamer1.0-gl)"));
  return NULL;
}

TcPlayer *
tc_player_new (const char  *uri,
               gboolean     window,
               GError     **error)
{
  g_return_val_if_fail (uri != NULL, NULL);

  if (!gst_init_check (NULL, NULL, error))
    return NULL;
  GST_DEBUG_CATEGORY_INIT (tc_player_debug, "tc-player", 0, "Tandem client player");

  g_autoptr(TcPlayer) self = g_object_new (TC_TYPE_PLAYER, NULL);
  self->window = window;
  self->playbin = gst_element_factory_make ("playbin", NULL);
  if (self->playbin == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("GStreamer's playbin is missing (install the GStreamer base plugins)"));
      return NULL;
    }
  gst_object_ref_sink (self->playbin);
  g_object_set (self->playbin, "uri", uri, NULL);

  if (window)
    {
      GstElement *video = window_sink (error);
      if (video == NULL)
        return NULL;
      g_autoptr(GstPad) pad = gst_element_get_static_pad (video, "sink");
      if (pad != NULL)
        gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, video_probe_cb, self, NULL);
      g_object_set (self->playbin, "video-sink", video, NULL);
      gst_object_unref (video);
    }
  else
    {
      GstElement *video = counting_sink (self, G_CALLBACK (video_handoff_cb), error);
      if (video == NULL)
        return NULL;
      g_object_set (self->playbin, "video-sink", video, NULL);
      GstElement *audio = counting_sink (self, G_CALLBACK (audio_handoff_cb), error);
      if (audio == NULL)
        return NULL;
      g_object_set (self->playbin, "audio-sink", audio, NULL);
    }
  return g_steal_pointer (&self);
}

static void
fill_report (TcPlayer       *self,
             TcPlayerReport *report)
{
  if (report == NULL)
    return;
  gint64 duration = -1;
  if (!gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &duration) || duration < 0)
    duration = -1;
  g_mutex_lock (&self->lock);
  report->video_frames = self->video_frames;
  report->width = self->width;
  report->height = self->height;
  report->has_audio = self->has_audio;
  g_mutex_unlock (&self->lock);
  report->duration_ms = duration >= 0 ? duration / GST_MSECOND : -1;
}

/* A window sink telling that its window was closed. */
static gboolean
is_window_closed (GstMessage *message,
                  GError     *error)
{
  GstObject *src = GST_MESSAGE_SRC (message);
  return g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND) &&
         GST_IS_ELEMENT (src) && GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_SINK);
}

gboolean
tc_player_run (TcPlayer        *self,
               GCancellable    *cancellable,
               TcPlayerReport  *report,
               GError         **error)
{
  g_return_val_if_fail (TC_IS_PLAYER (self), FALSE);

  g_autoptr(GstBus) bus = gst_element_get_bus (self->playbin);
  gboolean ok = FALSE;
  gboolean done = FALSE;

  if (gst_element_set_state (self->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      /* The error message on the bus says why; fall through to read it. */
      GST_DEBUG ("state change to PLAYING failed at once");
    }

  while (!done)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered (bus, POLL_NS,
                                                                  GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      if (message == NULL)
        continue;
      switch (GST_MESSAGE_TYPE (message))
        {
        case GST_MESSAGE_EOS:
          ok = TRUE;
          done = TRUE;
          break;
        case GST_MESSAGE_ERROR:
          {
            g_autoptr(GError) gst_error = NULL;
            g_autofree char *debug = NULL;
            gst_message_parse_error (message, &gst_error, &debug);
            GST_DEBUG ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (message), gst_error->message,
                       debug != NULL ? debug : "");
            if (self->window && is_window_closed (message, gst_error))
              ok = TRUE;
            else
              g_set_error (error, gst_error->domain, gst_error->code, _("cannot play the video: %s"),
                           gst_error->message);
            done = TRUE;
            break;
          }
        default:
          break;
        }
    }

  fill_report (self, report);
  gst_element_set_state (self->playbin, GST_STATE_NULL);
  return ok;
}

static void
tc_player_finalize (GObject *object)
{
  TcPlayer *self = TC_PLAYER (object);

  if (self->playbin != NULL)
    {
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      gst_object_unref (self->playbin);
    }
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tc_player_parent_class)->finalize (object);
}

static void
tc_player_class_init (TcPlayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_player_finalize;
}

static void
tc_player_init (TcPlayer *self)
{
  g_mutex_init (&self->lock);
}
