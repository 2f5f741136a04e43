/* tc-call-media.c — sources, encoders, decoders and codecs of a call; see
 * tc-call-media.h. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-media.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

/* An element, or a G_IO_ERROR_NOT_SUPPORTED naming the missing one. */
static GstElement *
make (const char  *factory,
      const char  *name,
      GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);
  if (element == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("the GStreamer element “%s” is missing (install the GStreamer plugins)"), factory);
  return element;
}

static gboolean
have (const char *factory)
{
  g_autoptr(GstElementFactory) f = gst_element_factory_find (factory);
  return f != NULL;
}

/* Adds @elements (NULL-terminated, floating) to @bin and links them in a
 * chain; the last one's src pad is ghosted as "src" unless it is a sink. */
static gboolean
chain (GstBin      *bin,
       GError     **error,
       ...)
{
  va_list ap;
  GstElement *prev = NULL;
  GstElement *element;

  va_start (ap, error);
  while ((element = va_arg (ap, GstElement *)) != NULL)
    {
      gst_bin_add (bin, element);
      if (prev != NULL && !gst_element_link (prev, element))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("could not link %s to %s"),
                       GST_ELEMENT_NAME (prev), GST_ELEMENT_NAME (element));
          va_end (ap);
          return FALSE;
        }
      prev = element;
    }
  va_end (ap);
  return TRUE;
}

static void
ghost (GstElement *bin,
       GstElement *element,
       const char *element_pad,
       const char *name)
{
  g_autoptr(GstPad) target = gst_element_get_static_pad (element, element_pad);
  gst_element_add_pad (bin, gst_ghost_pad_new (name, target));
}

gboolean
tc_call_spec_is_none (const char *spec)
{
  return spec == NULL || *spec == '\0' || g_ascii_strcasecmp (spec, "none") == 0;
}

/* "file:PATH", a path or a URI → a URI; NULL when @spec is none of these. */
static char *
spec_uri (const char *spec)
{
  if (g_str_has_prefix (spec, "file:") && !g_str_has_prefix (spec, "file://"))
    spec += strlen ("file:");
  if (g_uri_is_valid (spec, G_URI_FLAGS_NONE, NULL) && strstr (spec, "://") != NULL)
    return g_strdup (spec);
  if (strchr (spec, '/') != NULL || g_file_test (spec, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (spec);
      return g_file_get_uri (file);
    }
  return NULL;
}

/* "kind" or "kind:arg": TRUE when @spec is @kind, with *@arg the part after
 * the colon (or NULL). */
static gboolean
spec_kind (const char  *spec,
           const char  *kind,
           const char **arg)
{
  size_t n = strlen (kind);
  if (g_ascii_strncasecmp (spec, kind, n) != 0 || (spec[n] != '\0' && spec[n] != ':'))
    return FALSE;
  *arg = spec[n] == ':' && spec[n + 1] != '\0' ? spec + n + 1 : NULL;
  return TRUE;
}

/* A file or URL source: uridecodebin keeping only @media, paced to the
 * clock (a file is not live), its end swallowed (the stream then just
 * stops instead of ending the call's pipeline branch). */
static GstElement *
uri_source (GstBin      *bin,
            const char  *uri,
            TcCallMedia  media,
            GError     **error)
{
  GstElement *dec = make ("uridecodebin", "decode", error);
  if (dec == NULL)
    return NULL;
  g_autoptr(GstCaps) caps = gst_caps_from_string (media == TC_CALL_MEDIA_VIDEO ? "video/x-raw" : "audio/x-raw");
  g_object_set (dec, "uri", uri, "caps", caps, "expose-all-streams", FALSE, NULL);
  gst_bin_add (bin, dec);
  return dec;
}

static void
uri_pad_added_cb (GstElement *dec,
                  GstPad     *pad,
                  gpointer    user_data)
{
  GstElement *next = user_data;
  g_autoptr(GstPad) sink = gst_element_get_static_pad (next, "sink");
  if (!gst_pad_is_linked (sink) && gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    g_warning ("could not link the file's stream");
}

static GstPadProbeReturn
drop_eos_cb (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  return GST_EVENT_TYPE (event) == GST_EVENT_EOS ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

static gboolean
set_enum_nick (GstElement  *element,
               const char  *property,
               const char  *nick,
               GError     **error)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (element), property);
  if (pspec == NULL || !G_IS_PARAM_SPEC_ENUM (pspec) ||
      g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class, nick) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("unknown test pattern “%s”"), nick);
      return FALSE;
    }
  gst_util_set_object_arg (G_OBJECT (element), property, nick);
  return TRUE;
}

