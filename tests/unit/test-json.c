/* test-json.c — request body parsing/validation and route matching. */
#include "sd-json.h"
#include "sd-route.h"
#include "tandem-error.h"

#include <string.h>

static const SdField fields[] = {
  { "name", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, 5 },
  { "n", SD_FIELD_INT, 0, 1, 10 },
  { "tags", SD_FIELD_STRING_ARRAY, 0, 0, 2 },
  { "maybe", SD_FIELD_STRING, SD_FIELD_NULLABLE, 0, 0 },
  { NULL }
};

static gboolean
check (const char *text,
       GError    **error)
{
  g_autoptr(JsonObject) o = sd_json_parse_object (text, strlen (text), error);
  return o != NULL && sd_json_validate (o, fields, error);
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (check ("{\"name\":\"abc\",\"n\":3,\"tags\":[\"a\"],\"maybe\":null}", &error));
  g_assert_no_error (error);

  struct { const char *text; int code; } bad[] = {
    { "", TANDEM_ERROR_INVALID_JSON },
    { "[]", TANDEM_ERROR_INVALID_JSON },
    { "{\"name\":", TANDEM_ERROR_INVALID_JSON },
    { "{}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":\"   \"}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":\"toolong\"}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":5}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":\"a\",\"n\":11}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":\"a\",\"n\":\"1\"}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":\"a\",\"tags\":[1]}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":\"a\",\"tags\":[\"a\",\"b\",\"c\"]}", TANDEM_ERROR_VALIDATION },
    { "{\"name\":null}", TANDEM_ERROR_VALIDATION },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_assert_false (check (bad[i].text, &e));
      g_assert_error (e, TANDEM_ERROR, bad[i].code);
    }
}

static void
test_depth (void)
{
  GString *s = g_string_new ("{\"a\":");
  for (int i = 0; i < 100; i++)
    g_string_append (s, "[");
  for (int i = 0; i < 100; i++)
    g_string_append (s, "]");
  g_string_append (s, "}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = sd_json_parse_object (s->str, s->len, &error);
  g_assert_null (o);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON);
  g_string_free (s, TRUE);
}

/* Bodies json-glib mishandles are refused before it sees them: very deep
 * nesting (stack overflow), values after the object (leaked), lone
 * surrogates and NUL escapes (invalid or cut strings). */
static void
test_prescan (void)
{
  GString *deep = g_string_new ("{\"a\":");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  const char *bad[] = {
    deep->str,
    "{\"a\":1}{\"b\":2}",
    "{\"a\":1} null",
    "null{}",
    "\"read\"{}",
    "[1]{}",
    "[{}]",
    "{\"name\":\"Eve\\udc00x\"}",
    "{\"name\":\"Eve\\ud83dx\"}",
    "{\"name\":\"x\\u0000y\"}",
    "{\"name\":\"open",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(JsonObject) o = sd_json_parse_object (bad[i], strlen (bad[i]), &e);
      g_assert_null (o);
      g_assert_error (e, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON);
    }
  g_string_free (deep, TRUE);

  const char *good = "  {\"name\":\"\\ud83d\\ude00 \\\"}\\\\\", \"n\":[{}]}\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(JsonObject) o = sd_json_parse_object (good, strlen (good), &e);
  g_assert_no_error (e);
  g_assert_true (g_utf8_validate (json_object_get_string_member (o, "name"), -1, NULL));
}

static void
test_email (void)
{
  g_assert_true (sd_json_is_email ("a@b.de"));
  g_assert_true (sd_json_is_email ("first.last+tag@example.co.uk"));
  g_assert_false (sd_json_is_email ("a@b"));
  g_assert_false (sd_json_is_email ("@b.de"));
  g_assert_false (sd_json_is_email ("a b@c.de"));
  g_assert_false (sd_json_is_email ("a@b@c.de"));
  g_assert_false (sd_json_is_email ("a@b.de\r\nBcc: x@y.z"));
}

static void
test_routes (void)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean path_matched = FALSE;
  const SdRoute *r = sd_route_match ("DELETE", "/auth/tokens/0b7a3c2e-7d1f-4f57-9d47-4e5ac3b0f0aa",
                                     params, &path_matched);
  g_assert_nonnull (r);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "0b7a3c2e-7d1f-4f57-9d47-4e5ac3b0f0aa");
  /* Upper-case UUIDs reach handlers in lower case, on both backends alike. */
  g_hash_table_remove_all (params);
  g_assert_nonnull (sd_route_match ("DELETE", "/auth/tokens/0B7A3C2E-7D1F-4F57-9D47-4E5AC3B0F0AA",
                                    params, NULL));
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "0b7a3c2e-7d1f-4f57-9d47-4e5ac3b0f0aa");

  g_assert_null (sd_route_match ("DELETE", "/auth/tokens/not-a-uuid", NULL, &path_matched));
  g_assert_false (path_matched);
  g_assert_null (sd_route_match ("PUT", "/auth/me", NULL, &path_matched));
  g_assert_true (path_matched);
  g_assert_null (sd_route_match ("GET", "/auth/me/", NULL, &path_matched));
  g_assert_nonnull (sd_route_match ("HEAD", "/health", NULL, NULL));

  /* Every route pattern is well formed and unique per method. */
  for (guint f = 0; sd_api_families[f] != NULL; f++)
    for (const SdRoute *a = sd_api_families[f]; a->pattern != NULL; a++)
      {
        g_assert_true (a->pattern[0] == '/');
        g_assert_nonnull (a->handler);
        for (guint g = 0; sd_api_families[g] != NULL; g++)
          for (const SdRoute *b = sd_api_families[g]; b->pattern != NULL; b++)
            if (a != b)
              g_assert_false (g_str_equal (a->method, b->method) && g_str_equal (a->pattern, b->pattern));
      }
}

static void
test_times (void)
{
  /* The fast formatter agrees with GLib's calendar, leap days and
   * centuries included. */
  const gint64 samples[] = {
    0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800, 4107542400 /* 2100-03-01 */,
    1795305600, 253402300799,
  };
  for (guint i = 0; i < G_N_ELEMENTS (samples) + 20000; i++)
    {
      gint64 t = i < G_N_ELEMENTS (samples) ? samples[i]
                                            : g_test_rand_int_range (0, G_MAXINT32) * G_GINT64_CONSTANT (117) % 253402300800;
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
      g_autofree char *expected = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *got = sd_json_format_time (t);
      g_assert_cmpstr (got, ==, expected);
    }
  g_autoptr(GString) negative = g_string_new (NULL);
  sd_json_append_time (negative, -1);
  g_assert_cmpstr (negative->str, ==, "1970-01-01T00:00:00Z");

  g_autoptr(GString) s = g_string_new (NULL);
  sd_json_append_string (s, "a\"b\\c\n\x01é");
  g_assert_cmpstr (s->str, ==, "\"a\\\"b\\\\c\\u000a\\u0001é\"");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, s->str, -1, NULL));
  g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==, "a\"b\\c\n\x01é");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Json/validate", test_validate);
  g_test_add_func ("/Json/depth", test_depth);
  g_test_add_func ("/Json/email", test_email);
  g_test_add_func ("/Json/prescan", test_prescan);
  g_test_add_func ("/Json/times", test_times);
  g_test_add_func ("/Route/match", test_routes);
  return g_test_run ();
}
