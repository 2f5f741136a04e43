/* tg-preferences-window.h — Preferences: language (en, de, fr or the
 * system's) and time zone, kept in the settings and sent to the server
 * (PATCH /auth/me) so e-mails come in the same language and times; the
 * server to sign in to; an upload speed limit.  The colour scheme follows
 * the system (AdwStyleManager), so there is no switch for it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_PREFERENCES_WINDOW (tg_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TgPreferencesWindow, tg_preferences_window, TG, PREFERENCES_WINDOW, AdwPreferencesWindow)

TgPreferencesWindow *tg_preferences_window_new (GtkWindow *parent);

/* The language the interface speaks for the "language" setting @setting
 * ("" = the system's): "en", "de" or "fr". */
const char          *tg_preferences_effective_language (const char *setting);

G_END_DECLS
