/* sd-ratelimit.c — fixed-window rate limiting behind one mutex. */
#define G_LOG_DOMAIN "sd-ratelimit"

#include "sd-ratelimit.h"

typedef struct {
  gint64 window_start_us;
  guint count;
} Bucket;

struct _SdRateLimiter {
  GMutex lock;
  GHashTable *buckets;   /* key -> Bucket */
  gint64 last_sweep_us;
};

/* Buckets older than this are dropped during sweeps. */
#define MAX_WINDOW_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

SdRateLimiter *
sd_rate_limiter_new (void)
{
  SdRateLimiter *rl = g_new0 (SdRateLimiter, 1);
  g_mutex_init (&rl->lock);
  rl->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return rl;
}

void
sd_rate_limiter_free (SdRateLimiter *rl)
{
  if (rl == NULL)
    return;
  g_hash_table_destroy (rl->buckets);
  g_mutex_clear (&rl->lock);
  g_free (rl);
}

static void
sweep_locked (SdRateLimiter *rl,
              gint64         now_us)
{
  if (now_us - rl->last_sweep_us < 60 * G_USEC_PER_SEC)
    return;
  rl->last_sweep_us = now_us;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, rl->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now_us - ((Bucket *) value)->window_start_us > MAX_WINDOW_US)
      g_hash_table_iter_remove (&iter);
}

/* The current bucket of @key, reset when its window has passed. */
static Bucket *
bucket_locked (SdRateLimiter *rl,
               const char    *key,
               guint          window_s,
               gint64         now_us,
               gboolean       create)
{
  Bucket *b = g_hash_table_lookup (rl->buckets, key);
  if (b == NULL)
    {
      if (!create)
        return NULL;
      b = g_new0 (Bucket, 1);
      b->window_start_us = now_us;
      g_hash_table_insert (rl->buckets, g_strdup (key), b);
    }
  else if (now_us - b->window_start_us >= (gint64) window_s * G_USEC_PER_SEC)
    {
      b->window_start_us = now_us;
      b->count = 0;
    }
  return b;
}

static guint
retry_after (const Bucket *b,
             guint         window_s,
             gint64        now_us)
{
  gint64 end_us = b->window_start_us + (gint64) window_s * G_USEC_PER_SEC;
  gint64 left = (end_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  return (guint) CLAMP (left, 1, (gint64) window_s);
}

gboolean
sd_rate_limiter_blocked (SdRateLimiter *rl,
                         const char    *key,
                         guint          limit,
                         guint          window_s,
                         gint64         now_us,
                         guint         *retry_after_s)
{
  gboolean blocked = FALSE;
  g_mutex_lock (&rl->lock);
  Bucket *b = bucket_locked (rl, key, window_s, now_us, FALSE);
  if (b != NULL && b->count >= limit)
    {
      blocked = TRUE;
      if (retry_after_s != NULL)
        *retry_after_s = retry_after (b, window_s, now_us);
    }
  g_mutex_unlock (&rl->lock);
  return blocked;
}

gboolean
sd_rate_limiter_hit (SdRateLimiter *rl,
                     const char    *key,
                     guint          limit,
                     guint          window_s,
                     gint64         now_us,
                     guint         *retry_after_s)
{
  gboolean ok;
  g_mutex_lock (&rl->lock);
  sweep_locked (rl, now_us);
  Bucket *b = bucket_locked (rl, key, window_s, now_us, TRUE);
  ok = b->count < limit;
  if (ok)
    b->count++;
  else if (retry_after_s != NULL)
    *retry_after_s = retry_after (b, window_s, now_us);
  g_mutex_unlock (&rl->lock);
  return ok;
}

void
sd_rate_limiter_reset (SdRateLimiter *rl,
                       const char    *key)
{
  g_mutex_lock (&rl->lock);
  g_hash_table_remove (rl->buckets, key);
  g_mutex_unlock (&rl->lock);
}
