/* sd-json.c — request body parsing/validation and reply helpers. */
#define G_LOG_DOMAIN "sd-json"

#include "sd-json.h"

#include "tandem-error.h"

#include <string.h>

#define SD_JSON_TIME_LEN 20   /* "YYYY-MM-DDTHH:MM:SSZ" */

#define MAX_DEPTH 32

static gboolean
too_deep (JsonNode *node,
          guint     depth)
{
  if (depth > MAX_DEPTH)
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *child;
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &child))
        if (too_deep (child, depth + 1))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (too_deep (json_array_get_element (array, i), depth + 1))
          return TRUE;
    }
  return FALSE;
}

/* One pass over the raw bytes before json-glib sees them: json-glib 1.6
 * recurses per nesting level (a deep body overflows the stack), leaks values
 * after the first, and turns lone surrogate escapes into invalid UTF-8. */
static gboolean
prescan (const char *data,
         gsize       size,
         GError    **error)
{
  guint depth = 0;
  gboolean in_string = FALSE, closed = FALSE;
  gunichar pending_high = 0;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];
      if (in_string)
        {
          if (c == '\\' && i + 1 < size)
            {
              i++;
              if (data[i] == 'u')
                {
                  if (i + 4 >= size)
                    goto bad;
                  char hex[5] = { data[i + 1], data[i + 2], data[i + 3], data[i + 4], 0 };
                  guint64 v = 0;
                  if (!g_ascii_string_to_unsigned (hex, 16, 0, 0xffff, &v, NULL))
                    goto bad;
                  i += 4;
                  if (v == 0)
                    goto bad;
                  if (v >= 0xd800 && v <= 0xdbff)
                    {
                      if (pending_high)
                        goto bad;
                      pending_high = (gunichar) v;
                      continue;
                    }
                  if (v >= 0xdc00 && v <= 0xdfff)
                    {
                      if (!pending_high)
                        goto bad;
                      pending_high = 0;
                      continue;
                    }
                }
              if (pending_high)
                goto bad;
              continue;
            }
          if (pending_high)
            goto bad;
          if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (g_ascii_isspace (c))
        continue;
      if (closed)
        goto bad;
      /* The one top-level value must be an object: a string or array
       * there would let json-glib parse several values and leak all but
       * the last. */
      if (depth == 0 && c != '{')
        goto bad;
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON, "the JSON body is nested too deeply");
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            goto bad;
          if (--depth == 0)
            closed = TRUE;
        }
    }
  if (!in_string && closed)
    return TRUE;
bad:
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON,
               "the body must be one JSON object with valid strings");
  return FALSE;
}

JsonObject *
sd_json_parse_object (const char  *data,
                      gsize        size,
                      GError     **error)
{
  if (data == NULL || size == 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON, "the request needs a JSON body");
      return NULL;
    }
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON, "the body is not UTF-8");
      return NULL;
    }

  if (!prescan (data, size, error))
    return NULL;

  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      g_autofree char *msg = g_utf8_make_valid (local_error->message, -1);
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON, "the body is not valid JSON: %s", msg);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON, "the body must be a JSON object");
      return NULL;
    }
  if (too_deep (root, 0))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_JSON, "the JSON body is nested too deeply");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
check_length (const SdField  *f,
              gint64          n,
              const char     *unit,
              GError        **error)
{
  if (n < f->min)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "“%s” needs at least %" G_GINT64_FORMAT " %s", f->name, f->min, unit);
      return FALSE;
    }
  if (f->max > 0 && n > f->max)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "“%s” may have at most %" G_GINT64_FORMAT " %s", f->name, f->max, unit);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_string (const SdField  *f,
              JsonNode       *node,
              GError        **error)
{
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” must be a string", f->name);
      return FALSE;
    }
  const char *s = json_node_get_string (node);
  if (strlen (s) > 1024 * 64 && f->max == 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” is too long", f->name);
      return FALSE;
    }
  g_autofree char *trimmed = NULL;
  if (f->flags & SD_FIELD_TRIM)
    s = trimmed = g_strstrip (g_strdup (s));
  return check_length (f, g_utf8_strlen (s, -1), "characters", error);
}

