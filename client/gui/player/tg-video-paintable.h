/* tg-video-paintable.h — a GdkPaintable that shows the latest video frame.
 *
 * The player hands it one GdkTexture per decoded frame (made from the
 * appsink's buffer without copying); the paintable swaps it in and
 * invalidates its contents, and its size too when the frame size or the
 * pixel aspect ratio changed.  Used from the main thread only. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TG_TYPE_VIDEO_PAINTABLE (tg_video_paintable_get_type ())

G_DECLARE_FINAL_TYPE (TgVideoPaintable, tg_video_paintable, TG, VIDEO_PAINTABLE, GObject)

/* An empty paintable (no intrinsic size) until the first frame.  Never fails. */
TgVideoPaintable *tg_video_paintable_new         (void);

/* Show @texture (NULL clears the picture).  @pixel_aspect is the width of
 * one pixel over its height (1.0 for square pixels); the intrinsic width is
 * the texture's width times it.  The paintable keeps a reference. */
void              tg_video_paintable_set_texture (TgVideoPaintable *self,
                                                  GdkTexture       *texture,
                                                  double            pixel_aspect);

/* The frame shown now, or NULL; owned by the paintable. */
GdkTexture       *tg_video_paintable_get_texture (TgVideoPaintable *self);

G_END_DECLS
