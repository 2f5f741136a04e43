/* fuzz-request.c — libFuzzer target for what signald does with a request
 * before a handler runs: route matching, the JSON body check, the typed
 * getters the handlers use, and the ?limit=/?cursor= page parameters.
 *
 * Input layout (all parts optional):
 *
 *   byte 0            selector: which body table to validate against when
 *                     the path names no route with a body (see below)
 *   bytes 1 .. '\n'   request target: a path, optionally "?query"
 *   after the '\n'    the request body, verbatim (may hold NUL bytes)
 *
 * For each input the target
 *   - runs sd_route_match() on the path with every HTTP method, with and
 *     without a params table, and checks that a match is consistent (the
 *     method fits, the path is the pattern with the captured parameters put
 *     back, every parameter obeys the UUID / {code} / {…_name} rule);
 *   - decodes the query the way libsoup does for the server
 *     (soup_form_decode) and runs sd_page_parse() on it, checking that a
 *     parsed cursor survives sd_page_result() → sd_page_parse();
 *   - picks one body table: the one of the route that the path matches
 *     (the first method in POST, PUT, PATCH, DELETE order whose route has
 *     a body), so that corpus files stay tied to their route when tables
 *     are added; otherwise selector % n of: one local table that uses every
 *     field type and flag (index 0), then every route of every
 *     sd_api_families[] entry that declares a JSON body, in order.  It runs
 *     sd_json_parse_object() + sd_json_validate() on the body as
 *     parse_body() in sd-request.c does, checks the error domain and code
 *     on failure, and on success checks through sd_json_get_string/int/
 *     bool() that each declared field obeys its declaration;
 *   - feeds every string it gets to sd_json_is_email(), sd_json_is_uuid(),
 *     sd_api_normalize_email() and sd_api_valid_time_zone();
 *   - runs a "drawing" member of any parsed body through
 *     sd_drawing_canonicalize(), as the review handlers do: on success the
 *     canonical text must be a fixed point (canonicalizing it again gives
 *     the same text), on failure the error is invalid_request and names a
 *     path under "drawing".
 *
 * Nothing may crash, trip a sanitizer, leak or log a warning or critical
 * (those are made fatal in LLVMFuzzerInitialize).  A failed check aborts,
 * which libFuzzer reports as a crash.
 *
 * sd_page_parse() reads only req->query, so it runs on a zeroed SdRequest
 * with just that member set; should it ever read more of the request, this
 * target crashes on the first input with a query and must be updated.
 *
 * Extra oracles, off by default because the current code fails them:
 * with TANDEM_FUZZ_STRICT=1 in the environment, every string that a
 * validated body hands to a handler, and every error message that would go
 * into a reply, must be valid UTF-8.  (json-glib 1.6 turns a lone surrogate
 * escape such as "\udc00" or "\ud83dx" into CESU-8 bytes, ED B0 80; the
 * string passes sd_json_validate(), and json-glib's parse errors quote it
 * into the message that sd_json_parse_object() passes on.)
 *
 * Not reachable at libFuzzer's usual input sizes: json-glib's parser
 * recurses once per nesting level before sd_json_parse_object() can apply
 * its 32-level limit, so some 75 000 levels of "[" (150 KB, under the
 * 1 MiB body limit) overflow an 8 MiB stack.
 *
 * Built as a libFuzzer binary with -Dfuzzing=true (clang), and replayed
 * over the committed corpus by replay.c otherwise.
 */
#include "fuzz.h"

#include "sd-json.h"
#include "sd-request.h"
#include "sd-route.h"
#include "api/sd-api.h"
#include "api/sd-drawing.h"
#include "tandem-error.h"

#include <libsoup/soup.h>
#include <string.h>

/* Every field type and flag, since the real tables do not use them all. */
static const SdField all_types_fields[] = {
  { "s", SD_FIELD_STRING, SD_FIELD_OPTIONAL, 0, 0 },
  { "t", SD_FIELD_STRING, SD_FIELD_TRIM | SD_FIELD_NULLABLE, 1, 8 },
  { "i", SD_FIELD_INT, SD_FIELD_NULLABLE, -5, 5 },
  { "j", SD_FIELD_INT, SD_FIELD_OPTIONAL, G_MININT64, 0 },
  { "b", SD_FIELD_BOOL, SD_FIELD_OPTIONAL, 0, 0 },
  { "o", SD_FIELD_OBJECT, SD_FIELD_NULLABLE, 0, 0 },
  { "a", SD_FIELD_ARRAY, SD_FIELD_OPTIONAL, 0, 4 },
  { "sa", SD_FIELD_STRING_ARRAY, SD_FIELD_OPTIONAL, 1, 0 },
  { "r", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_NULLABLE, 0, 16 },
  { NULL }
};

