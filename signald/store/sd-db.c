/* sd-db.c — the backend-independent half of the query API: URL dispatch,
 * parameter marshalling, result access and embedded migrations. */
#define G_LOG_DOMAIN "sd-db"

#include "sd-db-private.h"

#include <gio/gio.h>
#include <string.h>

G_DEFINE_QUARK (sd-db-error-quark, sd_db_error)

SdDb *
sd_db_open (const char  *url,
            const char  *owner_url,
            GError     **error)
{
  const SdDbVTable *vtable = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  if (g_str_has_prefix (url, "sqlite:"))
    vtable = &sd_db_sqlite_vtable;
  else if (g_str_has_prefix (url, "postgres://") || g_str_has_prefix (url, "postgresql://"))
    {
#ifdef HAVE_POSTGRES
      vtable = &sd_db_pg_vtable;
#else
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG,
                   "this signald was built without PostgreSQL support");
      return NULL;
#endif
    }
  else
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG,
                   "unsupported database URL (expected sqlite:PATH or postgres://…)");
      return NULL;
    }

  g_autoptr(SdDb) db = g_new0 (SdDb, 1);
  db->vtable = vtable;
  if (!vtable->open (db, url, owner_url, error))
    return NULL;
  return g_steal_pointer (&db);
}

void
sd_db_free (SdDb *db)
{
  if (db == NULL)
    return;
  if (db->backend_data != NULL)
    db->vtable->close (db);
  g_free (db);
}

SdDbBackend
sd_db_backend (SdDb *db)
{
  return db->vtable->backend;
}

gint64
sd_db_schema_version (SdDb *db)
{
  return db->schema_version;
}

SdDbConn *
sd_db_connect (SdDb    *db,
               GError **error)
{
  g_autoptr(SdDbConn) conn = g_new0 (SdDbConn, 1);
  conn->db = db;
  if (!db->vtable->connect (conn, error))
    return NULL;
  return g_steal_pointer (&conn);
}

void
sd_db_conn_free (SdDbConn *conn)
{
  if (conn == NULL)
    return;
  if (conn->in_tx)
    sd_db_rollback (conn);
  if (conn->backend_data != NULL)
    conn->db->vtable->disconnect (conn);
  g_free (conn);
}

SdDbBackend
sd_db_conn_backend (SdDbConn *conn)
{
  return conn->db->vtable->backend;
}

gboolean
sd_db_begin (SdDbConn    *conn,
             SdDbTxKind   kind,
             const char  *org_id,
             GError     **error)
{
  g_return_val_if_fail (!conn->in_tx, FALSE);
  if (!conn->db->vtable->begin (conn, kind, org_id, error))
    return FALSE;
  conn->in_tx = TRUE;
  return TRUE;
}

gboolean
sd_db_commit (SdDbConn  *conn,
              GError   **error)
{
  g_return_val_if_fail (conn->in_tx, FALSE);
  if (!conn->db->vtable->commit (conn, error))
    {
      conn->db->vtable->rollback (conn);
      conn->in_tx = FALSE;
      return FALSE;
    }
  conn->in_tx = FALSE;
  return TRUE;
}

void
sd_db_rollback (SdDbConn *conn)
{
  if (!conn->in_tx)
    return;
  conn->db->vtable->rollback (conn);
  conn->in_tx = FALSE;
}

gboolean
sd_db_in_transaction (SdDbConn *conn)
{
  return conn->in_tx;
}

static void
value_clear (gpointer data)
{
  SdDbValue *v = data;
  g_clear_pointer (&v->s, g_free);
  g_clear_pointer (&v->b, g_bytes_unref);
}

