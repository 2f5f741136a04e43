/* sd-route.c — matching request paths against the families' route tables. */
#define G_LOG_DOMAIN "sd-route"

#include "sd-route.h"

#include <string.h>

const SdRoute *const sd_api_families[] = {
  sd_api_system_routes,
  sd_api_auth_routes,
  sd_api_users_routes,
  sd_api_groups_routes,
  sd_api_invitations_routes,
  sd_api_videos_routes,
  sd_api_uploads_routes,
  sd_api_assets_routes,
  sd_api_reviews_routes,
  sd_api_finalize_routes,
  sd_api_calls_routes,
  sd_api_coaching_types_routes,
  sd_api_availability_routes,
  sd_api_coaching_blocked_routes,
  sd_api_coaching_experts_routes,
  sd_api_slots_routes,
  sd_api_bookings_routes,
  NULL
};

/* A {param} segment accepts a UUID unless its name says otherwise. */
static gboolean
param_value_ok (const char *name,
                gsize       name_len,
                const char *value,
                gsize       value_len)
{
  if (value_len == 0 || value_len > 128)
    return FALSE;
  if ((name_len == 4 && strncmp (name, "code", 4) == 0) ||
      (name_len > 5 && strncmp (name + name_len - 5, "_name", 5) == 0))
    {
      for (gsize i = 0; i < value_len; i++)
        if (!g_ascii_isalnum (value[i]) && value[i] != '-' && value[i] != '_' && value[i] != '.')
          return FALSE;
      return TRUE;
    }
  if (value_len != 36)
    return FALSE;
  g_autofree char *copy = g_strndup (value, value_len);
  return g_uuid_string_is_valid (copy);
}

static gboolean
match_pattern (const char *pattern,
               const char *path,
               GHashTable *params)
{
  const char *p = pattern, *s = path;

  while (*p != '\0' && *s != '\0')
    {
      if (*p == '{')
        {
          const char *close = strchr (p, '}');
          g_assert (close != NULL);
          const char *end = strchr (s, '/');
          gsize value_len = end != NULL ? (gsize) (end - s) : strlen (s);
          if (!param_value_ok (p + 1, (gsize) (close - p - 1), s, value_len))
            return FALSE;
          if (params != NULL)
            {
              /* UUIDs in lower case, as signald makes them: SQLite
               * compares text, so "ABC…" would miss a row PostgreSQL finds. */
              char *value = g_strndup (s, value_len);
              if (value_len == 36 && g_uuid_string_is_valid (value))
                {
                  char *lower = g_ascii_strdown (value, -1);
                  g_free (value);
                  value = lower;
                }
              g_hash_table_insert (params, g_strndup (p + 1, (gsize) (close - p - 1)), value);
            }
          p = close + 1;
          s += value_len;
          continue;
        }
      if (*p != *s)
        return FALSE;
      p++;
      s++;
    }
  return *p == '\0' && *s == '\0';
}

const SdRoute *
sd_route_match (const char  *method,
                const char  *path,
                GHashTable  *params,
                gboolean    *path_matched)
{
  gboolean any = FALSE;

  for (guint f = 0; sd_api_families[f] != NULL; f++)
    for (const SdRoute *r = sd_api_families[f]; r->pattern != NULL; r++)
      {
        if (!match_pattern (r->pattern, path, NULL))
          continue;
        any = TRUE;
        if (!g_str_equal (r->method, method) &&
            !(g_str_equal (method, "HEAD") && g_str_equal (r->method, "GET")))
          continue;
        if (params != NULL)
          match_pattern (r->pattern, path, params);
        if (path_matched != NULL)
          *path_matched = TRUE;
        return r;
      }
  if (path_matched != NULL)
    *path_matched = any;
  return NULL;
}
