/* sd-db-sqlite.c — the SQLite backend of sd-db: one sqlite3 handle per
 * connection, WAL, foreign keys, a busy timeout and a statement cache.
 *
 * Write transactions of one process queue at an in-process gate before
 * BEGIN IMMEDIATE: SQLite's busy handler sleeps (1, 2, 5, 10 … ms) while
 * another connection writes, which halved write throughput with two
 * workers; the gate wakes the next writer as soon as the last one ends.
 * A writer that waits longer than the busy timeout goes on without the
 * gate and leaves it to SQLite (other processes are never gated). */
#define G_LOG_DOMAIN "sd-db-sqlite"

#include "sd-db-private.h"

#include <sqlite3.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 5000

typedef struct {
  char *path;
  /* the write gate */
  GMutex gate_lock;
  GCond gate_cond;
  gboolean gate_taken;
} SqliteDb;

typedef struct {
  SqliteDb *db;
  sqlite3 *handle;
  GHashTable *stmts;   /* sql (owned) -> sqlite3_stmt */
  gboolean gated;      /* this connection holds the write gate */
} SqliteConn;

/* Waits for the write gate (at most the busy timeout); FALSE when it did
 * not get it. */
static gboolean
gate_enter (SqliteDb *sdb)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  gboolean got = TRUE;
  g_mutex_lock (&sdb->gate_lock);
  while (sdb->gate_taken && got)
    got = g_cond_wait_until (&sdb->gate_cond, &sdb->gate_lock, deadline) || !sdb->gate_taken;
  if (got)
    sdb->gate_taken = TRUE;
  g_mutex_unlock (&sdb->gate_lock);
  return got;
}

static void
gate_leave (SqliteConn *sc)
{
  if (!sc->gated)
    return;
  sc->gated = FALSE;
  g_mutex_lock (&sc->db->gate_lock);
  sc->db->gate_taken = FALSE;
  g_cond_signal (&sc->db->gate_cond);
  g_mutex_unlock (&sc->db->gate_lock);
}

static void
set_sqlite_error (GError    **error,
                  sqlite3    *handle,
                  int         rc,
                  const char *what)
{
  int primary = rc & 0xff;
  SdDbError code = SD_DB_ERROR_FAILED;
  /* The no-overlap triggers (0003_coaching.sql) raise 'slot_unavailable'. */
  if (rc == SQLITE_CONSTRAINT_TRIGGER && handle != NULL &&
      g_strcmp0 (sqlite3_errmsg (handle), "slot_unavailable") == 0)
    code = SD_DB_ERROR_OVERLAP;
  else if (primary == SQLITE_CONSTRAINT)
    code = SD_DB_ERROR_CONSTRAINT;
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    code = SD_DB_ERROR_BUSY;
  g_set_error (error, SD_DB_ERROR, code, "%s: %s", what,
               handle != NULL ? sqlite3_errmsg (handle) : sqlite3_errstr (rc));
}

static sqlite3 *
open_handle (const char  *path,
             GError     **error)
{
  sqlite3 *handle = NULL;
  int rc = sqlite3_open_v2 (path, &handle,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, handle, rc, "cannot open SQLite database");
      sqlite3_close_v2 (handle);
      return NULL;
    }
  sqlite3_extended_result_codes (handle, 1);
  sqlite3_busy_timeout (handle, BUSY_TIMEOUT_MS);

  static const char *pragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;";
  char *msg = NULL;
  rc = sqlite3_exec (handle, pragmas, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED, "cannot configure SQLite: %s", msg);
      sqlite3_free (msg);
      sqlite3_close_v2 (handle);
      return NULL;
    }
  return handle;
}