static const char *const methods[] = {
  "POST", "PUT", "PATCH", "DELETE", "GET", "HEAD", "OPTIONS",
};

/* const SdField * — the body tables, filled once. */
static GPtrArray *body_tables;
static gboolean strict_utf8;

/* ---- set-up ---- */

static void
check_table (const SdRoute *route)
{
  for (const SdField *f = route->body; f->name != NULL; f++)
    {
      if (*f->name == '\0' || f->type > SD_FIELD_STRING_ARRAY ||
          (f->max > 0 && f->min > f->max))
        g_error ("%s %s: field “%s” is declared wrongly (type %d, min %" G_GINT64_FORMAT
                 ", max %" G_GINT64_FORMAT ")",
                 route->method, route->pattern, f->name, f->type, f->min, f->max);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* Inside the server a critical is a bug; here it is a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  strict_utf8 = g_strcmp0 (g_getenv ("TANDEM_FUZZ_STRICT"), "1") == 0;

  body_tables = g_ptr_array_new ();
  g_ptr_array_add (body_tables, (gpointer) all_types_fields);
  for (guint i = 0; sd_api_families[i] != NULL; i++)
    for (const SdRoute *r = sd_api_families[i]; r->pattern != NULL; r++)
      if (r->body != NULL && !(r->flags & SD_ROUTE_NO_BODY_CHECK))
        {
          check_table (r);
          g_ptr_array_add (body_tables, (gpointer) r->body);
        }

  /* One-time allocations (types, quarks) before libFuzzer counts leaks. */
  g_autoptr(GError) error = NULL;
  JsonObject *object = sd_json_parse_object ("{\"a\":[1]}", 9, &error);
  g_assert_no_error (error);
  json_object_unref (object);
  (void) TANDEM_ERROR;
  (void) sd_api_valid_time_zone ("Europe/Berlin");
  return 0;
}

/* ---- strings ---- */

/* @from_body: a string out of a parsed body, which the handlers pass to
 * the helpers as it is; other strings only when they are UTF-8. */
static void
check_string_helpers (const char *value,
                      gboolean    from_body)
{
  gsize len = strlen (value);

  if (sd_json_is_email (value))
    {
      const char *at = strchr (value, '@');
      g_assert_true (len >= 3 && len <= 254);
      g_assert_nonnull (at);
      g_assert_true (at != value && strchr (at + 1, '@') == NULL);
      g_assert_null (strpbrk (value, " \t\r\n<>,;\"\\"));
    }
  if (sd_json_is_uuid (value))
    g_assert_cmpuint (len, ==, 36);

  if (from_body || g_utf8_validate (value, -1, NULL))
    {
      g_autofree char *email = sd_api_normalize_email (value);
      if (email != NULL)
        g_assert_true (sd_json_is_email (email));
      (void) sd_api_valid_time_zone (value);
    }
}

/* ---- routes ---- */

static gboolean
param_is_free_form (const char *name)
{
  return g_str_equal (name, "code") || (strlen (name) > 5 && g_str_has_suffix (name, "_name"));
}

/* The path that @route's pattern gives with @params put in; checks each
 * parameter against the rule for its name on the way. */
static char *
fill_pattern (const SdRoute *route,
              GHashTable    *params)
{
  GString *out = g_string_new (NULL);

  for (const char *p = route->pattern; *p != '\0'; )
    {
      if (*p != '{')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      const char *close = strchr (p, '}');
      g_assert_nonnull (close);
      g_autofree char *name = g_strndup (p + 1, (gsize) (close - p - 1));
      const char *value = g_hash_table_lookup (params, name);
      g_assert_nonnull (value);
      g_assert_null (strchr (value, '/'));
      if (param_is_free_form (name))
        {
          gsize n = strlen (value);
          g_assert_true (n >= 1 && n <= 128);
          for (const char *c = value; *c != '\0'; c++)
            g_assert_true (g_ascii_isalnum (*c) || *c == '-' || *c == '_' || *c == '.');
        }
      else
        g_assert_true (sd_json_is_uuid (value));
      g_string_append (out, value);
      p = close + 1;
    }
  return g_string_free (out, FALSE);
}

/* Returns the body table of the first route that @path matches, if any. */
static const SdField *
fuzz_route (const char *path)
{
  gboolean any_path_matched = FALSE;
  const SdField *body = NULL;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      gboolean path_matched = FALSE;
      const SdRoute *route = sd_route_match (methods[m], path, params, &path_matched);

      g_assert_true (sd_route_match (methods[m], path, NULL, NULL) == route);
      if (m > 0)
        g_assert_cmpint (path_matched, ==, any_path_matched);
      any_path_matched = path_matched;

      if (route == NULL)
        {
          g_assert_cmpuint (g_hash_table_size (params), ==, 0);
          continue;
        }
      g_assert_true (path_matched);
      g_assert_true (g_str_equal (route->method, methods[m]) ||
                     (g_str_equal (methods[m], "HEAD") && g_str_equal (route->method, "GET")));
      /* UUID parameters come back in lower case; patterns are lower case. */
      g_autofree char *filled = fill_pattern (route, params);
      g_assert_cmpint (g_ascii_strcasecmp (filled, path), ==, 0);
      if (body == NULL && route->body != NULL && !(route->flags & SD_ROUTE_NO_BODY_CHECK))
        body = route->body;
    }
  return body;
}

