/* sd-db.h — the one query API of signald, over SQLite and PostgreSQL.
 *
 * An SdDb is opened once per process from a URL ("sqlite:PATH" or
 * "postgres://…"); it applies the migrations of its backend and checks the
 * database is safe to serve from.  Each thread that talks to the database
 * takes its own SdDbConn with sd_db_connect(): connections are not shared
 * between threads.
 *
 * SQL is written once for both backends: parameters are $1, $2, … and are
 * always bound, never pasted into the SQL.  Argument types are given by a
 * format string, one character per parameter:
 *
 *   's'  const char *  text; NULL binds SQL NULL
 *   'i'  gint64        integer
 *   'b'  gboolean      boolean (stored as 0/1 on SQLite)
 *   'B'  GBytes *      blob / bytea; NULL binds SQL NULL
 *
 * Results are read as text, integers, booleans or bytes; a NULL value reads
 * as NULL / 0 / FALSE.
 *
 * Tenancy: every request runs inside sd_db_begin() with the caller's
 * organization id.  On PostgreSQL this sets `tandem.org_id` for the
 * transaction, and row-level security hides every other organization's rows.
 * The few lookups that must cross organizations (log in by e-mail, find a
 * session by token hash, open an invitation by code, the outbox worker) are
 * named system queries (SdDbSys), which each backend implements on its own —
 * on PostgreSQL as SECURITY DEFINER functions owned by the owner role.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdDb     SdDb;
typedef struct _SdDbConn SdDbConn;
typedef struct _SdDbRows SdDbRows;

typedef enum {
  SD_DB_BACKEND_SQLITE,
  SD_DB_BACKEND_POSTGRES,
} SdDbBackend;

#define SD_DB_ERROR (sd_db_error_quark ())

typedef enum {
  SD_DB_ERROR_FAILED,       /* anything else */
  SD_DB_ERROR_CONSTRAINT,   /* unique / foreign key / check / exclusion violation */
  SD_DB_ERROR_BUSY,         /* lock timeout, serialization failure: retry */
  SD_DB_ERROR_UNSAFE,       /* PostgreSQL role or policies are not safe to serve from */
  SD_DB_ERROR_CONFIG,       /* bad URL or unsupported backend */
  SD_DB_ERROR_OVERLAP,      /* a no-overlap rule refused the row: PostgreSQL exclusion
                               constraint (23P01), SQLite trigger RAISE 'slot_unavailable' */
} SdDbError;

GQuark sd_db_error_quark (void);

typedef enum {
  SD_DB_TX_READ,   /* SQLite: BEGIN (deferred); PostgreSQL: BEGIN READ ONLY */
  SD_DB_TX_WRITE,  /* SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN */
} SdDbTxKind;

/* Cross-organization lookups; parameters and columns are fixed per query. */
typedef enum {
  /* ($1 email lowercased) -> id, org_id, password_hash */
  SD_DB_SYS_LOGIN_LOOKUP,
  /* ($1 token_hash hex, $2 now unix seconds) -> session_id, org_id, user_id,
   * kind, scopes, expires_at, role, email, name, language, time_zone
   * Only sessions neither revoked nor expired are returned. */
  SD_DB_SYS_SESSION_LOOKUP,
  /* ($1 code) -> id, org_id, group_id, status, expires_at, group_name,
   * has_avatar (bool), email, inviter_name */
  SD_DB_SYS_INVITATION_LOOKUP,
  /* ($1 code) -> avatar (bytes), avatar_type  (only for a pending invitation) */
  SD_DB_SYS_INVITATION_AVATAR,
  /* ($1 now, $2 limit) -> id, org_id, kind, payload, attempts
   * Rows not yet done whose next_attempt_at <= now, oldest first. */
  SD_DB_SYS_OUTBOX_PENDING,
  /* ($1 id, $2 now) marks a row done */
  SD_DB_SYS_OUTBOX_DONE,
  /* ($1 id, $2 next_attempt_at, $3 last_error) records a failed attempt */
  SD_DB_SYS_OUTBOX_RETRY,
  /* ($1 org_id) -> 1 row if the organization exists */
  SD_DB_SYS_ORG_EXISTS,
  /* ($1 now, $2 lease_until) -> id, org_id, asset_id, source_key, filename,
   * size, attempts (after this claim)
   * Claims at most one video in status 'processing' whose lease is unset or
   * ended (lease_until <= now), oldest change first: sets lease_until and
   * counts the attempt.  Writes: call it outside a transaction. */
  SD_DB_SYS_MEDIA_CLAIM,
  /* ($1 now, $2 limit) -> id, org_id: uploads still receiving whose
   * expires_at <= now, longest expired first (jobs/sd-sweeper.c). */
  SD_DB_SYS_UPLOADS_EXPIRED,
  /* ($1 token_hash hex, $2 now) -> call_id, org_id, booking_id, user_id,
   * user_name, peer_id, peer_name, expires_at: the call a live call token
   * opens, only while its booking is booked and the token's user is one
   * of its two participants (peer_* is the other one). */
  SD_DB_SYS_CALL_TOKEN_LOOKUP,
  SD_DB_SYS_N_QUERIES
} SdDbSys;

