/* tg-call-video.h — the call engine's pictures on screen: the decoded
 * frames of the remote video or of the self view (BGRA GstSamples from a
 * streaming thread, tc_call_set_frame_func()) become GdkTextures shown by
 * a TgVideoPaintable, on the main context of the caller.  Frames that
 * arrive faster than the main loop takes them are dropped: only the latest
 * is shown.  The texture shares the sample's memory (no copy). */
#pragma once

#include "tc-call.h"
#include "tg-video-paintable.h"

G_BEGIN_DECLS

/* Shows @call's @which frames in @paintable from now on (the paintable is
 * held weakly); replaces an earlier attachment of @which.  Call from the
 * thread whose thread-default main context shows the pictures. */
void        tg_call_video_attach         (TcCall           *call,
                                          TcCallVideo       which,
                                          TgVideoPaintable *paintable);

/* Stops showing @which frames (the picture stays as it was). */
void        tg_call_video_detach         (TcCall           *call,
                                          TcCallVideo       which);

/* A texture of @sample (a BGRA video frame) sharing its memory, or NULL
 * when it is not one.  @pixel_aspect (may be NULL) gets the pixel aspect
 * ratio. */
GdkTexture *tg_call_video_texture        (GstSample        *sample,
                                          double           *pixel_aspect);

G_END_DECLS