static GstElement *
video_source (GstBin              *bin,
              const char          *spec,
              GError             **error)
{
  const char *arg = NULL;
  GstElement *src = NULL;

  if (spec_kind (spec, "test", &arg))
    {
      src = make ("videotestsrc", "source", error);
      if (src == NULL)
        return NULL;
      g_object_set (src, "is-live", TRUE, NULL);
      if (arg != NULL && !set_enum_nick (src, "pattern", arg, error))
        {
          gst_object_unref (gst_object_ref_sink (src));
          return NULL;
        }
      gst_bin_add (bin, src);
      return src;
    }
  if (spec_kind (spec, "camera", &arg))
    {
      if (arg == NULL && have ("pipewiresrc") && g_getenv ("PIPEWIRE_REMOTE") != NULL)
        src = make ("pipewiresrc", "source", error);
      else
        {
          const char *device = arg != NULL ? arg : "/dev/video0";
          if (!g_file_test (device, G_FILE_TEST_EXISTS))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("no camera at %s"), device);
              return NULL;
            }
          src = make ("v4l2src", "source", error);
          if (src != NULL)
            g_object_set (src, "device", device, NULL);
        }
      if (src == NULL)
        return NULL;
      /* Cameras often give MJPEG: decode whatever comes. */
      GstElement *dec = make ("decodebin", "decode", error);
      if (dec == NULL)
        {
          gst_object_unref (gst_object_ref_sink (src));
          return NULL;
        }
      gst_bin_add_many (bin, src, dec, NULL);
      gst_element_link (src, dec);
      return dec;
    }
  if (spec_kind (spec, "screen", &arg))
    {
      const char *display = g_getenv ("DISPLAY");
      if (display == NULL || *display == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("screen sharing needs an X11 display here ($DISPLAY is not set)"));
          return NULL;
        }
      src = make ("ximagesrc", "source", error);
      if (src == NULL)
        return NULL;
      g_object_set (src, "use-damage", FALSE, "show-pointer", TRUE, NULL);
      gst_bin_add (bin, src);
      return src;
    }
  g_autofree char *uri = spec_uri (spec);
  if (uri != NULL)
    return uri_source (bin, uri, TC_CALL_MEDIA_VIDEO, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("unknown video source “%s” (use none, test, camera, screen or a file)"), spec);
  return NULL;
}

static GstElement *
audio_source (GstBin      *bin,
              const char  *spec,
              GError     **error)
{
  const char *arg = NULL;
  GstElement *src;

  if (spec_kind (spec, "test", &arg))
    {
      double freq = 440;
      if (arg != NULL)
        {
          char *end = NULL;
          freq = g_ascii_strtod (arg, &end);
          if (end == arg || *end != '\0' || freq < 20 || freq > 20000)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("a test tone needs a frequency from 20 to 20000 Hz, not “%s”"), arg);
              return NULL;
            }
        }
      src = make ("audiotestsrc", "source", error);
      if (src == NULL)
        return NULL;
      /* 10 ms buffers, a quiet sine */
      g_object_set (src, "is-live", TRUE, "freq", freq, "volume", 0.3, "samplesperbuffer", 480, NULL);
      gst_bin_add (bin, src);
      return src;
    }
  if (spec_kind (spec, "mic", &arg))
    {
      if (arg != NULL)
        {
          src = make ("pulsesrc", "source", error);
          if (src != NULL)
            g_object_set (src, "device", arg, NULL);
        }
      else
        src = make ("autoaudiosrc", "source", error);
      if (src == NULL)
        return NULL;
      gst_bin_add (bin, src);
      return src;
    }
  g_autofree char *uri = spec_uri (spec);
  if (uri != NULL)
    return uri_source (bin, uri, TC_CALL_MEDIA_AUDIO, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("unknown audio source “%s” (use none, test, mic or a file)"), spec);
  return NULL;
}