/* Marshal the variadic arguments into an array of values. */
static GArray *
collect_params (const char *fmt,
                va_list     args)
{
  GArray *params = g_array_new (FALSE, TRUE, sizeof (SdDbValue));
  g_array_set_clear_func (params, value_clear);

  for (const char *p = fmt != NULL ? fmt : ""; *p != '\0'; p++)
    {
      SdDbValue v = { 0 };
      switch (*p)
        {
        case 's':
          {
            const char *s = va_arg (args, const char *);
            if (s != NULL)
              {
                v.kind = SD_DB_VALUE_TEXT;
                v.s = g_strdup (s);
              }
          }
          break;
        case 'i':
          v.kind = SD_DB_VALUE_INT;
          v.i = va_arg (args, gint64);
          break;
        case 'b':
          v.kind = SD_DB_VALUE_INT;
          v.i = va_arg (args, gboolean) ? 1 : 0;
          break;
        case 'B':
          {
            GBytes *b = va_arg (args, GBytes *);
            if (b != NULL)
              {
                v.kind = SD_DB_VALUE_BYTES;
                v.b = g_bytes_ref (b);
              }
          }
          break;
        default:
          g_error ("sd_db: unknown parameter format character '%c'", *p);
        }
      g_array_append_val (params, v);
    }
  return params;
}

static SdDbRows *
run_query (SdDbConn    *conn,
           const char  *sql,
           const char  *fmt,
           va_list      args,
           gint64      *changes,
           GError     **error)
{
  g_autoptr(GArray) params = collect_params (fmt, args);
  g_autoptr(SdDbRows) rows = sd_db_rows_new ();
  gint64 n_changed = 0;

  if (!conn->db->vtable->query (conn, sql, (SdDbValue *) (gpointer) params->data,
                                params->len, rows, &n_changed, error))
    return NULL;
  if (changes != NULL)
    *changes = n_changed;
  return g_steal_pointer (&rows);
}

SdDbRows *
sd_db_query_va (SdDbConn    *conn,
                GError     **error,
                const char  *sql,
                const char  *fmt,
                va_list      args)
{
  return run_query (conn, sql, fmt, args, NULL, error);
}

SdDbRows *
sd_db_query (SdDbConn    *conn,
             GError     **error,
             const char  *sql,
             const char  *fmt,
             ...)
{
  va_list args;
  va_start (args, fmt);
  SdDbRows *rows = run_query (conn, sql, fmt, args, NULL, error);
  va_end (args);
  return rows;
}

gint64
sd_db_exec (SdDbConn    *conn,
            GError     **error,
            const char  *sql,
            const char  *fmt,
            ...)
{
  gint64 changes = 0;
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = run_query (conn, sql, fmt, args, &changes, error);
  va_end (args);
  return rows != NULL ? changes : -1;
}

SdDbRows *
sd_db_sys (SdDbConn    *conn,
           GError     **error,
           SdDbSys      query,
           const char  *fmt,
           ...)
{
  g_return_val_if_fail (query < SD_DB_SYS_N_QUERIES, NULL);
  const char *sql = conn->db->vtable->sys_sql[query];
  g_return_val_if_fail (sql != NULL, NULL);

  va_list args;
  va_start (args, fmt);
  SdDbRows *rows = run_query (conn, sql, fmt, args, NULL, error);
  va_end (args);
  return rows;
}

/* ---- results ---- */

SdDbRows *
sd_db_rows_new (void)
{
  SdDbRows *rows = g_new0 (SdDbRows, 1);
  rows->values = g_array_new (FALSE, TRUE, sizeof (SdDbValue));
  g_array_set_clear_func (rows->values, value_clear);
  return rows;
}

void
sd_db_rows_set_columns (SdDbRows *rows,
                        GStrv     columns)
{
  g_strfreev (rows->columns);
  rows->columns = columns;
  rows->n_columns = columns != NULL ? g_strv_length (columns) : 0;
}

void
sd_db_rows_append (SdDbRows  *rows,
                   SdDbValue *v)
{
  g_array_append_val (rows->values, *v);
  memset (v, 0, sizeof *v);
  if (rows->n_columns > 0)
    rows->n_rows = rows->values->len / rows->n_columns;
}

void
sd_db_rows_free (SdDbRows *rows)
{
  if (rows == NULL)
    return;
  g_strfreev (rows->columns);
  g_array_unref (rows->values);
  g_free (rows);
}

guint
sd_db_rows_n (SdDbRows *rows)
{
  return rows->n_rows;
}

guint
sd_db_rows_n_columns (SdDbRows *rows)
{
  return rows->n_columns;
}

