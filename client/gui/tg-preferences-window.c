/* tg-preferences-window.c — see tg-preferences-window.h. */
#define G_LOG_DOMAIN "tg-preferences-window"

#include "tg-preferences-window.h"

#include "tg-application.h"
#include "tg-util.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *language_row;
  AdwEntryRow *time_zone_row;
  AdwEntryRow *server_row;
  AdwComboRow *rate_row;

  gboolean loading;
};

G_DEFINE_FINAL_TYPE (TgPreferencesWindow, tg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The rows of the language and speed lists, in order. */
static const char *const languages[] = { "", "en", "de", "fr" };
static const guint64 rates[] = { 0, 1000000, 5000000, 20000000 };

static GSettings *
settings (void)
{
  return tg_application_get_settings (tg_application_get_default ());
}

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

const char *
tg_preferences_effective_language (const char *setting)
{
  if (setting != NULL && *setting != '\0')
    return setting;
  const char * const *names = g_get_language_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "de"))
        return "de";
      if (g_str_has_prefix (names[i], "fr"))
        return "fr";
      if (g_str_has_prefix (names[i], "en"))
        return "en";
    }
  return "en";
}

static void
toast (TgPreferencesWindow *self,
       const char          *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* ---- the account on the server ---- */

static void
patched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_json_object (reply) == NULL)
    {
      if (!tg_error_is_cancelled (error))
        {
          g_autofree char *sentence = tg_error_sentence (error, _("Could not save it on the server"));
          toast (self, sentence);
        }
      return;
    }
  tg_session_set_user (TG_SESSION (source), tg_json_object (reply));
}

/* PATCH /auth/me with @name = @value, when signed in. */
static void
patch_me (TgPreferencesWindow *self,
          const char          *name,
          const char          *value)
{
  if (!tg_session_is_signed_in (session ()))
    return;
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, name, value);
  tg_session_call_async (session (), "PATCH", "/auth/me", body, NULL, patched_cb, g_object_ref (self));
}

/* ---- rows ---- */

static void
language_changed_cb (TgPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);
  if (self->loading || selected >= G_N_ELEMENTS (languages))
    return;
  g_autofree char *before = g_settings_get_string (settings (), "language");
  if (g_strcmp0 (before, languages[selected]) == 0)
    return;
  g_settings_set_string (settings (), "language", languages[selected]);
  patch_me (self, "language", tg_preferences_effective_language (languages[selected]));
  toast (self, _("Tandem speaks the new language after a restart."));
}

static void
time_zone_apply_cb (TgPreferencesWindow *self)
{
  g_autofree char *zone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->time_zone_row))));

  if (*zone != '\0')
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
      if (tz == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("“%s” is not a time zone. Use a name like Europe/Berlin."), zone);
          toast (self, text);
          return;
        }
    }
  g_settings_set_string (settings (), "time-zone", zone);
  if (*zone != '\0')
    patch_me (self, "time_zone", zone);
  else
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      const char *identifier = g_time_zone_get_identifier (local);
      /* "Local" when the system does not name its zone: keep the server's. */
      if (identifier != NULL && strchr (identifier, '/') != NULL)
        patch_me (self, "time_zone", identifier);
    }
  toast (self, _("Times are shown in the new time zone."));
}

static void
server_apply_cb (TgPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = tandem_api_client_normalize_url (text, &error);

  if (url == NULL)
    {
      g_autofree char *sentence = tg_error_sentence (error, NULL);
      toast (self, sentence);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  g_settings_set_string (settings (), "server", url);
  if (tg_session_is_signed_in (session ()) && g_strcmp0 (url, tg_session_get_server (session ())) != 0)
    toast (self, _("Sign out and in again to use this server."));
  else
    toast (self, _("The server is saved."));
}

static void
rate_changed_cb (TgPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->rate_row);
  if (self->loading || selected >= G_N_ELEMENTS (rates))
    return;
  g_settings_set_uint64 (settings (), "upload-rate-limit", rates[selected]);
}

/* ---- object ---- */

static void
load (TgPreferencesWindow *self)
{
  g_autofree char *language = g_settings_get_string (settings (), "language");
  g_autofree char *zone = g_settings_get_string (settings (), "time-zone");
  g_autofree char *server = g_settings_get_string (settings (), "server");
  guint64 rate = g_settings_get_uint64 (settings (), "upload-rate-limit");
  const char *current = tg_session_get_server (session ());

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (language, languages[i]) == 0)
      adw_combo_row_set_selected (self->language_row, i);
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    if (rate == rates[i])
      adw_combo_row_set_selected (self->rate_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->time_zone_row), zone);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), *server != '\0' ? server : current != NULL ? current : "");
  self->loading = FALSE;
}

TgPreferencesWindow *
tg_preferences_window_new (GtkWindow *parent)
{
  TgPreferencesWindow *self = g_object_new (TG_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  load (self);
  return self;
}

static void
tg_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TG_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (tg_preferences_window_parent_class)->dispose (object);
}

static void
tg_preferences_window_class_init (TgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TgPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, TgPreferencesWindow, time_zone_row);
  gtk_widget_class_bind_template_child (widget_class, TgPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, TgPreferencesWindow, rate_row);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_zone_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, rate_changed_cb);
}

static void
tg_preferences_window_init (TgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "preferences-window");
}