GstElement *
tc_call_source_make (TcCallMedia         media,
                     const char         *spec,
                     const TcCallFormat *format,
                     GError            **error)
{
  g_return_val_if_fail (!tc_call_spec_is_none (spec), NULL);

  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new (media == TC_CALL_MEDIA_VIDEO ? "video-source" : "audio-source"));
  GstElement *src = media == TC_CALL_MEDIA_VIDEO
                    ? video_source (GST_BIN (bin), spec, error)
                    : audio_source (GST_BIN (bin), spec, error);
  if (src == NULL)
    return NULL;
  gboolean dynamic = GST_IS_BIN (src) && (g_strcmp0 (GST_OBJECT_NAME (src), "decode") == 0);

  GstElement *convert, *scale, *rate, *filter, *last;
  g_autoptr(GstCaps) caps = NULL;
  if (media == TC_CALL_MEDIA_VIDEO)
    {
      if ((convert = make ("videoconvert", NULL, error)) == NULL ||
          (scale = make ("videoscale", NULL, error)) == NULL ||
          (rate = make ("videorate", NULL, error)) == NULL ||
          (filter = make ("capsfilter", NULL, error)) == NULL)
        return NULL;
      caps = gst_caps_new_simple ("video/x-raw",
                                  "format", G_TYPE_STRING, "I420",
                                  "width", G_TYPE_INT, (int) format->width,
                                  "height", G_TYPE_INT, (int) format->height,
                                  "framerate", GST_TYPE_FRACTION, (int) format->framerate, 1,
                                  "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                  NULL);
    }
  else
    {
      if ((convert = make ("audioconvert", NULL, error)) == NULL ||
          (scale = make ("audioresample", NULL, error)) == NULL ||
          (rate = make ("volume", "volume", error)) == NULL ||
          (filter = make ("capsfilter", NULL, error)) == NULL)
        return NULL;
      caps = gst_caps_new_simple ("audio/x-raw",
                                  "format", G_TYPE_STRING, "S16LE",
                                  "rate", G_TYPE_INT, 48000,
                                  "channels", G_TYPE_INT, 1,
                                  "layout", G_TYPE_STRING, "interleaved",
                                  NULL);
    }
  g_object_set (filter, "caps", caps, NULL);
  last = filter;

  if (!chain (GST_BIN (bin), error, convert, scale, rate, filter, NULL))
    return NULL;

  /* A file is not live: pace it to the clock. */
  if (dynamic && g_object_class_find_property (G_OBJECT_GET_CLASS (src), "uri") != NULL)
    {
      GstElement *sync = make ("clocksync", NULL, error);
      if (sync == NULL)
        return NULL;
      gst_bin_add (GST_BIN (bin), sync);
      gst_element_link (filter, sync);
      last = sync;
    }
  if (dynamic)
    g_signal_connect_object (src, "pad-added", G_CALLBACK (uri_pad_added_cb), convert, 0);
  else if (!gst_element_link (src, convert))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("the source “%s” gives a format that cannot be converted"), spec);
      return NULL;
    }

  ghost (bin, last, "src", "src");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (bin, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, drop_eos_cb, NULL, NULL);
  g_object_force_floating (G_OBJECT (bin));   /* as the contract says */
  return g_steal_pointer (&bin);
}

GstElement *
tc_call_source_volume (GstElement *source)
{
  GstElement *volume = gst_bin_get_by_name (GST_BIN (source), "volume");
  if (volume != NULL)
    gst_object_unref (volume);   /* the bin keeps it alive */
  return volume;
}

/* ---- codecs ---- */

static const struct {
  TcCallCodec codec;
  const char *name;
  const char *media;
  int pt;
  int clock_rate;
  const char *const encoders[3];
  const char *payloader;
  const char *depayloader;
  const char *const decoders[3];
} codecs[] = {
  { TC_CALL_CODEC_OPUS, "OPUS", "audio", TC_CALL_PT_OPUS, 48000, { "opusenc" }, "rtpopuspay", "rtpopusdepay", { "opusdec" } },
  { TC_CALL_CODEC_VP8, "VP8", "video", TC_CALL_PT_VP8, 90000, { "vp8enc" }, "rtpvp8pay", "rtpvp8depay", { "vp8dec" } },
  { TC_CALL_CODEC_H264, "H264", "video", TC_CALL_PT_H264, 90000, { "x264enc", "openh264enc" }, "rtph264pay", "rtph264depay",
    { "avdec_h264", "openh264dec" } },
};

