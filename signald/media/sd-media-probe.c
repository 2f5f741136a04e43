/* sd-media-probe.c — GstDiscoverer (synchronous, with a time limit) for the
 * streams of a file, then one decoded frame (sd-media-frames.c) to be sure
 * the video really decodes: the discoverer stops at the parsers, so a
 * damaged file can pass it. */
#define G_LOG_DOMAIN "sd-media-probe"

#include "media/sd-media-probe.h"
#include "media/sd-media-frames.h"

#include <gst/pbutils/pbutils.h>
#include <string.h>
#include <glib/gi18n-lib.h>

typedef struct {
  const char *caps_name;
  const char *short_name;
} NameMap;

static const NameMap codec_names[] = {
  { "video/x-vp8", "vp8" },
  { "video/x-vp9", "vp9" },
  { "video/x-h264", "h264" },
  { "video/x-h265", "h265" },
  { "video/x-theora", "theora" },
  { "video/x-av1", "av1" },
  { "video/x-divx", "mpeg4" },
  { "video/x-xvid", "mpeg4" },
  { "video/x-msmpeg", "msmpeg4" },
  { "video/x-wmv", "wmv" },
  { "video/x-dirac", "dirac" },
  { "video/x-raw", "raw" },
  { "image/jpeg", "mjpeg" },
  { "audio/x-opus", "opus" },
  { "audio/x-vorbis", "vorbis" },
  { "audio/x-flac", "flac" },
  { "audio/x-raw", "pcm" },
  { "audio/x-ac3", "ac3" },
  { "audio/x-eac3", "eac3" },
  { "audio/x-alaw", "alaw" },
  { "audio/x-mulaw", "mulaw" },
  { "audio/x-speex", "speex" },
  { "audio/x-wma", "wma" },
};

static const NameMap container_names[] = {
  { "video/webm", "webm" },
  { "audio/webm", "webm" },
  { "video/x-matroska", "matroska" },
  { "audio/x-matroska", "matroska" },
  { "application/ogg", "ogg" },
  { "video/ogg", "ogg" },
  { "video/x-msvideo", "avi" },
  { "video/mpegts", "mpegts" },
  { "video/mpeg", "mpeg" },
  { "video/x-flv", "flv" },
  { "video/x-ms-asf", "asf" },
  { "application/x-3gp", "3gp" },
};

static const NameMap container_mimes[] = {
  { "webm", "video/webm" },
  { "matroska", "video/x-matroska" },
  { "mp4", "video/mp4" },
  { "mov", "video/quicktime" },
  { "3gp", "video/3gpp" },
  { "ogg", "video/ogg" },
  { "avi", "video/x-msvideo" },
  { "mpegts", "video/mp2t" },
  { "mpeg", "video/mpeg" },
  { "flv", "video/x-flv" },
  { "asf", "video/x-ms-asf" },
};

char *
sd_media_codec_name (const GstCaps *caps)
{
  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return g_strdup ("unknown");
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  const char *name = gst_structure_get_name (s);
  int version = 0, layer = 0;

  if (g_str_equal (name, "video/mpeg") && gst_structure_get_int (s, "mpegversion", &version))
    return version == 4 ? g_strdup ("mpeg4") : g_strdup_printf ("mpeg%d", version);
  if (g_str_equal (name, "audio/mpeg") && gst_structure_get_int (s, "mpegversion", &version))
    {
      if (version == 2 || version == 4)
        return g_strdup ("aac");
      if (gst_structure_get_int (s, "layer", &layer))
        return g_strdup_printf ("mp%d", layer);
      return g_strdup ("mpeg-audio");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (codec_names); i++)
    if (g_str_equal (name, codec_names[i].caps_name))
      return g_strdup (codec_names[i].short_name);
  const char *slash = strchr (name, '/');
  const char *tail = slash != NULL ? slash + 1 : name;
  return g_strdup (g_str_has_prefix (tail, "x-") ? tail + 2 : tail);
}