static gboolean
exec_script (sqlite3     *handle,
             const char  *sql,
             GError     **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (handle, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SD_DB_ERROR,
                   (rc & 0xff) == SQLITE_BUSY ? SD_DB_ERROR_BUSY : SD_DB_ERROR_FAILED,
                   "%s", msg != NULL ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static gint64
current_version (sqlite3 *handle)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = 0;
  if (sqlite3_prepare_v2 (handle, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                          -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (SdDb     *db,
         sqlite3  *handle,
         GError  **error)
{
  g_autoptr(GPtrArray) migrations = sd_db_migrations_load ("sqlite", error);
  if (migrations == NULL)
    return FALSE;

  if (!exec_script (handle,
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                    error))
    return FALSE;

  /* BEGIN IMMEDIATE serializes several signald processes starting at once. */
  for (guint i = 0; i < migrations->len; i++)
    {
      SdDbMigration *m = g_ptr_array_index (migrations, i);
      if (!exec_script (handle, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (m->version <= current_version (handle))
        {
          exec_script (handle, "COMMIT", NULL);
          continue;
        }
      g_autoptr(GError) local_error = NULL;
      char *record = sqlite3_mprintf ("INSERT INTO schema_migrations VALUES (%lld, %Q, %lld)",
                                      (long long) m->version, m->name,
                                      (long long) (g_get_real_time () / G_USEC_PER_SEC));
      gboolean ok = exec_script (handle, m->sql, &local_error) &&
                    exec_script (handle, record, &local_error) &&
                    exec_script (handle, "COMMIT", &local_error);
      sqlite3_free (record);
      if (!ok)
        {
          exec_script (handle, "ROLLBACK", NULL);
          g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                       "migration %s failed: %s", m->name, local_error->message);
          return FALSE;
        }
      g_debug ("applied migration %s", m->name);
    }
  db->schema_version = current_version (handle);
  return TRUE;
}

static gboolean
sqlite_open (SdDb        *db,
             const char  *url,
             const char  *owner_url,
             GError     **error)
{
  const char *path = url + strlen ("sqlite:");
  if (*path == '\0')
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG, "sqlite: URL without a path");
      return FALSE;
    }
  if (g_str_equal (path, ":memory:"))
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG,
                   "sqlite::memory: cannot be shared between workers; use a file");
      return FALSE;
    }

  sqlite3 *handle = open_handle (path, error);
  if (handle == NULL)
    return FALSE;
  gboolean ok = migrate (db, handle, error);
  sqlite3_close_v2 (handle);
  if (!ok)
    return FALSE;

  SqliteDb *sdb = g_new0 (SqliteDb, 1);
  sdb->path = g_strdup (path);
  g_mutex_init (&sdb->gate_lock);
  g_cond_init (&sdb->gate_cond);
  db->backend_data = sdb;
  return TRUE;
}

static void
sqlite_close (SdDb *db)
{
  SqliteDb *sdb = db->backend_data;
  g_free (sdb->path);
  g_mutex_clear (&sdb->gate_lock);
  g_cond_clear (&sdb->gate_cond);
  g_free (sdb);
  db->backend_data = NULL;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
sqlite_connect (SdDbConn  *conn,
                GError   **error)
{
  SqliteDb *sdb = conn->db->backend_data;
  sqlite3 *handle = open_handle (sdb->path, error);
  if (handle == NULL)
    return FALSE;
  SqliteConn *sc = g_new0 (SqliteConn, 1);
  sc->db = sdb;
  sc->handle = handle;
  sc->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     finalize_stmt);
  conn->backend_data = sc;
  return TRUE;
}

static void
sqlite_disconnect (SdDbConn *conn)
{
  SqliteConn *sc = conn->backend_data;
  g_hash_table_destroy (sc->stmts);
  sqlite3_close_v2 (sc->handle);
  g_free (sc);
  conn->backend_data = NULL;
}

static gboolean
sqlite_begin (SdDbConn    *conn,
              SdDbTxKind   kind,
              const char  *org_id,
              GError     **error)
{
  SqliteConn *sc = conn->backend_data;
  /* Tenant isolation on SQLite is the handlers' WHERE org_id = … clauses;
   * the org id is not needed here. */
  if (kind != SD_DB_TX_WRITE)
    return exec_script (sc->handle, "BEGIN", error);
  sc->gated = gate_enter (sc->db);
  if (!exec_script (sc->handle, "BEGIN IMMEDIATE", error))
    {
      gate_leave (sc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_commit (SdDbConn  *conn,
               GError   **error)
{
  SqliteConn *sc = conn->backend_data;
  /* A failed COMMIT is followed by sqlite_rollback, which opens the gate. */
  if (!exec_script (sc->handle, "COMMIT", error))
    return FALSE;
  gate_leave (sc);
  return TRUE;
}

static void
sqlite_rollback (SdDbConn *conn)
{
  SqliteConn *sc = conn->backend_data;
  if (!sqlite3_get_autocommit (sc->handle))
    exec_script (sc->handle, "ROLLBACK", NULL);
  gate_leave (sc);
}

static sqlite3_stmt *
prepare_cached (SqliteConn  *sc,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (sc->stmts, sql);
  if (stmt != NULL)
    return stmt;
  int rc = sqlite3_prepare_v3 (sc->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, sc->handle, rc, "cannot prepare statement");
      return NULL;
    }
  g_hash_table_insert (sc->stmts, g_strdup (sql), stmt);
  return stmt;
}

static gboolean
bind_params (SqliteConn       *sc,
             sqlite3_stmt     *stmt,
             const SdDbValue  *params,
             guint             n_params,
             GError          **error)
{
  int count = sqlite3_bind_parameter_count (stmt);
  for (int i = 1; i <= count; i++)
    {
      const char *name = sqlite3_bind_parameter_name (stmt, i);
      guint64 n = 0;
      if (name == NULL || name[0] != '$' ||
          !g_ascii_string_to_unsigned (name + 1, 10, 1, n_params, &n, NULL))
        {
          g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                       "SQL parameter %s has no argument (%u given)",
                       name != NULL ? name : "?", n_params);
          return FALSE;
        }
      const SdDbValue *v = &params[n - 1];
      int rc;
      switch (v->kind)
        {
        case SD_DB_VALUE_INT:
          rc = sqlite3_bind_int64 (stmt, i, v->i);
          break;
        case SD_DB_VALUE_TEXT:
          rc = sqlite3_bind_text (stmt, i, v->s, -1, SQLITE_STATIC);
          break;
        case SD_DB_VALUE_BYTES:
          {
            gsize size = 0;
            gconstpointer data = g_bytes_get_data (v->b, &size);
            rc = sqlite3_bind_blob64 (stmt, i, data != NULL ? data : "", size, SQLITE_STATIC);
          }
          break;
        case SD_DB_VALUE_NULL:
        default:
          rc = sqlite3_bind_null (stmt, i);
          break;
        }
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, sc->handle, rc, "cannot bind parameter");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
sqlite_query (SdDbConn         *conn,
              const char       *sql,
              const SdDbValue  *params,
              guint             n_params,
              SdDbRows         *rows,
              gint64           *changes,
              GError          **error)
{
  SqliteConn *sc = conn->backend_data;
  sqlite3_stmt *stmt = prepare_cached (sc, sql, error);
  if (stmt == NULL)
    return FALSE;

  gboolean ok = bind_params (sc, stmt, params, n_params, error);
  if (ok)
    {
      int n_cols = sqlite3_column_count (stmt);
      GStrv columns = g_new0 (char *, n_cols + 1);
      for (int c = 0; c < n_cols; c++)
        columns[c] = g_strdup (sqlite3_column_name (stmt, c));
      sd_db_rows_set_columns (rows, columns);

      int rc;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          for (int c = 0; c < n_cols; c++)
            {
              SdDbValue v = { 0 };
              switch (sqlite3_column_type (stmt, c))
                {
                case SQLITE_INTEGER:
                  v.kind = SD_DB_VALUE_INT;
                  v.i = sqlite3_column_int64 (stmt, c);
                  break;
                case SQLITE_FLOAT:
                case SQLITE_TEXT:
                  v.kind = SD_DB_VALUE_TEXT;
                  v.s = g_strdup ((const char *) sqlite3_column_text (stmt, c));
                  break;
                case SQLITE_BLOB:
                  v.kind = SD_DB_VALUE_BYTES;
                  v.b = g_bytes_new (sqlite3_column_blob (stmt, c),
                                     (gsize) sqlite3_column_bytes (stmt, c));
                  break;
                default:
                  break;
                }
              sd_db_rows_append (rows, &v);
            }
        }
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, sc->handle, rc, "query failed");
          ok = FALSE;
        }
      else if (changes != NULL)
        *changes = sqlite3_stmt_readonly (stmt) ? 0 : sqlite3_changes64 (sc->handle);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

const SdDbVTable sd_db_sqlite_vtable = {
  .backend = SD_DB_BACKEND_SQLITE,
  .open = sqlite_open,
  .close = sqlite_close,
  .connect = sqlite_connect,
  .disconnect = sqlite_disconnect,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .query = sqlite_query,
  .sys_sql = {
    [SD_DB_SYS_LOGIN_LOOKUP] =
      "SELECT id, org_id, password_hash FROM users WHERE email = $1",
    [SD_DB_SYS_SESSION_LOOKUP] =
      "SELECT s.id AS session_id, s.org_id, s.user_id, s.kind, s.scopes, s.expires_at,"
      "       u.role, u.email, u.name, u.language, u.time_zone"
      "  FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.token_hash = $1 AND s.revoked_at IS NULL"
      "   AND (s.expires_at IS NULL OR s.expires_at > $2)",
    [SD_DB_SYS_INVITATION_LOOKUP] =
      "SELECT i.id, i.org_id, i.group_id, i.status, i.expires_at, g.name AS group_name,"
      "       (g.avatar IS NOT NULL) AS has_avatar, i.email, u.name AS inviter_name"
      "  FROM invitations i JOIN groups g ON g.id = i.group_id"
      "  LEFT JOIN users u ON u.id = i.inviter_id"
      " WHERE i.code = $1",
    [SD_DB_SYS_INVITATION_AVATAR] =
      "SELECT g.avatar, g.avatar_type FROM invitations i JOIN groups g ON g.id = i.group_id"
      " WHERE i.code = $1 AND i.status = 'pending' AND g.avatar IS NOT NULL",
    [SD_DB_SYS_OUTBOX_PENDING] =
      "SELECT id, org_id, kind, payload, attempts FROM outbox"
      " WHERE done_at IS NULL AND next_attempt_at <= $1"
      " ORDER BY next_attempt_at, created_at LIMIT $2",
    [SD_DB_SYS_OUTBOX_DONE] =
      "UPDATE outbox SET done_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1",
    [SD_DB_SYS_OUTBOX_RETRY] =
      "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1",
    [SD_DB_SYS_ORG_EXISTS] =
      "SELECT 1 AS found FROM organizations WHERE id = $1",
    /* One statement, so the claim is atomic without a transaction. */
    [SD_DB_SYS_MEDIA_CLAIM] =
      "UPDATE videos SET lease_until = $2, attempts = attempts + 1"
      " WHERE id = (SELECT id FROM videos"
      "              WHERE status = 'processing' AND (lease_until IS NULL OR lease_until <= $1)"
      "              ORDER BY updated_at, id LIMIT 1)"
      " RETURNING id, org_id, asset_id, source_key, filename, size, attempts",
    [SD_DB_SYS_UPLOADS_EXPIRED] =
      "SELECT id, org_id FROM uploads WHERE status = 'receiving' AND expires_at <= $1"
      " ORDER BY expires_at, id LIMIT $2",
    [SD_DB_SYS_CALL_TOKEN_LOOKUP] =
      "SELECT t.call_id, t.org_id, c.booking_id, t.user_id, u.name AS user_name,"
      "       p.id AS peer_id, p.name AS peer_name, t.expires_at"
      "  FROM call_tokens t JOIN calls c ON c.id = t.call_id"
      "  JOIN coaching_bookings b ON b.id = c.booking_id"
      "  JOIN users u ON u.id = t.user_id"
      "  JOIN users p ON p.id = CASE WHEN b.expert_id = t.user_id THEN b.student_id ELSE b.expert_id END"
      " WHERE t.token_hash = $1 AND t.expires_at > $2 AND b.status = 'booked'"
      "   AND t.user_id IN (b.expert_id, b.student_id)",
  },
};
