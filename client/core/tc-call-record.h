/* tc-call-record.h — writes what a call receives to one Matroska (WebM
 * for VP8/Opus) file, as it came: the depayloaded streams, not
 * re-encoded.  The muxer runs in a pipeline of its own fed through
 * appsrc, so that a muxer waiting for a stream can never stall the call.
 *
 * Tracks are fixed when the recording starts (the first negotiation that
 * says what the peer sends); a stream that is added later is not
 * recorded.  Timestamps start at 0 with the first recorded buffer. */
#pragma once

#include "tc-call-media.h"

G_BEGIN_DECLS

typedef struct _TcCallRecorder TcCallRecorder;

/* Checks that @path can be written (it is created or truncated) and
 * prepares the muxer.  Fails with a G_IO_ERROR, or NOT_SUPPORTED when
 * GStreamer lacks matroskamux. */
TcCallRecorder *tc_call_recorder_new    (const char      *path,
                                         GError         **error);

/* Adds a track for @media unless it has one or the recording started.
 * Main context.  Starts the muxer's pipeline. */
void            tc_call_recorder_want   (TcCallRecorder  *recorder,
                                         TcCallMedia      media);

/* One depayloaded buffer (with its caps and segment) for @media; any
 * thread; never blocks (dropped when there is no such track or the queue
 * is full). */
void            tc_call_recorder_push   (TcCallRecorder  *recorder,
                                         TcCallMedia      media,
                                         GstSample       *sample);

/* Ends the streams and waits (up to 3 s) for the muxer to write its index;
 * later pushes are dropped.  Main context. */
void            tc_call_recorder_finish (TcCallRecorder  *recorder);

void            tc_call_recorder_free   (TcCallRecorder  *recorder);

G_END_DECLS
