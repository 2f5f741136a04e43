/* sd-session-cache.h — who a bearer token belongs to, remembered for a few
 * seconds per worker, so that a client's requests do not each look their
 * session up in the database.
 *
 * One cache per worker thread (no lock), keyed by the token's SHA-256: an
 * entry holds the caller (SdAuth) as SD_DB_SYS_SESSION_LOOKUP found it.
 * It is trusted for at most the TTL (--session-cache-ttl… see SdConfig;
 * 5 s by default, 0 turns the cache off), never past the session's own
 * expiry, and every cache of the process empties when any write
 * transaction commits in this process (sd_session_cache_invalidate_all(),
 * called by sd_request_commit()): a logout, a revoked API token, a new
 * password, a changed role or a removed user takes effect on the very next
 * request, whichever worker serves it.  The bound that remains is for
 * changes made by another process (several instances on one PostgreSQL
 * database, or someone editing the database): those are seen within the
 * TTL.  Unknown tokens are never cached.
 */
#pragma once

#include "sd-request.h"

G_BEGIN_DECLS

typedef struct _SdSessionCache SdSessionCache;

/* @ttl_ms 0 makes a cache that never holds anything. */
SdSessionCache *sd_session_cache_new            (guint ttl_ms);
void            sd_session_cache_free           (SdSessionCache *cache);

/* Copies the caller of @token_hash into @auth (which must be empty) and
 * returns TRUE when a valid entry exists at @now_s (unix seconds). */
gboolean        sd_session_cache_lookup         (SdSessionCache *cache,
                                                 const char     *token_hash,
                                                 gint64          now_s,
                                                 SdAuth         *auth);
/* Remembers @auth for @token_hash; @session_expires_s is the session's
 * expiry (unix seconds), or 0 for none.  Call it right after a failed
 * sd_session_cache_lookup() and the database lookup, on the same thread:
 * when a write committed in between, nothing is stored. */
void            sd_session_cache_store          (SdSessionCache *cache,
                                                 const char     *token_hash,
                                                 const SdAuth   *auth,
                                                 gint64          session_expires_s);
/* Every cache of the process forgets everything (thread-safe). */
void            sd_session_cache_invalidate_all (void);

/* Deep copy of @src into @dst; sd_auth_clear() frees it. */
void            sd_auth_copy                    (SdAuth       *dst,
                                                 const SdAuth *src);
void            sd_auth_clear                   (SdAuth       *auth);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSessionCache, sd_session_cache_free)

G_END_DECLS
