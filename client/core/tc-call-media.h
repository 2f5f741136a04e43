/* tc-call-media.h — the GStreamer pieces of a call, as bins made from
 * descriptions: local sources named by a spec string, the encoders and
 * payloaders that feed webrtcbin, the depayloaders and decoders behind it,
 * and the codecs both sides can agree on.  Used by tc-call-*.c only.
 *
 * Source specs (what --video and --audio accept):
 *   video  "none", "test" or "test:PATTERN" (a videotestsrc pattern such as
 *          red, blue, ball, smpte), "camera" or "camera:DEVICE", "screen",
 *          "file:PATH", a path or a URI
 *   audio  "none", "test" or "test:HZ" (a sine tone), "mic" or
 *          "mic:DEVICE", "file:PATH", a path or a URI
 *
 * Every source bin has one always "src" pad with fixed raw caps: video
 * I420 at the call's size and rate, audio mono S16LE at 48 kHz. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum {
  TC_CALL_MEDIA_AUDIO,
  TC_CALL_MEDIA_VIDEO,
} TcCallMedia;

typedef enum {
  TC_CALL_CODEC_NONE,
  TC_CALL_CODEC_OPUS,
  TC_CALL_CODEC_VP8,
  TC_CALL_CODEC_H264,
} TcCallCodec;

/* The RTP payload types we offer. */
#define TC_CALL_PT_OPUS 111
#define TC_CALL_PT_VP8   96
#define TC_CALL_PT_H264 102

typedef struct {
  guint width;
  guint height;
  guint framerate;
  guint video_bitrate_kbps;
} TcCallFormat;

/* TRUE when @spec names no source ("none", NULL or ""). */
gboolean     tc_call_spec_is_none      (const char         *spec);

/* Builds the source bin for @spec.  Fails with G_IO_ERROR_INVALID_ARGUMENT
 * for a spec it does not understand, G_IO_ERROR_NOT_FOUND when the device
 * or file is not there, G_IO_ERROR_NOT_SUPPORTED when GStreamer lacks the
 * elements.  The bin is floating. */
GstElement  *tc_call_source_make       (TcCallMedia         media,
                                        const char         *spec,
                                        const TcCallFormat *format,
                                        GError            **error);

/* The mute control of an audio source bin made above (a volume element),
 * or NULL for video. */
GstElement  *tc_call_source_volume     (GstElement         *source);

/* Whether this process can send and receive @codec (encoder, payloader,
 * depayloader and decoder all present).  Opus and VP8 are required. */
gboolean     tc_call_codec_available   (TcCallCodec         codec);

/* "OPUS", "VP8", "H264". */
const char  *tc_call_codec_name        (TcCallCodec         codec);
/* From an RTP encoding-name (any case); TC_CALL_CODEC_NONE when unknown. */
TcCallCodec  tc_call_codec_from_name   (const char         *encoding_name);

/* The video codecs to offer, in order of preference, from a list such as
 * "vp8,h264" (NULL: VP8, then H.264 when available).  Unknown and
 * unavailable names are left out; never empty (falls back to VP8). */
GArray      *tc_call_codec_list        (const char         *names);

/* RTP caps for @codecs (an array of TcCallCodec) as one caps with one
 * structure per codec: what a transceiver's codec-preferences take. */
GstCaps     *tc_call_codec_caps        (const TcCallCodec  *codecs,
                                        guint               n_codecs);

/* queue ! encoder ! payloader as a bin with "sink" and "src" pads; the
 * encoder is named "encoder".  Floating. */
GstElement  *tc_call_encoder_make      (TcCallCodec         codec,
                                        const TcCallFormat *format,
                                        GError            **error);

/* depayloader ! decoder as a bin with "sink" (RTP) and "src" (raw) pads,
 * and, with @record, a "record" pad carrying the depayloaded stream (for
 * a muxer).  Floating. */
GstElement  *tc_call_decoder_make      (TcCallCodec         codec,
                                        gboolean            record,
                                        GError            **error);

G_END_DECLS