char *
sd_media_container_name (const GstCaps *caps)
{
  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return g_strdup ("unknown");
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  const char *name = gst_structure_get_name (s);

  if (g_str_equal (name, "video/quicktime"))
    {
      const char *variant = gst_structure_get_string (s, "variant");
      if (g_strcmp0 (variant, "apple") == 0)
        return g_strdup ("mov");
      if (g_strcmp0 (variant, "3gpp") == 0)
        return g_strdup ("3gp");
      return g_strdup ("mp4");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (container_names); i++)
    if (g_str_equal (name, container_names[i].caps_name))
      return g_strdup (container_names[i].short_name);
  const char *slash = strchr (name, '/');
  const char *tail = slash != NULL ? slash + 1 : name;
  return g_strdup (g_str_has_prefix (tail, "x-") ? tail + 2 : tail);
}

const char *
sd_media_container_mime (const char *container)
{
  for (gsize i = 0; container != NULL && i < G_N_ELEMENTS (container_mimes); i++)
    if (g_str_equal (container, container_mimes[i].caps_name))
      return container_mimes[i].short_name;
  return "application/octet-stream";
}

void
sd_media_info_free (SdMediaInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->container);
  g_free (info->mime_type);
  g_free (info->video_codec);
  g_free (info->audio_codec);
  g_free (info->video_caps);
  g_free (info->audio_caps);
  g_free (info);
}

SdMediaInfo *
sd_media_info_copy (const SdMediaInfo *info)
{
  SdMediaInfo *copy = g_memdup2 (info, sizeof *info);
  copy->container = g_strdup (info->container);
  copy->mime_type = g_strdup (info->mime_type);
  copy->video_codec = g_strdup (info->video_codec);
  copy->audio_codec = g_strdup (info->audio_codec);
  copy->video_caps = g_strdup (info->video_caps);
  copy->audio_caps = g_strdup (info->audio_caps);
  return copy;
}

void
sd_media_info_display_size (const SdMediaInfo *info,
                            int               *width,
                            int               *height)
{
  int pn = info->par_num > 0 ? info->par_num : 1;
  int pd = info->par_den > 0 ? info->par_den : 1;
  *width = (int) MAX (1, ((gint64) info->width * pn + pd / 2) / pd);
  *height = MAX (1, info->height);
}

/* Maps a discoverer failure to the media error domain. */
static void
set_discover_error (GstDiscovererResult  result,
                    const GError        *gst_error,
                    GError             **error)
{
  switch (result)
    {
    case GST_DISCOVERER_TIMEOUT:
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_TIMEOUT,
                           _("Reading the video took too long."));
      return;
    case GST_DISCOVERER_MISSING_PLUGINS:
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNSUPPORTED,
                           _("This video uses a format the server cannot decode."));
      return;
    case GST_DISCOVERER_URI_INVALID:
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot open the file: %s",
                   gst_error != NULL ? gst_error->message : "invalid URI");
      return;
    case GST_DISCOVERER_ERROR:
    case GST_DISCOVERER_OK:
    case GST_DISCOVERER_BUSY:
    default:
      break;
    }
  if (gst_error != NULL && gst_error->domain == GST_STREAM_ERROR &&
      (gst_error->code == GST_STREAM_ERROR_TYPE_NOT_FOUND ||
       gst_error->code == GST_STREAM_ERROR_WRONG_TYPE))
    g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_NOT_A_VIDEO,
                         _("This file is not a video."));
  else if (gst_error != NULL && gst_error->domain == GST_STREAM_ERROR &&
           gst_error->code == GST_STREAM_ERROR_CODEC_NOT_FOUND)
    g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNSUPPORTED,
                         _("This video uses a format the server cannot decode."));
  else if (gst_error != NULL && gst_error->domain == GST_RESOURCE_ERROR)
    g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot read the file: %s",
                 gst_error->message);
  else
    {
      g_debug ("discoverer: %s", gst_error != NULL ? gst_error->message : "no reason");
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                           _("This video is damaged or incomplete and cannot be read."));
    }
}

/* ---- scan: demux (no decoding) to the end ----
 *
 * typefind and the demuxer are plugged here by hand rather than through
 * decodebin/parsebin: those drop errors that an element posts while they
 * are still plugging it, and a demuxer that fails at once on a cut file
 * can then leave the pipeline waiting forever. */

