/* sd-turn.h — the ICE servers a caller gets from …/connect: the configured
 * STUN URLs, and the TURN URLs with time-limited credentials in the coturn
 * REST-API ("use-auth-secret") scheme, so that no TURN password is ever
 * stored or shared:
 *
 *   username   = "EXPIRY:USER_ID"   (EXPIRY in unix seconds)
 *   credential = base64 (HMAC-SHA1 (secret, username))
 *
 * coturn, run with `use-auth-secret` and `static-auth-secret=SECRET`,
 * recomputes the credential and refuses it once EXPIRY has passed. */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-config.h"

G_BEGIN_DECLS

/* Fills *@username and *@credential (newly allocated) for @user_id until
 * @expires_at.  Never fails. */
void        sd_turn_credential  (const char  *secret,
                                 gint64       expires_at,
                                 const char  *user_id,
                                 char       **username,
                                 char       **credential);

/* [{"urls":[STUN…]}, {"urls":[TURN…],"username","credential"}]: the first
 * entry when STUN URLs are configured, the second when TURN URLs are (with
 * a secret, which sd-config requires for them).  Possibly empty; never
 * fails. */
JsonArray  *sd_turn_ice_servers (const SdConfig *config,
                                 const char     *user_id,
                                 gint64          expires_at);

G_END_DECLS