/* ---- pagination ---- */

static void
fuzz_page (const char *query)
{
  g_autoptr(GHashTable) form = soup_form_decode (query);
  SdRequest req = { 0 };
  g_auto(SdPage) page = { 0 };
  g_autoptr(GError) error = NULL;

  req.query = form;
  if (!sd_page_parse (&req, &page, &error))
    {
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (page.limit >= 1 && page.limit <= 100);
  /* The no-cursor placeholder ("" or the nil UUID) is not checked: the
   * header's contract has changed before. */
  g_assert_nonnull (page.after_id);
  const char *cursor = g_hash_table_lookup (form, "cursor");
  if (cursor == NULL || *cursor == '\0')
    {
      g_assert_cmpint (page.after_time, ==, -1);
      return;
    }
  g_assert_cmpint (page.after_time, >=, 0);
  g_assert_true (sd_json_is_uuid (page.after_id));

  /* What the server hands out as next_cursor must parse back the same. */
  g_autoptr(JsonObject) result = sd_page_result (json_array_new (), TRUE, page.after_time, page.after_id);
  const char *next = sd_json_get_string (result, "next_cursor");
  g_assert_nonnull (next);
  g_autoptr(GHashTable) again = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (again, (gpointer) "cursor", (gpointer) next);
  SdRequest req2 = { 0 };
  g_auto(SdPage) page2 = { 0 };
  req2.query = again;
  g_assert_true (sd_page_parse (&req2, &page2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (page2.after_time, ==, page.after_time);
  g_assert_cmpstr (page2.after_id, ==, page.after_id);
}

/* ---- bodies ---- */

static void
check_reply_error (const GError *error)
{
  /* What sd_request_reply_error() sends. */
  g_assert_nonnull (error->message);
  if (strict_utf8)
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (tandem_error_code_name (error->code));
  g_assert_cmpuint (tandem_error_http_status (error->code), ==,
                    error->code == TANDEM_ERROR_VALIDATION ? 422 : 400);
}

static void
check_got_string (const char *value)
{
  if (strict_utf8)
    g_assert_true (g_utf8_validate (value, -1, NULL));
  check_string_helpers (value, TRUE);
}

/* After a successful sd_json_validate(): does each field obey its declaration? */
static void
check_valid_field (JsonObject    *object,
                   const SdField *f)
{
  JsonNode *node = json_object_get_member (object, f->name);

  if (node == NULL)
    {
      g_assert_false (f->flags & SD_FIELD_REQUIRED);
      g_assert_false (sd_json_has (object, f->name));
      g_assert_null (sd_json_get_string (object, f->name));
      g_assert_cmpint (sd_json_get_int (object, f->name, 7), ==, 7);
      g_assert_true (sd_json_get_bool (object, f->name, TRUE));
      return;
    }
  g_assert_true (sd_json_has (object, f->name));
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_assert_true (f->flags & SD_FIELD_NULLABLE);
      g_assert_null (sd_json_get_string (object, f->name));
      return;
    }

  switch (f->type)
    {
    case SD_FIELD_STRING:
      {
        const char *s = sd_json_get_string (object, f->name);
        g_assert_nonnull (s);
        g_autofree char *trimmed = (f->flags & SD_FIELD_TRIM) ? g_strstrip (g_strdup (s)) : g_strdup (s);
        glong n = g_utf8_strlen (trimmed, -1);
        g_assert_cmpint (n, >=, f->min);
        if (f->max > 0)
          g_assert_cmpint (n, <=, f->max);
        else
          g_assert_cmpuint (strlen (s), <=, 64 * 1024);
        check_got_string (s);
      }
      break;
    case SD_FIELD_INT:
      {
        gint64 v = sd_json_get_int (object, f->name, G_MININT64);
        g_assert_cmpint (v, ==, sd_json_get_int (object, f->name, G_MAXINT64));
        g_assert_cmpint (v, >=, f->min);
        if (f->max > 0)
          g_assert_cmpint (v, <=, f->max);
      }
      break;
    case SD_FIELD_BOOL:
      g_assert_cmpint (sd_json_get_bool (object, f->name, TRUE), ==,
                       sd_json_get_bool (object, f->name, FALSE));
      break;
    case SD_FIELD_OBJECT:
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      break;
    case SD_FIELD_ARRAY:
    case SD_FIELD_STRING_ARRAY:
      {
        g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_assert_cmpint (n, >=, f->min);
        if (f->max > 0)
          g_assert_cmpint (n, <=, f->max);
        if (f->type == SD_FIELD_STRING_ARRAY)
          for (guint i = 0; i < n; i++)
            check_got_string (json_array_get_string_element (array, i));
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A review drawing, as sd-api-reviews.c treats one. */
static void
fuzz_drawing (JsonNode *drawing)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = sd_drawing_canonicalize (drawing, "drawing", &error);
  if (canonical == NULL)
    {
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST);
      g_assert_true (g_str_has_prefix (error->message, "drawing"));
      check_reply_error (error);
      return;
    }
  g_assert_no_error (error);
  g_autoptr(JsonNode) again = sd_drawing_parse (canonical);
  g_assert_nonnull (again);
  g_autofree char *twice = sd_drawing_canonicalize (again, "drawing", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (twice, ==, canonical);
}

static void
fuzz_body (const SdField *fields,
           const char    *data,
           gsize          size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = sd_json_parse_object (data, size, &error);

  if (object == NULL)
    {
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON);
      check_reply_error (error);
      return;
    }
  g_assert_no_error (error);

  if (json_object_has_member (object, "drawing"))
    fuzz_drawing (json_object_get_member (object, "drawing"));

  gboolean valid = sd_json_validate (object, fields, &error);
  if (!valid)
    {
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION);
      check_reply_error (error);
    }
  else
    {
      g_assert_no_error (error);
      for (const SdField *f = fields; f->name != NULL; f++)
        check_valid_field (object, f);
    }

  /* The getters must be safe on any member, validated or not. */
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *s = sd_json_get_string (object, name);
      (void) sd_json_get_int (object, name, 0);
      (void) sd_json_get_bool (object, name, FALSE);
      g_assert_true (sd_json_has (object, name));
      g_assert_true ((s != NULL) == (json_node_get_value_type (node) == G_TYPE_STRING));
      if (s != NULL)
        check_string_helpers (s, TRUE);
    }
}

/* ---- entry point ---- */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size == 0)
    return 0;
  if (body_tables == NULL)
    LLVMFuzzerInitialize (NULL, NULL);

  guint selector = data[0];
  const char *rest = (const char *) data + 1;
  gsize rest_size = size - 1;
  const char *newline = memchr (rest, '\n', rest_size);
  gsize target_size = newline != NULL ? (gsize) (newline - rest) : rest_size;
  const char *body = newline != NULL ? newline + 1 : rest + rest_size;
  gsize body_size = rest_size - target_size - (newline != NULL ? 1 : 0);

  /* The target as a C string: it ends at the first NUL, as it would for
   * the server (libsoup rejects NULs in the request line anyway). */
  g_autofree char *target = g_strndup (rest, target_size);
  char *question = strchr (target, '?');
  if (question != NULL)
    *question = '\0';

  const SdField *fields = fuzz_route (target);
  check_string_helpers (target, FALSE);
  if (question != NULL)
    fuzz_page (question + 1);

  if (fields == NULL)
    fields = g_ptr_array_index (body_tables, selector % body_tables->len);
  fuzz_body (fields, body, body_size);
  return 0;
}