gboolean
sd_json_validate (JsonObject     *object,
                  const SdField  *fields,
                  GError        **error)
{
  for (const SdField *f = fields; f != NULL && f->name != NULL; f++)
    {
      JsonNode *node = json_object_get_member (object, f->name);
      if (node == NULL)
        {
          if (f->flags & SD_FIELD_REQUIRED)
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” is required", f->name);
              return FALSE;
            }
          continue;
        }
      if (JSON_NODE_HOLDS_NULL (node))
        {
          if (!(f->flags & SD_FIELD_NULLABLE))
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” may not be null", f->name);
              return FALSE;
            }
          continue;
        }
      switch (f->type)
        {
        case SD_FIELD_STRING:
          if (!check_string (f, node, error))
            return FALSE;
          break;
        case SD_FIELD_INT:
          if (json_node_get_value_type (node) != G_TYPE_INT64)
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” must be an integer", f->name);
              return FALSE;
            }
          if (!check_length (f, json_node_get_int (node), "(value)", error))
            return FALSE;
          break;
        case SD_FIELD_BOOL:
          if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” must be true or false", f->name);
              return FALSE;
            }
          break;
        case SD_FIELD_OBJECT:
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” must be an object", f->name);
              return FALSE;
            }
          break;
        case SD_FIELD_ARRAY:
        case SD_FIELD_STRING_ARRAY:
          {
            if (!JSON_NODE_HOLDS_ARRAY (node))
              {
                g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“%s” must be an array", f->name);
                return FALSE;
              }
            JsonArray *array = json_node_get_array (node);
            guint n = json_array_get_length (array);
            if (!check_length (f, n, "elements", error))
              return FALSE;
            if (f->type == SD_FIELD_STRING_ARRAY)
              for (guint i = 0; i < n; i++)
                if (json_node_get_value_type (json_array_get_element (array, i)) != G_TYPE_STRING)
                  {
                    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                                 "“%s” must be an array of strings", f->name);
                    return FALSE;
                  }
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

const char *
sd_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
sd_json_get_int (JsonObject *object,
                 const char *name,
                 gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

gboolean
sd_json_get_bool (JsonObject *object,
                  const char *name,
                  gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

gboolean
sd_json_has (JsonObject *object,
             const char *name)
{
  return object != NULL && json_object_has_member (object, name);
}

/* Writes @n as @width digits at @out. */
static void
put_digits (char   *out,
            gint64  n,
            guint   width)
{
  for (guint i = width; i > 0; i--)
    {
      out[i - 1] = (char) ('0' + n % 10);
      n /= 10;
    }
}

/* "YYYY-MM-DDTHH:MM:SSZ" into @out (SD_JSON_TIME_LEN + 1 bytes).  The civil
 * date comes from the days since 1970-01-01 (proleptic Gregorian) in plain
 * arithmetic: this runs for every time in every reply, where GDateTime
 * cost two allocations and a format parser each time. */
static void
format_time (gint64  unix_seconds,
             char   *out)
{
  /* The years GDateTime accepts: 0001-01-01 to 9999-12-31. */
  if (unix_seconds < G_GINT64_CONSTANT (-62135596800) || unix_seconds > G_GINT64_CONSTANT (253402300799))
    unix_seconds = 0;
  gint64 days = unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  gint64 secs = unix_seconds - days * 86400;
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  gint64 day = doy - (153 * mp + 2) / 5 + 1;
  gint64 month = mp < 10 ? mp + 3 : mp - 9;
  gint64 year = yoe + era * 400 + (month <= 2);
  memcpy (out, "0000-00-00T00:00:00Z", SD_JSON_TIME_LEN + 1);
  put_digits (out, year, 4);
  put_digits (out + 5, month, 2);
  put_digits (out + 8, day, 2);
  put_digits (out + 11, secs / 3600, 2);
  put_digits (out + 14, secs / 60 % 60, 2);
  put_digits (out + 17, secs % 60, 2);
}

char *
sd_json_format_time (gint64 unix_seconds)
{
  char text[SD_JSON_TIME_LEN + 1];
  format_time (unix_seconds, text);
  return g_strdup (text);
}

void
sd_json_append_time (GString *out,
                     gint64   unix_seconds)
{
  char text[SD_JSON_TIME_LEN + 1];
  format_time (unix_seconds < 0 ? 0 : unix_seconds, text);
  g_string_append_len (out, text, SD_JSON_TIME_LEN);
}

void
sd_json_append_string (GString    *out,
                       const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

void
sd_json_set_time (JsonObject *object,
                  const char *name,
                  gint64      unix_seconds)
{
  if (unix_seconds < 0)
    {
      json_object_set_null_member (object, name);
      return;
    }
  char text[SD_JSON_TIME_LEN + 1];
  format_time (unix_seconds, text);
  json_object_set_string_member (object, name, text);
}

void
sd_json_set_string_or_null (JsonObject *object,
                            const char *name,
                            const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, value);
}

gboolean
sd_json_is_email (const char *value)
{
  if (value == NULL)
    return FALSE;
  gsize len = strlen (value);
  if (len < 3 || len > 254)
    return FALSE;
  const char *at = strchr (value, '@');
  if (at == NULL || at == value || strchr (at + 1, '@') != NULL)
    return FALSE;
  const char *dot = strrchr (at, '.');
  if (dot == NULL || dot == at + 1 || dot[1] == '\0')
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>' ||
        *p == ',' || *p == ';' || *p == '"' || *p == '\\')
      return FALSE;
  return TRUE;
}

gboolean
sd_json_is_uuid (const char *value)
{
  return value != NULL && g_uuid_string_is_valid (value);
}