static guint
codec_index (TcCallCodec codec)
{
  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (codecs[i].codec == codec)
      return i;
  g_assert_not_reached ();
}

static const char *
first_present (const char *const *factories)
{
  for (guint i = 0; i < 3 && factories[i] != NULL; i++)
    if (have (factories[i]))
      return factories[i];
  return NULL;
}

gboolean
tc_call_codec_available (TcCallCodec codec)
{
  if (codec == TC_CALL_CODEC_NONE)
    return FALSE;
  guint i = codec_index (codec);
  return first_present (codecs[i].encoders) != NULL && first_present (codecs[i].decoders) != NULL &&
         have (codecs[i].payloader) && have (codecs[i].depayloader);
}

const char *
tc_call_codec_name (TcCallCodec codec)
{
  return codec == TC_CALL_CODEC_NONE ? "none" : codecs[codec_index (codec)].name;
}

TcCallCodec
tc_call_codec_from_name (const char *encoding_name)
{
  for (guint i = 0; encoding_name != NULL && i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (encoding_name, codecs[i].name) == 0)
      return codecs[i].codec;
  return TC_CALL_CODEC_NONE;
}

GArray *
tc_call_codec_list (const char *names)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (TcCallCodec));
  g_auto(GStrv) parts = g_strsplit (names != NULL ? names : "vp8,h264", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      TcCallCodec codec = tc_call_codec_from_name (g_strstrip (parts[i]));
      gboolean dup = FALSE;
      for (guint j = 0; j < list->len; j++)
        dup |= g_array_index (list, TcCallCodec, j) == codec;
      if (codec != TC_CALL_CODEC_NONE && codec != TC_CALL_CODEC_OPUS && !dup && tc_call_codec_available (codec))
        g_array_append_val (list, codec);
    }
  if (list->len == 0)
    {
      TcCallCodec vp8 = TC_CALL_CODEC_VP8;
      g_array_append_val (list, vp8);
    }
  return list;
}

GstCaps *
tc_call_codec_caps (const TcCallCodec *list,
                    guint              n)
{
  GstCaps *caps = gst_caps_new_empty ();
  for (guint k = 0; k < n; k++)
    {
      guint i = codec_index (list[k]);
      GstStructure *s = gst_structure_new ("application/x-rtp",
                                           "media", G_TYPE_STRING, codecs[i].media,
                                           "encoding-name", G_TYPE_STRING, codecs[i].name,
                                           "payload", G_TYPE_INT, codecs[i].pt,
                                           "clock-rate", G_TYPE_INT, codecs[i].clock_rate,
                                           NULL);
      if (list[k] == TC_CALL_CODEC_OPUS)
        gst_structure_set (s, "encoding-params", G_TYPE_STRING, "2", NULL);
      /* no profile-level-id: the payloader takes it from the encoder's
       * SPS, and a fixed one here would refuse what the encoder makes */
      if (list[k] == TC_CALL_CODEC_H264)
        gst_structure_set (s, "packetization-mode", G_TYPE_STRING, "1", NULL);
      gst_caps_append_structure (caps, s);
    }
  return caps;
}

