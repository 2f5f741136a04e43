/* test-turn.c — ICE servers for callers: coturn REST-API TURN credentials
 * against a known vector (computed independently with
 * `printf %s 1700000000:ID | openssl dgst -sha1 -hmac north -binary | base64`),
 * the ICE server list for each configuration, and the connect window's
 * edges. */
#include "rtc/sd-call-window.h"
#include "rtc/sd-turn.h"

#include <string.h>

static void
test_credential (void)
{
  g_autofree char *username = NULL, *credential = NULL;
  sd_turn_credential ("north", 1700000000, "0b6f1c1e-3c53-4c39-9a8c-2b7d0d4e5f60", &username, &credential);
  g_assert_cmpstr (username, ==, "1700000000:0b6f1c1e-3c53-4c39-9a8c-2b7d0d4e5f60");
  g_assert_cmpstr (credential, ==, "hy6GvzUVzZGIVkAqm9xSc2lC5u8=");

  /* Another secret or expiry gives another credential. */
  g_autofree char *u2 = NULL, *c2 = NULL;
  sd_turn_credential ("south", 1700000000, "0b6f1c1e-3c53-4c39-9a8c-2b7d0d4e5f60", &u2, &c2);
  g_assert_cmpstr (c2, !=, credential);
  g_autofree char *u3 = NULL, *c3 = NULL;
  sd_turn_credential ("north", 1700000001, "0b6f1c1e-3c53-4c39-9a8c-2b7d0d4e5f60", &u3, &c3);
  g_assert_cmpstr (c3, !=, credential);
}

static char *
servers_json (const SdConfig *config)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, sd_turn_ice_servers (config, "u1", 1700000000));
  return json_to_string (node, FALSE);
}

static void
test_ice_servers (void)
{
  g_autoptr(SdConfig) c = sd_config_new_defaults ();
  g_autofree char *none = servers_json (c);
  g_assert_cmpstr (none, ==, "[]");

  g_strfreev (c->stun_urls);
  c->stun_urls = g_strsplit ("stun:a:3478,stun:b:3478", ",", -1);
  g_autofree char *stun = servers_json (c);
  g_assert_cmpstr (stun, ==, "[{\"urls\":[\"stun:a:3478\",\"stun:b:3478\"]}]");

  g_strfreev (c->turn_urls);
  c->turn_urls = g_strsplit ("turn:t:3478?transport=udp", ",", -1);
  c->turn_secret = g_strdup ("north");
  g_autofree char *cred = NULL, *user = NULL;
  sd_turn_credential ("north", 1700000000, "u1", &user, &cred);
  g_autofree char *both = servers_json (c);
  g_autofree char *expected = g_strdup_printf (
    "[{\"urls\":[\"stun:a:3478\",\"stun:b:3478\"]},"
    "{\"urls\":[\"turn:t:3478?transport=udp\"],\"username\":\"1700000000:u1\",\"credential\":\"%s\"}]", cred);
  g_assert_cmpstr (both, ==, expected);
  /* The secret itself never appears. */
  g_assert_null (strstr (both, "north"));
}

static void
test_window (void)
{
  const gint64 start = 1000000, end = 1001800, w = 900;
  g_assert_cmpint (sd_call_window_check (start, end, w, start - w - 1), ==, SD_CALL_WINDOW_TOO_EARLY);
  g_assert_cmpint (sd_call_window_check (start, end, w, start - w), ==, SD_CALL_WINDOW_OPEN);
  g_assert_cmpint (sd_call_window_check (start, end, w, start), ==, SD_CALL_WINDOW_OPEN);
  g_assert_cmpint (sd_call_window_check (start, end, w, end - 1), ==, SD_CALL_WINDOW_OPEN);
  g_assert_cmpint (sd_call_window_check (start, end, w, end), ==, SD_CALL_WINDOW_ENDED);
  g_assert_cmpint (sd_call_window_check (start, end, 0, start - 1), ==, SD_CALL_WINDOW_TOO_EARLY);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Turn/credential", test_credential);
  g_test_add_func ("/Turn/ice-servers", test_ice_servers);
  g_test_add_func ("/Turn/window", test_window);
  return g_test_run ();
}
