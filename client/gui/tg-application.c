/* tg-application.c — the GtkApplication: startup (settings, session,
 * styles), activate/open (the window, invitation links), app actions. */
#define G_LOG_DOMAIN "tg-application"

#include "tg-application.h"

#include "tg-preferences-window.h"
#include "tg-resources.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TgApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  TgSession *session;
  TgImageCache *images;
  TgUploadManager *uploads;
};

G_DEFINE_FINAL_TYPE (TgApplication, tg_application, ADW_TYPE_APPLICATION)

/* ---- invitation links ---- */

char *
tg_application_parse_invite_uri (const char *uri)
{
  if (uri == NULL)
    return NULL;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "tandem") != 0 ||
      g_uri_get_host (parsed) == NULL || g_ascii_strcasecmp (g_uri_get_host (parsed), "invite") != 0)
    return NULL;
  const char *path = g_uri_get_path (parsed);
  if (path[0] == '/')
    path++;
  g_autofree char *code = g_strdup (path);
  gsize len = strlen (code);
  if (len > 0 && code[len - 1] == '/')
    code[--len] = '\0';
  if (len < 4 || len > 16)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (code[i]))
      return NULL;
  return g_ascii_strup (code, -1);
}

/* ---- the window ---- */

static TgWindow *
ensure_window (TgApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (tg_window_new (self));
  return TG_WINDOW (window);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_printerr ("tandem-first-frame %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
}

static void
window_mapped_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  g_signal_handlers_disconnect_by_func (widget, window_mapped_cb, user_data);
}

static void
present (TgApplication *self,
         TgWindow      *window)
{
  static gboolean probed;
  if (!probed && g_getenv ("TANDEM_STARTUP_PROBE") != NULL)
    {
      probed = TRUE;
      g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), NULL);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
tg_application_activate (GApplication *app)
{
  TgApplication *self = TG_APPLICATION (app);
  present (self, ensure_window (self));
}

static void
tg_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TgApplication *self = TG_APPLICATION (app);
  TgWindow *window = ensure_window (self);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *code = tg_application_parse_invite_uri (uri);
      if (code != NULL)
        tg_window_open_invitation (window, code);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Tandem cannot open “%s”."), uri);
          tg_window_toast (GTK_WIDGET (window), text);
        }
    }
  present (self, window);
}

/* ---- actions ---- */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TgApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  TgPreferencesWindow *prefs = tg_preferences_window_new (parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { _("The Tandem contributors"), NULL };
  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", parent,
                                   "application-name", _("Tandem"),
                                   "application-icon", TG_APPLICATION_ID,
                                   "version", PACKAGE_VERSION,
                                   "comments", _("Upload training videos, review them frame by frame and coach each other."),
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   "website", "https://github.com/tandem/tandem",
                                   "developers", developers,
                                   /* TRANSLATORS: your names, one per line */
                                   "translator-credits", _("translator-credits"),
                                   NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

/* ---- startup ---- */

static void
tg_application_startup (GApplication *app)
{
  TgApplication *self = TG_APPLICATION (app);

  G_APPLICATION_CLASS (tg_application_parent_class)->startup (app);

  /* Dark mode follows the system: AdwStyleManager's default scheme.
   * AdwApplication loads style.css from the resource base path itself. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_icon_name (TG_APPLICATION_ID);

  self->settings = g_settings_new (TG_APPLICATION_ID);
  tg_util_set_settings (self->settings);
  self->session = tg_session_new ();
  self->images = tg_image_cache_new (self->session);
  self->uploads = tg_upload_manager_new (self->session, self->settings);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
}

static void
tg_application_shutdown (GApplication *app)
{
  TgApplication *self = TG_APPLICATION (app);

  /* Uploads under way keep their resume records and carry on next time. */
  if (self->uploads != NULL)
    tg_upload_manager_stop (self->uploads);
  G_APPLICATION_CLASS (tg_application_parent_class)->shutdown (app);
}

/* ---- object ---- */

TgApplication *
tg_application_new (void)
{
  return g_object_new (TG_TYPE_APPLICATION,
                       "application-id", TG_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/tandem/Tandem",
                       NULL);
}

TgApplication *
tg_application_get_default (void)
{
  return TG_APPLICATION (g_application_get_default ());
}

GSettings *
tg_application_get_settings (TgApplication *self)
{
  g_return_val_if_fail (TG_IS_APPLICATION (self), NULL);
  return self->settings;
}

TgSession *
tg_application_get_session (TgApplication *self)
{
  g_return_val_if_fail (TG_IS_APPLICATION (self), NULL);
  return self->session;
}

TgImageCache *
tg_application_get_image_cache (TgApplication *self)
{
  g_return_val_if_fail (TG_IS_APPLICATION (self), NULL);
  return self->images;
}

TgUploadManager *
tg_application_get_upload_manager (TgApplication *self)
{
  g_return_val_if_fail (TG_IS_APPLICATION (self), NULL);
  return self->uploads;
}

static void
tg_application_dispose (GObject *object)
{
  TgApplication *self = TG_APPLICATION (object);

  g_clear_object (&self->uploads);
  g_clear_object (&self->images);
  g_clear_object (&self->session);
  if (self->settings != NULL)
    tg_util_set_settings (NULL);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tg_application_parent_class)->dispose (object);
}

static void
tg_application_class_init (TgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* The UI templates, styles and icons (client/gui/tandem.gresource.xml). */
  tg_register_resource ();

  object_class->dispose = tg_application_dispose;
  app_class->startup = tg_application_startup;
  app_class->shutdown = tg_application_shutdown;
  app_class->activate = tg_application_activate;
  app_class->open = tg_application_open;
}

static void
tg_application_init (TgApplication *self)
{
}
