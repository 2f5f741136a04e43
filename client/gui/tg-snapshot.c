/* tg-snapshot.c — widget → GskRenderNode → texture → PNG (see
 * tg-snapshot.h). */
#define G_LOG_DOMAIN "tg-snapshot"

#include "tg-snapshot.h"

GdkTexture *
tg_snapshot_widget (GtkWidget  *widget,
                    GError    **error)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "the widget is not on screen");
      return NULL;
    }

  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "the widget drew nothing");
      return NULL;
    }
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
  return gsk_renderer_render_texture (renderer, node, &bounds);
}

gboolean
tg_snapshot_save_png (GtkWidget   *widget,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GdkTexture) texture = tg_snapshot_widget (widget, error);
  if (texture == NULL)
    return FALSE;
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }
  return TRUE;
}