typedef struct {
  GstElement *pipeline;
  GMutex lock;
  GstClockTime first;       /* earliest timestamp seen, any stream */
  GstClockTime last_end;    /* latest timestamp + duration, any stream */
  GstClockTime video_end;   /* the same for video streams */
  gboolean have_video;      /* a video stream had a buffer */
  gboolean demuxed;         /* a demuxer was plugged */
} Scan;

static GstPadProbeReturn
on_buffer (GstPad          *pad,
           GstPadProbeInfo *pinfo,
           gpointer         data)
{
  Scan *scan = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (pinfo);
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buffer) ? GST_BUFFER_PTS (buffer) : GST_BUFFER_DTS (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return GST_PAD_PROBE_OK;
  GstClockTime end = ts + (GST_BUFFER_DURATION_IS_VALID (buffer) ? GST_BUFFER_DURATION (buffer) : 0);
  g_mutex_lock (&scan->lock);
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (pad), "sd-video")))
    {
      scan->have_video = TRUE;
      if (!GST_CLOCK_TIME_IS_VALID (scan->video_end) || end > scan->video_end)
        scan->video_end = end;
    }
  if (!GST_CLOCK_TIME_IS_VALID (scan->first) || ts < scan->first)
    scan->first = ts;
  if (!GST_CLOCK_TIME_IS_VALID (scan->last_end) || end > scan->last_end)
    scan->last_end = end;
  g_mutex_unlock (&scan->lock);
  return GST_PAD_PROBE_OK;
}

static void
on_demux_pad (GstElement *demuxer,
              GstPad     *pad,
              gpointer    data)
{
  Scan *scan = data;
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  const GstStructure *s = gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0) : NULL;
  const char *name = s != NULL ? gst_structure_get_name (s) : "";
  gboolean video = g_str_has_prefix (name, "video/") || g_str_equal (name, "image/jpeg");

  g_object_set_data (G_OBJECT (pad), "sd-video", GINT_TO_POINTER (video));
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, scan, NULL);

  GstElement *sink = sd_media_bin_add (GST_BIN (scan->pipeline), "fakesink", NULL);
  if (sink == NULL)
    return;
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_element_sync_state_with_parent (sink);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
}

/* The best-ranked demuxer for @caps, or NULL (elementary streams, images). */
static GstElementFactory *
find_demuxer (GstCaps *caps)
{
  GList *all = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_DEMUXER, GST_RANK_MARGINAL);
  GList *fit = gst_element_factory_list_filter (all, caps, GST_PAD_SINK, FALSE);
  fit = g_list_sort (fit, gst_plugin_feature_rank_compare_func);
  GstElementFactory *best = fit != NULL ? gst_object_ref (fit->data) : NULL;
  gst_plugin_feature_list_free (fit);
  gst_plugin_feature_list_free (all);
  return best;
}

static void
on_have_type (GstElement *typefind,
              guint       probability,
              GstCaps    *caps,
              gpointer    data)
{
  Scan *scan = data;
  g_autoptr(GstElementFactory) factory = find_demuxer (caps);
  GstElement *demuxer = factory != NULL ? gst_element_factory_create (factory, NULL) : NULL;
  if (demuxer == NULL)
    {
      /* Nothing to demux (an image, an elementary stream): say so before
       * the unlinked typefind fails. */
      gst_element_post_message (typefind,
                                gst_message_new_application (GST_OBJECT (typefind),
                                                             gst_structure_new_empty ("sd-no-demuxer")));
      return;
    }
  g_signal_connect (demuxer, "pad-added", G_CALLBACK (on_demux_pad), scan);
  gst_bin_add (GST_BIN (scan->pipeline), demuxer);

  g_autoptr(GstPad) src = gst_element_get_static_pad (typefind, "src");
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (demuxer, "sink");
  gst_element_sync_state_with_parent (demuxer);
  if (gst_pad_link (src, sinkpad) != GST_PAD_LINK_OK)
    GST_ELEMENT_ERROR (typefind, STREAM, DEMUX, ("cannot link the demuxer"), (NULL));
  scan->demuxed = TRUE;
}

