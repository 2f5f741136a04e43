/* tg-main.h — what `tandem` does before the application starts, shared
 * with the GUI tests: the language from the settings ($LANGUAGE), the
 * locale, gettext's catalog directory ($TANDEM_LOCALEDIR for an uninstalled
 * build, else LOCALEDIR), and a check that the settings schema is there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE (after saying why on stderr) when the app cannot run: its settings
 * schema is not installed (point GSETTINGS_SCHEMA_DIR at build/data). */
gboolean tg_main_init (const char *argv0);

G_END_DECLS