int
sd_db_rows_column (SdDbRows   *rows,
                   const char *name)
{
  for (guint i = 0; i < rows->n_columns; i++)
    if (g_str_equal (rows->columns[i], name))
      return (int) i;
  return -1;
}

static SdDbValue *
value_at (SdDbRows   *rows,
          guint       row,
          const char *column)
{
  int col = sd_db_rows_column (rows, column);
  if (col < 0)
    g_error ("sd_db: the query returned no column named '%s'", column);
  g_assert (row < rows->n_rows);
  return &g_array_index (rows->values, SdDbValue, row * rows->n_columns + (guint) col);
}

const char *
sd_db_rows_text (SdDbRows   *rows,
                 guint       row,
                 const char *column)
{
  SdDbValue *v = value_at (rows, row, column);
  switch (v->kind)
    {
    case SD_DB_VALUE_TEXT:
      return v->s;
    case SD_DB_VALUE_INT:
      if (v->s == NULL)
        v->s = g_strdup_printf ("%" G_GINT64_FORMAT, v->i);
      return v->s;
    case SD_DB_VALUE_BYTES:
    case SD_DB_VALUE_NULL:
    default:
      return NULL;
    }
}

gint64
sd_db_rows_int (SdDbRows   *rows,
                guint       row,
                const char *column)
{
  SdDbValue *v = value_at (rows, row, column);
  if (v->kind == SD_DB_VALUE_INT)
    return v->i;
  if (v->kind == SD_DB_VALUE_TEXT)
    return g_ascii_strtoll (v->s, NULL, 10);
  return 0;
}

gboolean
sd_db_rows_bool (SdDbRows   *rows,
                 guint       row,
                 const char *column)
{
  SdDbValue *v = value_at (rows, row, column);
  if (v->kind == SD_DB_VALUE_INT)
    return v->i != 0;
  if (v->kind == SD_DB_VALUE_TEXT)
    return g_str_equal (v->s, "t") || g_str_equal (v->s, "true") || g_str_equal (v->s, "1");
  return FALSE;
}

gboolean
sd_db_rows_is_null (SdDbRows   *rows,
                    guint       row,
                    const char *column)
{
  return value_at (rows, row, column)->kind == SD_DB_VALUE_NULL;
}

GBytes *
sd_db_rows_bytes (SdDbRows   *rows,
                  guint       row,
                  const char *column)
{
  SdDbValue *v = value_at (rows, row, column);
  if (v->kind == SD_DB_VALUE_BYTES)
    return g_bytes_ref (v->b);
  if (v->kind == SD_DB_VALUE_TEXT)
    return g_bytes_new (v->s, strlen (v->s));
  return NULL;
}

/* ---- migrations ---- */

static void
migration_free (gpointer data)
{
  SdDbMigration *m = data;
  g_free (m->name);
  g_free (m->sql);
  g_free (m);
}

static int
migration_compare (gconstpointer a,
                   gconstpointer b)
{
  const SdDbMigration *ma = *(SdDbMigration * const *) a;
  const SdDbMigration *mb = *(SdDbMigration * const *) b;
  return ma->version < mb->version ? -1 : ma->version > mb->version;
}

GPtrArray *
sd_db_migrations_load (const char  *backend_dir,
                       GError     **error)
{
  g_autofree char *dir = g_strdup_printf ("/io/github/tandem/signald/store/migrations/%s/", backend_dir);
  g_auto(GStrv) names = g_resources_enumerate_children (dir, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return NULL;

  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (migration_free);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!g_str_has_suffix (names[i], ".sql"))
        continue;
      g_autofree char *path = g_strconcat (dir, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      SdDbMigration *m = g_new0 (SdDbMigration, 1);
      m->version = g_ascii_strtoll (names[i], NULL, 10);
      m->name = g_strdup (names[i]);
      m->sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (m->version <= 0)
        {
          migration_free (m);
          g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                       "migration %s has no version number", names[i]);
          return NULL;
        }
      g_ptr_array_add (list, m);
    }
  g_ptr_array_sort (list, migration_compare);
  return g_steal_pointer (&list);
}