/* Runs the scan pipeline to its end; FALSE with @error on failure. */
static gboolean
scan_run (Scan        *scan,
          guint        timeout_ms,
          GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (scan->pipeline);
  if (gst_element_set_state (scan->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        sd_media_error_from_message (msg, error);
      else
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot start the scanner");
      return FALSE;
    }
  g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered (bus, (GstClockTime) timeout_ms * GST_MSECOND,
                                                          GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
                                                          GST_MESSAGE_APPLICATION);
  if (msg == NULL)
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_TIMEOUT, _("Reading the video took too long."));
      return FALSE;
    }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_APPLICATION)
    return TRUE;    /* sd-no-demuxer: scan.demuxed stays FALSE */
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      sd_media_error_from_message (msg, error);
      return FALSE;
    }
  return TRUE;
}

/* Reads the whole file through its demuxer (no decoding: fast) and sets
 * the span of its video timestamps and of all its timestamps in ms; both
 * 0 when the file has no container to demux (the discoverer's answer
 * stands then).  FALSE with @error when the type is unknown (NOT_A_VIDEO),
 * the demuxer fails (damaged or cut files) or no video frame comes out. */
static gboolean
scan_duration (const char  *path,
               guint        timeout_ms,
               gint64      *video_ms,
               gint64      *all_ms,
               GError     **error)
{
  Scan scan = { 0 };
  g_mutex_init (&scan.lock);
  scan.first = scan.last_end = scan.video_end = GST_CLOCK_TIME_NONE;
  scan.pipeline = gst_pipeline_new ("sd-scan");
  gboolean ok = FALSE;
  GstElement *src, *typefind;

  if ((src = sd_media_bin_add (GST_BIN (scan.pipeline), "filesrc", error)) != NULL &&
      (typefind = sd_media_bin_add (GST_BIN (scan.pipeline), "typefind", error)) != NULL)
    {
      g_object_set (src, "location", path, NULL);
      g_signal_connect (typefind, "have-type", G_CALLBACK (on_have_type), &scan);
      if (!gst_element_link (src, typefind))
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot link the scanner");
      else if (scan_run (&scan, timeout_ms, error))
        {
          *video_ms = *all_ms = 0;
          if (!scan.demuxed)
            ok = TRUE;
          else if (scan.have_video && GST_CLOCK_TIME_IS_VALID (scan.video_end))
            {
              *video_ms = (gint64) ((scan.video_end - scan.first) / GST_MSECOND);
              *all_ms = (gint64) ((scan.last_end - scan.first) / GST_MSECOND);
              ok = TRUE;
            }
          else
            g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_NOT_A_VIDEO,
                                 _("This file has no video in it."));
        }
    }
  gst_element_set_state (scan.pipeline, GST_STATE_NULL);
  gst_object_unref (scan.pipeline);
  g_mutex_clear (&scan.lock);
  return ok;
}

/* Fills @info from the discoverer's answer; FALSE with NOT_A_VIDEO when it
 * has no moving picture. */
static gboolean
fill_info (GstDiscovererInfo  *dinfo,
           SdMediaInfo        *info,
           GError            **error)
{
  g_autoptr(GstDiscovererStreamInfo) top = gst_discoverer_info_get_stream_info (dinfo);
  GList *videos = gst_discoverer_info_get_video_streams (dinfo);
  GList *audios = gst_discoverer_info_get_audio_streams (dinfo);
  GstDiscovererVideoInfo *video = videos != NULL ? videos->data : NULL;
  GstDiscovererStreamInfo *audio = audios != NULL ? audios->data : NULL;
  gboolean ok = FALSE;

  if (video == NULL || gst_discoverer_video_info_is_image (video))
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_NOT_A_VIDEO,
                           video == NULL ? _("This file has no video in it.")
                                         : _("This file is a still image, not a video."));
      goto out;
    }

  info->duration_ms = (gint64) (gst_discoverer_info_get_duration (dinfo) / GST_MSECOND);
  info->width = (int) gst_discoverer_video_info_get_width (video);
  info->height = (int) gst_discoverer_video_info_get_height (video);
  info->par_num = (int) gst_discoverer_video_info_get_par_num (video);
  info->par_den = (int) gst_discoverer_video_info_get_par_denom (video);
  if (info->par_num <= 0 || info->par_den <= 0)
    info->par_num = info->par_den = 1;
  info->fps_num = (int) gst_discoverer_video_info_get_framerate_num (video);
  info->fps_den = (int) gst_discoverer_video_info_get_framerate_denom (video);
  if (info->fps_den <= 0 || info->fps_num < 0)
    {
      info->fps_num = 0;
      info->fps_den = 1;
    }

  {
    g_autoptr(GstCaps) vcaps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (video));
    info->video_codec = sd_media_codec_name (vcaps);
    info->video_caps = vcaps != NULL ? gst_caps_to_string (vcaps) : g_strdup ("");
  }
  if (audio != NULL)
    {
      g_autoptr(GstCaps) acaps = gst_discoverer_stream_info_get_caps (audio);
      info->audio_codec = sd_media_codec_name (acaps);
      info->audio_caps = acaps != NULL ? gst_caps_to_string (acaps) : g_strdup ("");
    }
  if (top != NULL && GST_IS_DISCOVERER_CONTAINER_INFO (top))
    {
      g_autoptr(GstCaps) ccaps = gst_discoverer_stream_info_get_caps (top);
      info->container = sd_media_container_name (ccaps);
    }
  else
    info->container = g_strdup ("none");   /* an elementary stream */
  info->mime_type = g_strdup (sd_media_container_mime (info->container));

  if (info->width <= 0 || info->height <= 0)
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                           _("The size of the picture cannot be read from this video."));
      goto out;
    }
  if (info->width > SD_MEDIA_MAX_SIDE || info->height > SD_MEDIA_MAX_SIDE)
    {
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_TOO_LARGE,
                   _("The picture is %d×%d pixels; at most %d pixels per side are accepted."),
                   info->width, info->height, SD_MEDIA_MAX_SIDE);
      goto out;
    }
  ok = TRUE;

