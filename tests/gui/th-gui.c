/* th-gui.c — see th-gui.h. */
#include "th-gui.h"

#include "th-server.h"
#include "tg-main.h"
#include "tg-snapshot.h"
#include "tg-util.h"

#include <glib/gstdio.h>

static TgApplication *app;
static char *home;

const char *
th_gui_init (int    *argc,
             char ***argv)
{
  g_autoptr(GError) error = NULL;
  home = g_dir_make_tmp ("tandem-gui-XXXXXX", &error);
  g_assert_no_error (error);

  const char *dirs[][2] = {
    { "HOME", "" }, { "XDG_CONFIG_HOME", "config" }, { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" }, { "XDG_RUNTIME_DIR", "runtime" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (home, dirs[i][1], NULL);
      g_mkdir_with_parents (path, 0700);
      g_setenv (dirs[i][0], path, TRUE);
    }
  /* No keyring here: the session goes to the 0600 file. */
  g_setenv ("TANDEM_NO_KEYRING", "1", TRUE);
  g_unsetenv ("TANDEM_TOKEN");
  g_unsetenv ("TANDEM_SERVER");
  g_setenv ("GTK_A11Y", "none", TRUE);
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);

  th_init (argc, argv);
  if (!tg_main_init ((*argv)[0]))
    g_error ("the app cannot start (its settings schema is missing)");
  return home;
}

TgApplication *
th_gui_app_start (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (app);
  app = tg_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* Without a window manager (Xvfb) focus moves without focus-out events,
   * and GTK 4.8's cursor blink then warns about it: no blinking here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  /* Screens settle at once; toasts can be dismissed safely (see
   * tg_window_dismiss_toasts()). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  g_assert_nonnull (th_gui_window ());
  return app;
}

TgWindow *
th_gui_window (void)
{
  GtkWindow *window = app != NULL ? gtk_application_get_active_window (GTK_APPLICATION (app)) : NULL;
  if (window == NULL && app != NULL)
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
      window = windows != NULL ? windows->data : NULL;
    }
  return window != NULL ? TG_WINDOW (window) : NULL;
}

void
th_gui_app_stop (void)
{
  if (app == NULL)
    return;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  while (windows != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (windows->data));
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
    }
  th_gui_spin (50);
  g_clear_object (&app);
}

/* ---- waiting ---- */

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
th_gui_wait (ThGuiCond   cond,
             gpointer    data,
             guint       timeout_ms,
             const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (!cond (data))
    g_error ("timed out after %u ms waiting for %s (page: %s)", timeout_ms, what,
             th_gui_window () != NULL ? tg_window_get_page (th_gui_window ()) : "no window");
}

void
th_gui_spin (guint ms)
{
  gboolean done = FALSE;
  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
page_is (gpointer data)
{
  TgWindow *window = th_gui_window ();
  return window != NULL && g_strcmp0 (tg_window_get_page (window), data) == 0;
}

void
th_gui_wait_page (const char *name)
{
  g_autofree char *what = g_strdup_printf ("the page “%s”", name);
  th_gui_wait (page_is, (gpointer) name, 15000, what);
}

/* ---- widgets ---- */

GtkWidget *
th_gui_lookup (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      if (!gtk_widget_get_visible (window))
        continue;
      GtkWidget *found = tg_widget_find (window, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
th_gui_find (const char *name)
{
  GtkWidget *widget = th_gui_lookup (name);
  if (widget == NULL)
    g_error ("no widget named “%s”", name);
  return widget;
}

gboolean
th_gui_has_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      if (gtk_widget_get_visible (window) && g_strcmp0 (gtk_widget_get_name (window), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
toplevel_shown (gpointer data)
{
  return th_gui_has_toplevel (data);
}

static gboolean
no_toplevel_shown (gpointer data)
{
  return !th_gui_has_toplevel (data);
}

GtkWidget *
th_gui_wait_toplevel (const char *name)
{
  g_autofree char *what = g_strdup_printf ("the window “%s”", name);
  th_gui_wait (toplevel_shown, (gpointer) name, 15000, what);
  return th_gui_find (name);
}

void
th_gui_wait_no_toplevel (const char *name)
{
  g_autofree char *what = g_strdup_printf ("the window “%s” to close", name);
  th_gui_wait (no_toplevel_shown, (gpointer) name, 5000, what);
}

static gboolean
widget_mapped (gpointer data)
{
  GtkWidget *widget = th_gui_lookup (data);
  return widget != NULL && gtk_widget_get_mapped (widget);
}

GtkWidget *
th_gui_wait_widget (const char *name)
{
  g_autofree char *what = g_strdup_printf ("a widget named “%s”", name);
  th_gui_wait (widget_mapped, (gpointer) name, 15000, what);
  return th_gui_find (name);
}

void
th_gui_respond (GtkWidget  *dialog,
                const char *response)
{
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), response));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (GTK_WINDOW (dialog));
}

void
th_gui_set_text (const char *name,
                 const char *text)
{
  GtkWidget *widget = th_gui_find (name);
  g_assert_true (GTK_IS_EDITABLE (widget));
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

void
th_gui_click (const char *name)
{
  GtkWidget *widget = th_gui_find (name);
  g_assert_true (gtk_widget_is_sensitive (widget));
  /* A button's "activate" only clicks after a visual press of 250 ms. */
  if (GTK_IS_BUTTON (widget))
    g_signal_emit_by_name (widget, "clicked");
  else if (!gtk_widget_activate (widget))
    g_error ("“%s” cannot be activated", name);
}

/* ---- screenshots ---- */

typedef struct {
  GtkWidget *widget;
  guint frames;
} Drawn;

static void
after_paint_cb (GdkFrameClock *clock,
                Drawn         *drawn)
{
  drawn->frames++;
}

static gboolean
drawn_enough (gpointer data)
{
  Drawn *drawn = data;
  return drawn->frames >= 2;
}

char *
th_gui_screenshot (GtkWidget  *widget,
                   const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *dir = g_getenv ("TANDEM_TEST_SCREENSHOTS");
  Drawn drawn = { 0 };

  if (widget == NULL)
    widget = GTK_WIDGET (th_gui_window ());
  /* Toasts wait for the window to be active, which it never is without a
   * window manager: they would cover later screens. */
  tg_window_dismiss_toasts (th_gui_window ());
  /* Let pictures and spinners settle, then two frames on screen. */
  th_gui_spin (300);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &drawn);
  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  gboolean timed_out = FALSE;
  guint timer = g_timeout_add (2000, timed_out_cb, &timed_out);
  while (!drawn_enough (&drawn) && !timed_out)
    {
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (timer);
  g_signal_handler_disconnect (clock, id);

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_assert_true (tg_snapshot_save_png (widget, path, &error));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
  return path;
}
