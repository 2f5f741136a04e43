/* sd-media-playback.h — can the desktop play a video as uploaded?
 *
 * The desktop client plays through GStreamer (souphttpsrc ! decodebin) with
 * the same plugin set as this server.  A video plays directly when its
 * container is one that seeks well over HTTP Range requests (WebM,
 * Matroska, MP4/MOV, Ogg), its codecs are common ones (VP8, VP9, AV1,
 * H.264, Theora; Opus, Vorbis, AAC, MP3, FLAC) and a decoder for each is
 * installed.  Anything else is transcoded once (sd-media-transcode.h). */
#pragma once

#include "media/sd-media-probe.h"

G_BEGIN_DECLS

/* TRUE when @info plays as it is.  Otherwise FALSE, and @reason (when not
 * NULL) says why, for logs. */
gboolean sd_media_playback_direct      (const SdMediaInfo  *info,
                                        char              **reason);

/* TRUE when an installed decoder accepts @caps (a caps string). */
gboolean sd_media_playback_can_decode  (const char *caps);

G_END_DECLS
