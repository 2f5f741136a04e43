/* th-player-gui.h — helpers for the GUI tests (run under tests/gui/run-gui-test.sh):
 * waiting on the main loop for a condition, screenshots of widgets saved as
 * test artifacts, and reading pixels back. */
#pragma once

#include <gtk/gtk.h>

#include "tg-video-area.h"

G_BEGIN_DECLS

typedef gboolean (*ThPlayerCondition) (gpointer data);

/* Iterates the default main context until @condition (@data) holds or
 * @timeout_ms pass; returns whether it held. */
gboolean    th_player_wait           (ThPlayerCondition  condition,
                                   gpointer        data,
                                   guint           timeout_ms);
/* Iterates the main context for @ms milliseconds. */
void        th_player_spin           (guint           ms);
/* Lets pending idles, layout and drawing run (a few frames' worth). */
void        th_player_settle         (void);

/* A window of @width × @height holding @child, presented and mapped. */
GtkWindow  *th_player_window         (GtkWidget      *child,
                                   int             width,
                                   int             height);

/* Takes the focus away, then destroys @window and lets it go.  (Without a
 * window manager a text field keeps its focus flag when its window is
 * destroyed, and GTK warns about the missing focus-out.) */
void        th_player_close          (GtkWindow      *window);

/* @widget as drawn now, rendered by its window's renderer; NULL when it
 * has no size yet. */
GdkTexture *th_player_render         (GtkWidget      *widget);

/* Saves th_player_render(@widget) as NAME.png in the artifact directory
 * ($TANDEM_TEST_ARTIFACTS, else the temporary directory); returns the
 * path. */
char       *th_player_screenshot     (GtkWidget      *widget,
                                   const char     *name);

/* Counts the pixels of @texture within @tolerance (per channel, 0–255) of
 * the colour @rgb (0xRRGGBB), in the rectangle @area (NULL: all). */
guint       th_player_count_color    (GdkTexture            *texture,
                                   guint32                rgb,
                                   guint                  tolerance,
                                   const graphene_rect_t *area);

/* The pixel at (@x, @y) as 0xRRGGBB. */
guint32     th_player_pixel          (GdkTexture     *texture,
                                   int             x,
                                   int             y);

/* Removes @path and everything under it (test scratch directories). */
void        th_player_remove_tree    (const char     *path);

/* Activates @widget's key binding for @keyval with @modifiers (the
 * shortcut its class installed, with its action) as a key press would;
 * aborts the test when there is none. */
void        th_player_press_key      (GtkWidget       *widget,
                                      guint            keyval,
                                      GdkModifierType  modifiers);

/* The point at (@nx, @ny) of the picture (normalized 0..1) in @area's
 * coordinates. */
void        th_player_frame_point    (TgVideoArea    *area,
                                      double          nx,
                                      double          ny,
                                      double         *x,
                                      double         *y);

/* A pointer drag over the picture from (@x0, @y0) to (@x1, @y1),
 * normalized, in eight moves. */
void        th_player_drag           (TgVideoArea    *area,
                                      double          x0,
                                      double          y0,
                                      double          x1,
                                      double          y1);

/* The first widget of @type under @root (depth first), or NULL. */
GtkWidget  *th_player_find_widget    (GtkWidget      *root,
                                      GType           type);

G_END_DECLS
