/* sd-media-playback.c — the direct-play rule: known container, known
 * codecs, and decoders present in the registry for the exact caps. */
#define G_LOG_DOMAIN "sd-media-playback"

#include "media/sd-media-playback.h"

static const char *const direct_containers[] = { "webm", "matroska", "mp4", "mov", "ogg", NULL };
static const char *const direct_video[] = { "vp8", "vp9", "av1", "h264", "theora", NULL };
static const char *const direct_audio[] = { "opus", "vorbis", "aac", "mp3", "flac", NULL };

gboolean
sd_media_playback_can_decode (const char *caps_string)
{
  sd_media_init ();
  g_autoptr(GstCaps) caps = caps_string != NULL ? gst_caps_from_string (caps_string) : NULL;
  if (caps == NULL)
    return FALSE;
  GList *decoders = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_DECODER,
                                                           GST_RANK_MARGINAL);
  GList *usable = gst_element_factory_list_filter (decoders, caps, GST_PAD_SINK, FALSE);
  gboolean found = usable != NULL;
  gst_plugin_feature_list_free (usable);
  gst_plugin_feature_list_free (decoders);
  return found;
}

gboolean
sd_media_playback_direct (const SdMediaInfo  *info,
                          char              **reason)
{
  const char *why = NULL;

  if (!g_strv_contains (direct_containers, info->container))
    why = "container";
  else if (!g_strv_contains (direct_video, info->video_codec))
    why = "video codec";
  else if (info->audio_codec != NULL && !g_strv_contains (direct_audio, info->audio_codec))
    why = "audio codec";
  else if (!sd_media_playback_can_decode (info->video_caps))
    why = "no video decoder";
  else if (info->audio_caps != NULL && !sd_media_playback_can_decode (info->audio_caps))
    why = "no audio decoder";

  if (why != NULL && reason != NULL)
    *reason = g_strdup_printf ("%s (%s, %s%s%s)", why, info->container, info->video_codec,
                               info->audio_codec != NULL ? "+" : "",
                               info->audio_codec != NULL ? info->audio_codec : "");
  return why == NULL;
}
