/* tg-snapshot.h — a picture of a widget as it is drawn now (its own
 * renderer renders a snapshot of it into a texture), saved as PNG.  The
 * GUI tests keep one per screen; bench and docs use them as screenshots. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget (mapped, with a size) to a texture; NULL with @error
 * when it has nothing to draw yet. */
GdkTexture *tg_snapshot_widget      (GtkWidget   *widget,
                                     GError     **error);
/* tg_snapshot_widget() written to @path. */
gboolean    tg_snapshot_save_png    (GtkWidget   *widget,
                                     const char  *path,
                                     GError     **error);

G_END_DECLS
