/* sd-turn.c — ICE servers and coturn REST-API TURN credentials. */
#define G_LOG_DOMAIN "sd-turn"

#include "rtc/sd-turn.h"

#include <string.h>

void
sd_turn_credential (const char  *secret,
                    gint64       expires_at,
                    const char  *user_id,
                    char       **username,
                    char       **credential)
{
  g_return_if_fail (secret != NULL && user_id != NULL);

  char *name = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", expires_at, user_id);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) name, -1);
  guint8 digest[20];
  gsize len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &len);
  *credential = g_base64_encode (digest, len);
  *username = name;
}

static JsonArray *
url_array (GStrv urls)
{
  JsonArray *array = json_array_new ();
  for (guint i = 0; urls[i] != NULL; i++)
    json_array_add_string_element (array, urls[i]);
  return array;
}

JsonArray *
sd_turn_ice_servers (const SdConfig *config,
                     const char     *user_id,
                     gint64          expires_at)
{
  JsonArray *servers = json_array_new ();

  if (config->stun_urls != NULL && config->stun_urls[0] != NULL)
    {
      JsonObject *stun = json_object_new ();
      json_object_set_array_member (stun, "urls", url_array (config->stun_urls));
      json_array_add_object_element (servers, stun);
    }
  if (config->turn_urls != NULL && config->turn_urls[0] != NULL &&
      config->turn_secret != NULL && *config->turn_secret != '\0')
    {
      g_autofree char *username = NULL, *credential = NULL;
      sd_turn_credential (config->turn_secret, expires_at, user_id, &username, &credential);
      JsonObject *turn = json_object_new ();
      json_object_set_array_member (turn, "urls", url_array (config->turn_urls));
      json_object_set_string_member (turn, "username", username);
      json_object_set_string_member (turn, "credential", credential);
      json_array_add_object_element (servers, turn);
    }
  return servers;
}