GstElement *
tc_call_encoder_make (TcCallCodec         codec,
                      const TcCallFormat *format,
                      GError            **error)
{
  guint i = codec_index (codec);
  const char *encoder_name = first_present (codecs[i].encoders);
  GstElement *queue, *encoder, *pay, *filter = NULL;

  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new (NULL));
  if ((queue = make ("queue", NULL, error)) == NULL ||
      (encoder = make (encoder_name != NULL ? encoder_name : codecs[i].encoders[0], "encoder", error)) == NULL ||
      (pay = make (codecs[i].payloader, NULL, error)) == NULL)
    return NULL;
  /* Never queue up latency: a late frame is better dropped. */
  g_object_set (queue, "max-size-buffers", 3, "max-size-bytes", 0, "max-size-time", (guint64) 0,
                "leaky", 2 /* downstream */, NULL);
  g_object_set (pay, "pt", codecs[i].pt, "mtu", 1200, NULL);
  guint kbps = format->video_bitrate_kbps;

  switch (codec)
    {
    case TC_CALL_CODEC_OPUS:
      g_object_set (encoder, "bitrate", 32000, NULL);
      gst_util_set_object_arg (G_OBJECT (encoder), "frame-size", "20");
      break;
    case TC_CALL_CODEC_VP8:
      g_object_set (encoder, "deadline", (gint64) 1, "cpu-used", 8, "target-bitrate", (int) kbps * 1000,
                    "keyframe-max-dist", 3000, "lag-in-frames", 0, "threads", 1, NULL);
      gst_util_set_object_arg (G_OBJECT (encoder), "end-usage", "cbr");
      gst_util_set_object_arg (G_OBJECT (encoder), "error-resilient", "default");
      gst_util_set_object_arg (G_OBJECT (pay), "picture-id-mode", "15-bit");
      break;
    case TC_CALL_CODEC_H264:
      if (g_strcmp0 (encoder_name, "x264enc") == 0)
        {
          g_object_set (encoder, "bitrate", kbps, "key-int-max", 3000, NULL);
          gst_util_set_object_arg (G_OBJECT (encoder), "tune", "zerolatency");
          gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset", "ultrafast");
        }
      else
        g_object_set (encoder, "bitrate", kbps * 1000, NULL);
      filter = make ("capsfilter", NULL, error);
      if (filter == NULL)
        return NULL;
      {
        g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-h264,profile=constrained-baseline");
        g_object_set (filter, "caps", caps, NULL);
      }
      g_object_set (pay, "config-interval", -1, NULL);
      gst_util_set_object_arg (G_OBJECT (pay), "aggregate-mode", "zero-latency");
      break;
    case TC_CALL_CODEC_NONE:
    default:
      g_assert_not_reached ();
    }

  if (filter != NULL ? !chain (GST_BIN (bin), error, queue, encoder, filter, pay, NULL)
                     : !chain (GST_BIN (bin), error, queue, encoder, pay, NULL))
    return NULL;
  ghost (bin, queue, "sink", "sink");
  ghost (bin, pay, "src", "src");
  g_object_force_floating (G_OBJECT (bin));   /* as the contract says */
  return g_steal_pointer (&bin);
}

GstElement *
tc_call_decoder_make (TcCallCodec   codec,
                      gboolean      record,
                      GError      **error)
{
  guint i = codec_index (codec);
  const char *decoder_name = first_present (codecs[i].decoders);
  GstElement *depay, *decoder, *tee = NULL, *queue = NULL, *rqueue = NULL, *parse = NULL;

  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new (NULL));
  if ((depay = make (codecs[i].depayloader, NULL, error)) == NULL ||
      (decoder = make (decoder_name != NULL ? decoder_name : codecs[i].decoders[0], "decoder", error)) == NULL)
    return NULL;
  if (codec != TC_CALL_CODEC_OPUS)
    g_object_set (depay, "request-keyframe", TRUE, "wait-for-keyframe", TRUE, NULL);
  if (codec == TC_CALL_CODEC_H264)
    {
      /* the decoder and the muxer want whole access units with their
       * headers */
      if ((parse = make ("h264parse", NULL, error)) == NULL)
        return NULL;
    }

  if (!record)
    {
      if (parse != NULL ? !chain (GST_BIN (bin), error, depay, parse, decoder, NULL)
                        : !chain (GST_BIN (bin), error, depay, decoder, NULL))
        return NULL;
    }
  else
    {
      if ((tee = make ("tee", NULL, error)) == NULL ||
          (queue = make ("queue", NULL, error)) == NULL ||
          (rqueue = make ("queue", NULL, error)) == NULL)
        return NULL;
      g_object_set (queue, "max-size-buffers", 3, "max-size-bytes", 0, "max-size-time", (guint64) 0, NULL);
      g_object_set (tee, "allow-not-linked", TRUE, NULL);
      if (parse != NULL ? !chain (GST_BIN (bin), error, depay, parse, tee, queue, decoder, NULL)
                        : !chain (GST_BIN (bin), error, depay, tee, queue, decoder, NULL))
        return NULL;
      gst_bin_add (GST_BIN (bin), rqueue);
      gst_element_link (tee, rqueue);
      ghost (bin, rqueue, "src", "record");
    }
  ghost (bin, depay, "sink", "sink");
  ghost (bin, decoder, "src", "src");
  g_object_force_floating (G_OBJECT (bin));   /* as the contract says */
  return g_steal_pointer (&bin);
}
