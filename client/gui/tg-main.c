/* tg-main.c — see tg-main.h. */
#define G_LOG_DOMAIN "tandem"

#include "tg-main.h"

#include "tg-application.h"

#include <glib/gi18n.h>
#include <locale.h>

gboolean
tg_main_init (const char *argv0)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL
    ? g_settings_schema_source_lookup (source, TG_APPLICATION_ID, TRUE) : NULL;

  if (schema == NULL)
    {
      g_printerr ("%s: the settings schema %s is not installed; run “meson install”, or set "
                  "GSETTINGS_SCHEMA_DIR to the build's data directory\n",
                  argv0 != NULL ? argv0 : "tandem", TG_APPLICATION_ID);
      return FALSE;
    }

  /* The language chosen in Preferences wins over the desktop's. */
  g_autoptr(GSettings) settings = g_settings_new (TG_APPLICATION_ID);
  g_autofree char *language = g_settings_get_string (settings, "language");
  if (*language != '\0')
    g_setenv ("LANGUAGE", language, TRUE);

  const char *localedir = g_getenv ("TANDEM_LOCALEDIR");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Tandem"));
  return TRUE;
}
