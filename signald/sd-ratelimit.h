/* sd-ratelimit.h — fixed-window counters shared by all workers (thread-safe).
 *
 * A key ("login-ip:1.2.3.4", "login-account:x@y") counts events inside a
 * window; once the count reaches the limit, the key is blocked until its
 * window ends.  Counters live in memory: they reset when signald restarts.
 */
#pragma once

#include <glib.h>

#include "sd-types.h"

G_BEGIN_DECLS

SdRateLimiter *sd_rate_limiter_new   (void);
void           sd_rate_limiter_free  (SdRateLimiter *rl);

/* Is @key blocked at @now_us?  When it is, *@retry_after_s tells how many
 * seconds remain.  Does not count an event. */
gboolean       sd_rate_limiter_blocked (SdRateLimiter *rl,
                                        const char    *key,
                                        guint          limit,
                                        guint          window_s,
                                        gint64         now_us,
                                        guint         *retry_after_s);

/* Count one event for @key.  Returns FALSE (and *@retry_after_s) when this
 * event is past the limit. */
gboolean       sd_rate_limiter_hit     (SdRateLimiter *rl,
                                        const char    *key,
                                        guint          limit,
                                        guint          window_s,
                                        gint64         now_us,
                                        guint         *retry_after_s);

/* Forget @key (e.g. after a successful login). */
void           sd_rate_limiter_reset   (SdRateLimiter *rl,
                                        const char    *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdRateLimiter, sd_rate_limiter_free)

G_END_DECLS