out:
  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
  return ok;
}

SdMediaInfo *
sd_media_probe (const char  *path,
                guint        timeout_ms,
                GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  sd_media_init ();

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "no file at %s", path);
      return NULL;
    }

  /* First the whole file through its demuxer: it finds what is no media
   * and what is cut short, and the real length. */
  gint64 video_ms = 0, all_ms = 0;
  if (!scan_duration (path, timeout_ms, &video_ms, &all_ms, error))
    return NULL;

  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new ((GstClockTime) timeout_ms * GST_MSECOND,
                                                            &local_error);
  if (discoverer == NULL)
    {
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "no discoverer: %s",
                   local_error->message);
      return NULL;
    }
  g_autofree char *uri = gst_filename_to_uri (path, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "bad path: %s", local_error->message);
      return NULL;
    }

  g_autoptr(GstDiscovererInfo) dinfo = gst_discoverer_discover_uri (discoverer, uri, &local_error);
  GstDiscovererResult result = dinfo != NULL ? gst_discoverer_info_get_result (dinfo)
                                             : GST_DISCOVERER_ERROR;
  if (result != GST_DISCOVERER_OK)
    {
      set_discover_error (result, local_error, error);
      return NULL;
    }

  g_autoptr(SdMediaInfo) info = g_new0 (SdMediaInfo, 1);
  if (!fill_info (dinfo, info, error))
    return NULL;

  /* The header's length may be missing (streamed WebM) or promise more
   * than the file holds (a cut upload): the timestamps tell.  (Audio
   * timestamps straight from some demuxers run long, so the length comes
   * from the video.) */
  g_debug ("%s: header %" G_GINT64_FORMAT " ms, video %" G_GINT64_FORMAT " ms, all %"
           G_GINT64_FORMAT " ms", path, info->duration_ms, video_ms, all_ms);
  gint64 slack = MAX (300, info->duration_ms / 20);
  if (all_ms > 0 && info->duration_ms > all_ms + slack)
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                           _("This video is incomplete: it ends before its own length."));
      return NULL;
    }
  if (video_ms > info->duration_ms + slack)
    info->duration_ms = video_ms;
  if (info->duration_ms <= 0)
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                           _("The length of this video cannot be read: it may be incomplete."));
      return NULL;
    }

  /* One decoded frame, small: proves there is a picture to show. */
  g_autoptr(SdMediaFrames) frames = sd_media_frames_open (path, 64, 64, timeout_ms, error);
  if (frames == NULL)
    return NULL;
  g_autoptr(GstSample) first = sd_media_frames_grab (frames, 0, FALSE, error);
  if (first == NULL)
    return NULL;
  return g_steal_pointer (&info);
}
