/* tg-application.h — `tandem`, the desktop app (io.github.tandem.Tandem):
 * owns what every window shares — the settings, the session, the picture
 * cache and the uploads — and the app-wide actions (preferences, about,
 * sign-out, quit).  It opens `tandem://invite/CODE` links (HANDLES_OPEN).
 *
 * With $TANDEM_STARTUP_PROBE set, it prints "tandem-first-frame US" on
 * stderr (US: g_get_real_time()) after the first window's first frame was
 * painted, and "tandem-ready WHAT US" when the first usable page is on show
 * (the sign-in page, or once signed in the listed groups), for
 * bench/app/run. */
#pragma once

#include <adwaita.h>

#include "tg-image-cache.h"
#include "tg-session.h"
#include "tg-upload-manager.h"

G_BEGIN_DECLS

#define TG_APPLICATION_ID "io.github.tandem.Tandem"

#define TG_TYPE_APPLICATION (tg_application_get_type ())

G_DECLARE_FINAL_TYPE (TgApplication, tg_application, TG, APPLICATION, AdwApplication)

TgApplication    *tg_application_new                (void);

/* The running app (g_application_get_default()). */
TgApplication    *tg_application_get_default        (void);

GSettings        *tg_application_get_settings       (TgApplication *self);
TgSession        *tg_application_get_session        (TgApplication *self);
TgImageCache     *tg_application_get_image_cache    (TgApplication *self);
TgUploadManager  *tg_application_get_upload_manager (TgApplication *self);

/* The invitation code in a "tandem://invite/CODE" URI (any case for the
 * scheme and host, an optional trailing slash), upper-cased; NULL when
 * @uri is no invitation link or the code is not 4–16 letters and digits. */
char             *tg_application_parse_invite_uri   (const char    *uri);

G_END_DECLS
