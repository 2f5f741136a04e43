/* tg-video-paintable.c — the latest video frame as a GdkPaintable; see
 * tg-video-paintable.h. */
#define G_LOG_DOMAIN "tg-video-paintable"

#include "tg-video-paintable.h"

struct _TgVideoPaintable
{
  GObject parent_instance;

  GdkTexture *texture;
  double pixel_aspect;
};

static void tg_video_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TgVideoPaintable, tg_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, tg_video_paintable_paintable_init))

static void
tg_video_paintable_snapshot (GdkPaintable *paintable,
                             GdkSnapshot  *snapshot,
                             double        width,
                             double        height)
{
  TgVideoPaintable *self = TG_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return;
  gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot), self->texture,
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static GdkPaintable *
tg_video_paintable_get_current_image (GdkPaintable *paintable)
{
  TgVideoPaintable *self = TG_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return gdk_paintable_new_empty (0, 0);
  return GDK_PAINTABLE (g_object_ref (self->texture));
}

static int
tg_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  TgVideoPaintable *self = TG_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0;
  return (int) (gdk_texture_get_width (self->texture) * self->pixel_aspect + 0.5);
}

static int
tg_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  TgVideoPaintable *self = TG_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static double
tg_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  TgVideoPaintable *self = TG_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0.0;
  return gdk_texture_get_width (self->texture) * self->pixel_aspect / gdk_texture_get_height (self->texture);
}

static void
tg_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = tg_video_paintable_snapshot;
  iface->get_current_image = tg_video_paintable_get_current_image;
  iface->get_intrinsic_width = tg_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = tg_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = tg_video_paintable_get_intrinsic_aspect_ratio;
}

static void
tg_video_paintable_finalize (GObject *object)
{
  TgVideoPaintable *self = TG_VIDEO_PAINTABLE (object);

  g_clear_object (&self->texture);
  G_OBJECT_CLASS (tg_video_paintable_parent_class)->finalize (object);
}

static void
tg_video_paintable_class_init (TgVideoPaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tg_video_paintable_finalize;
}

static void
tg_video_paintable_init (TgVideoPaintable *self)
{
  self->pixel_aspect = 1.0;
}

TgVideoPaintable *
tg_video_paintable_new (void)
{
  return g_object_new (TG_TYPE_VIDEO_PAINTABLE, NULL);
}

void
tg_video_paintable_set_texture (TgVideoPaintable *self,
                                GdkTexture       *texture,
                                double            pixel_aspect)
{
  g_return_if_fail (TG_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (pixel_aspect <= 0.0)
    pixel_aspect = 1.0;
  gboolean resized =
    (self->texture == NULL) != (texture == NULL) ||
    (texture != NULL && (gdk_texture_get_width (self->texture) != gdk_texture_get_width (texture) ||
                         gdk_texture_get_height (self->texture) != gdk_texture_get_height (texture))) ||
    self->pixel_aspect != pixel_aspect;

  g_set_object (&self->texture, texture);
  self->pixel_aspect = pixel_aspect;
  if (resized)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

GdkTexture *
tg_video_paintable_get_texture (TgVideoPaintable *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_PAINTABLE (self), NULL);
  return self->texture;
}