/* Open the database at @url, apply migrations (through @owner_url when
 * given: PostgreSQL's owner role runs the DDL; NULL means @url itself) and
 * check the serving role is safe.  Fails with SD_DB_ERROR_UNSAFE when the
 * serving PostgreSQL role owns tables, is a superuser, has BYPASSRLS, or a
 * tenant table lacks forced row-level security. */
SdDb        *sd_db_open              (const char  *url,
                                      const char  *owner_url,
                                      GError     **error);
void         sd_db_free              (SdDb        *db);
SdDbBackend  sd_db_backend           (SdDb        *db);
/* The schema version after migrations; for tests and /health. */
gint64       sd_db_schema_version    (SdDb        *db);

/* A new connection for the calling thread.  Returns NULL with @error set. */
SdDbConn    *sd_db_connect           (SdDb        *db,
                                      GError     **error);
void         sd_db_conn_free         (SdDbConn    *conn);
SdDbBackend  sd_db_conn_backend      (SdDbConn    *conn);

/* Transactions.  @org_id may be NULL only for transactions that touch no
 * tenant table (or only through system queries). */
gboolean     sd_db_begin             (SdDbConn    *conn,
                                      SdDbTxKind   kind,
                                      const char  *org_id,
                                      GError     **error);
gboolean     sd_db_commit            (SdDbConn    *conn,
                                      GError     **error);
/* Never fails; safe to call when no transaction is open. */
void         sd_db_rollback          (SdDbConn    *conn);
gboolean     sd_db_in_transaction    (SdDbConn    *conn);

/* Run @sql with parameters described by @fmt.  Returns the rows (possibly
 * zero rows) or NULL with @error set.  The caller owns the result. */
SdDbRows    *sd_db_query             (SdDbConn    *conn,
                                      GError     **error,
                                      const char  *sql,
                                      const char  *fmt,
                                      ...);
SdDbRows    *sd_db_query_va          (SdDbConn    *conn,
                                      GError     **error,
                                      const char  *sql,
                                      const char  *fmt,
                                      va_list      args);
/* Like sd_db_query() but returns the number of rows changed, or -1. */
gint64       sd_db_exec              (SdDbConn    *conn,
                                      GError     **error,
                                      const char  *sql,
                                      const char  *fmt,
                                      ...);
/* A system query; see SdDbSys for parameters and columns. */
SdDbRows    *sd_db_sys               (SdDbConn    *conn,
                                      GError     **error,
                                      SdDbSys      query,
                                      const char  *fmt,
                                      ...);

guint        sd_db_rows_n            (SdDbRows    *rows);
guint        sd_db_rows_n_columns    (SdDbRows    *rows);
/* Column index of @name, or -1. */
int          sd_db_rows_column       (SdDbRows    *rows,
                                      const char  *name);
/* Values by row and column name; the strings belong to @rows.  Asking for
 * a column that the query did not return is a programming error. */
const char  *sd_db_rows_text         (SdDbRows    *rows,
                                      guint        row,
                                      const char  *column);
gint64       sd_db_rows_int          (SdDbRows    *rows,
                                      guint        row,
                                      const char  *column);
gboolean     sd_db_rows_bool         (SdDbRows    *rows,
                                      guint        row,
                                      const char  *column);
gboolean     sd_db_rows_is_null      (SdDbRows    *rows,
                                      guint        row,
                                      const char  *column);
/* A new reference to the bytes, or NULL for SQL NULL. */
GBytes      *sd_db_rows_bytes        (SdDbRows    *rows,
                                      guint        row,
                                      const char  *column);
void         sd_db_rows_free         (SdDbRows    *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDbRows, sd_db_rows_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDbConn, sd_db_conn_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDb, sd_db_free)

G_END_DECLS
