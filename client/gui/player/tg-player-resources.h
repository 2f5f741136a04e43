/* tg-player-resources.h — the player's GResource (templates, style).  The
 * library is static, so its resource is registered on first use by the
 * widgets' class_init rather than by a constructor the linker may drop. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Registers the resource and adds the player's style sheet to the default
 * display, once; safe to call from any class_init. */
void tg_player_ensure_resources (void);

G_END_DECLS
