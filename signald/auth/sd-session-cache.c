/* sd-session-cache.c — per-worker cache of token → caller; see
 * sd-session-cache.h. */
#define G_LOG_DOMAIN "sd-auth"

#include "auth/sd-session-cache.h"

#include <string.h>

/* A full cache starts afresh rather than tracking ages. */
#define MAX_ENTRIES 4096

typedef struct {
  SdAuth auth;
  gint64 valid_until_us;       /* monotonic */
  gint64 session_expires_s;    /* 0: none */
} Entry;

struct _SdSessionCache {
  GHashTable *entries;         /* token hash → Entry */
  gint64 ttl_us;
  guint generation;            /* of the process when last emptied */
};

static guint generation = 1;

static void
entry_free (gpointer data)
{
  Entry *e = data;
  sd_auth_clear (&e->auth);
  g_free (e);
}

void
sd_auth_clear (SdAuth *auth)
{
  g_free (auth->user_id);
  g_free (auth->org_id);
  g_free (auth->session_id);
  g_free (auth->email);
  g_free (auth->name);
  g_free (auth->language);
  g_free (auth->time_zone);
  g_strfreev (auth->scopes);
  memset (auth, 0, sizeof *auth);
}

void
sd_auth_copy (SdAuth       *dst,
              const SdAuth *src)
{
  *dst = *src;
  dst->user_id = g_strdup (src->user_id);
  dst->org_id = g_strdup (src->org_id);
  dst->session_id = g_strdup (src->session_id);
  dst->email = g_strdup (src->email);
  dst->name = g_strdup (src->name);
  dst->language = g_strdup (src->language);
  dst->time_zone = g_strdup (src->time_zone);
  dst->scopes = g_strdupv (src->scopes);
}

SdSessionCache *
sd_session_cache_new (guint ttl_ms)
{
  SdSessionCache *cache = g_new0 (SdSessionCache, 1);
  cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  cache->ttl_us = (gint64) ttl_ms * 1000;
  cache->generation = (guint) g_atomic_int_get (&generation);
  return cache;
}

void
sd_session_cache_free (SdSessionCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_destroy (cache->entries);
  g_free (cache);
}

void
sd_session_cache_invalidate_all (void)
{
  g_atomic_int_inc (&generation);
}

/* Empties the cache when anything was written since. */
static void
sync_generation (SdSessionCache *cache)
{
  guint now = (guint) g_atomic_int_get (&generation);
  if (now != cache->generation)
    {
      g_hash_table_remove_all (cache->entries);
      cache->generation = now;
    }
}

gboolean
sd_session_cache_lookup (SdSessionCache *cache,
                         const char     *token_hash,
                         gint64          now_s,
                         SdAuth         *auth)
{
  if (cache->ttl_us <= 0)
    return FALSE;
  sync_generation (cache);
  Entry *e = g_hash_table_lookup (cache->entries, token_hash);
  if (e == NULL)
    return FALSE;
  if (g_get_monotonic_time () > e->valid_until_us ||
      (e->session_expires_s != 0 && now_s >= e->session_expires_s))
    {
      g_hash_table_remove (cache->entries, token_hash);
      return FALSE;
    }
  sd_auth_copy (auth, &e->auth);
  return TRUE;
}

void
sd_session_cache_store (SdSessionCache *cache,
                        const char     *token_hash,
                        const SdAuth   *auth,
                        gint64          session_expires_s)
{
  if (cache->ttl_us <= 0)
    return;
  /* Something was written since the lookup began (which synced the
   * generation): what the database said may be stale already. */
  if ((guint) g_atomic_int_get (&generation) != cache->generation)
    {
      sync_generation (cache);
      return;
    }
  if (g_hash_table_size (cache->entries) >= MAX_ENTRIES)
    g_hash_table_remove_all (cache->entries);
  Entry *e = g_new0 (Entry, 1);
  sd_auth_copy (&e->auth, auth);
  e->valid_until_us = g_get_monotonic_time () + cache->ttl_us;
  e->session_expires_s = session_expires_s;
  g_hash_table_replace (cache->entries, g_strdup (token_hash), e);
}
