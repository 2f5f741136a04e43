/* th-gui.h — driving the real desktop app in a GUI test: a private home
 * for its files, the app started in-process (no D-Bus uniqueness), waiting
 * on conditions while the main loop runs, finding widgets by name,
 * screenshots of each screen into $TANDEM_TEST_SCREENSHOTS. */
#pragma once

#include <gtk/gtk.h>

#include "tg-application.h"
#include "tg-window.h"

G_BEGIN_DECLS

/* Call first in main(): a temporary HOME and XDG directories (GLib caches
 * them on first use), then th_init().  Returns the temporary home. */
const char    *th_gui_init            (int *argc, char ***argv);

/* Registers and activates a new TgApplication; returns its window. */
TgApplication *th_gui_app_start       (void);
TgWindow      *th_gui_window          (void);
void           th_gui_app_stop        (void);

/* Runs the main loop until @cond (@data) holds or @timeout_ms pass; the
 * test fails then, naming @what. */
typedef gboolean (*ThGuiCond) (gpointer data);
void           th_gui_wait            (ThGuiCond cond, gpointer data, guint timeout_ms, const char *what);
/* Runs the main loop for @ms. */
void           th_gui_spin            (guint ms);
/* Waits until the window shows page @name (tg_window_get_page()). */
void           th_gui_wait_page       (const char *name);

/* The widget named @name in any toplevel; the test fails when missing. */
GtkWidget     *th_gui_find            (const char *name);
/* The same, or NULL. */
GtkWidget     *th_gui_lookup          (const char *name);
void           th_gui_set_text        (const char *name, const char *text);
/* Activates the widget (a button's click, its action). */
void           th_gui_click           (const char *name);
/* Whether a toplevel named @name is shown. */
gboolean       th_gui_has_toplevel    (const char *name);
/* Waits until a toplevel named @name is shown, and returns it. */
GtkWidget     *th_gui_wait_toplevel   (const char *name);
/* Waits until no toplevel named @name is shown. */
void           th_gui_wait_no_toplevel (const char *name);
/* Waits until a widget named @name is mapped, and returns it. */
GtkWidget     *th_gui_wait_widget     (const char *name);
/* What a click on the response button @response of the AdwMessageDialog
 * @dialog does (the response must be enabled). */
void           th_gui_respond         (GtkWidget  *dialog,
                                       const char *response);

/* Saves @widget (NULL: the main window) as SHOTS/@name.png once it has
 * been drawn; returns the path. */
char          *th_gui_screenshot      (GtkWidget *widget, const char *name);

G_END_DECLS
