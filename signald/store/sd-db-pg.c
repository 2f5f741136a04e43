/* sd-db-pg.c — the PostgreSQL backend of sd-db, over libpq.
 *
 * Two roles (see migrations/postgres/0001_foundation.sql for the policies):
 * the owner role (owner_url) runs the migrations and owns every table and
 * the SECURITY DEFINER functions behind the system queries; the serving role
 * (url) reads and writes through row-level security only.  sd_db_open()
 * migrates as the owner under an advisory lock, grants the serving role what
 * it needs, and refuses to serve (SD_DB_ERROR_UNSAFE) from a role that could
 * see past the policies.
 *
 * One PGconn per SdDbConn, with a cache of prepared statements keyed by SQL
 * text.  Parameters go out in text form with types inferred by the server,
 * except bytes (binary bytea); results come back in text form, with integers
 * and booleans decoded to integers and bytea unescaped.  Error messages carry
 * the SQLSTATE and PostgreSQL's primary message, never parameter values.
 */
#define G_LOG_DOMAIN "sd-db-pg"

#include "sd-db-private.h"

#include <libpq-fe.h>
#include <string.h>

/* Type oids from pg_type.h (not installed with libpq's headers). */
#define PG_BOOLOID   16
#define PG_BYTEAOID  17
#define PG_INT8OID   20
#define PG_INT2OID   21
#define PG_INT4OID   23
#define PG_OIDOID    26

/* pg_advisory_xact_lock key serializing migrations and grants ("tandem"). */
#define MIGRATION_LOCK_KEY "127961812723053"

/* Prepared statements kept per connection before the cache is emptied. */
#define MAX_CACHED_STATEMENTS 1024

typedef struct {
  char *url;
} PgDb;

typedef struct {
  char *name;       /* server-side statement name */
  int n_params;     /* parameters the statement takes */
} PgStatement;

typedef struct {
  PGconn *pg;
  GHashTable *stmts;  /* sql (owned) -> PgStatement */
  guint64 next_stmt;
} PgConn;

static void
statement_free (gpointer data)
{
  PgStatement *st = data;
  g_free (st->name);
  g_free (st);
}

static void
notice_processor (void       *arg,
                  const char *message)
{
  g_autofree char *line = g_strdup (message);
  g_debug ("%s", g_strchomp (line));
}

/* The part of @message before its first ':' when that part quotes nothing;
 * else NULL.  Used where PostgreSQL may echo a value after the colon. */
static char *
redacted_message (const char *message)
{
  if (message == NULL)
    return NULL;
  const char *colon = strchr (message, ':');
  g_autofree char *head = colon != NULL ? g_strndup (message, (gsize) (colon - message))
                                        : g_strdup (message);
  if (strchr (head, '"') != NULL || strchr (head, '\'') != NULL)
    return NULL;
  return g_strstrip (g_steal_pointer (&head));
}

static SdDbError
error_code_for_sqlstate (const char *sqlstate)
{
  if (sqlstate == NULL)
    return SD_DB_ERROR_FAILED;
  if (g_str_equal (sqlstate, "23P01"))   /* exclusion_violation */
    return SD_DB_ERROR_OVERLAP;
  if (g_str_has_prefix (sqlstate, "23"))
    return SD_DB_ERROR_CONSTRAINT;
  if (g_str_equal (sqlstate, "40001") || g_str_equal (sqlstate, "40P01") ||
      g_str_equal (sqlstate, "55P03"))
    return SD_DB_ERROR_BUSY;
  return SD_DB_ERROR_FAILED;
}

/* Sets @error from a failed @res (which may be NULL when libpq returned no
 * result), prefixed with @what.  Data exceptions (class 22) echo the
 * offending value, so only their generic part is kept. */
static void
set_pg_error (GError     **error,
              PGconn      *pg,
              PGresult    *res,
              const char  *what)
{
  const char *sqlstate = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  SdDbError code = error_code_for_sqlstate (sqlstate);

  if (sqlstate == NULL)
    {
      g_autofree char *msg = g_strdup (pg != NULL ? PQerrorMessage (pg) : "");
      g_strstrip (msg);
      g_set_error (error, SD_DB_ERROR, code, "%s: %s", what,
                   *msg != '\0' ? msg : "no result from the PostgreSQL server");
      return;
    }

  const char *primary = PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY);
  g_autofree char *redacted = NULL;
  if (g_str_has_prefix (sqlstate, "22"))
    {
      redacted = redacted_message (primary);
      primary = redacted != NULL ? redacted : "invalid value";
    }
  const char *constraint = PQresultErrorField (res, PG_DIAG_CONSTRAINT_NAME);
  if (constraint != NULL)
    g_set_error (error, SD_DB_ERROR, code, "%s: %s (SQLSTATE %s, constraint %s)",
                 what, primary != NULL ? primary : "error", sqlstate, constraint);
  else
    g_set_error (error, SD_DB_ERROR, code, "%s: %s (SQLSTATE %s)",
                 what, primary != NULL ? primary : "error", sqlstate);
}

/* Connects to @url with signald's defaults: application_name "signald"
 * unless the URL names one, UTF-8.  Returns NULL with @error set. */
static PGconn *
pg_connect (const char  *url,
            GError     **error)
{
  char *parse_error = NULL;
  PQconninfoOption *opts = PQconninfoParse (url, &parse_error);
  if (opts == NULL)
    {
      /* libpq quotes the offending part of the URL, which may be a password. */
      g_autofree char *msg = redacted_message (parse_error);
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG, "invalid PostgreSQL URL%s%s",
                   msg != NULL ? ": " : "", msg != NULL ? msg : "");
      PQfreemem (parse_error);
      return NULL;
    }
  PQconninfoFree (opts);

  /* Later keywords override earlier ones, including the URL's own. */
  static const char *const keywords[] = {
    "fallback_application_name", "dbname", "client_encoding", NULL
  };
  const char *const values[] = { "signald", url, "UTF8", NULL };
  PGconn *pg = PQconnectdbParams (keywords, values, 1);
  if (pg == NULL)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                   "cannot connect to PostgreSQL: out of memory");
      return NULL;
    }
  if (PQstatus (pg) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strdup (PQerrorMessage (pg));
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                   "cannot connect to PostgreSQL: %s", g_strstrip (msg));
      PQfinish (pg);
      return NULL;
    }
  PQsetNoticeProcessor (pg, notice_processor, NULL);
  return pg;
}

/* Runs @sql (no parameters; may hold several statements) and checks it
 * succeeded.  For DDL and transaction control. */
static gboolean
exec_simple (PGconn      *pg,
             const char  *sql,
             const char  *what,
             GError     **error)
{
  PGresult *res = PQexec (pg, sql);
  ExecStatusType status = PQresultStatus (res);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  if (!ok)
    set_pg_error (error, pg, res, what);
  PQclear (res);
  return ok;
}

/* Runs a one-row query with text parameters and returns the first column
 * of its first row (NULL for SQL NULL or no row) in *@value. */
static gboolean
query_value (PGconn       *pg,
             const char   *sql,
             int           n_params,
             const char  **params,
             char        **value,
             GError      **error)
{
  PGresult *res = PQexecParams (pg, sql, n_params, NULL, params, NULL, NULL, 0);
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      set_pg_error (error, pg, res, "query failed");
      PQclear (res);
      return FALSE;
    }
  *value = PQntuples (res) > 0 && PQnfields (res) > 0 && !PQgetisnull (res, 0, 0)
           ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;
  PQclear (res);
  return TRUE;
}

static void
rollback_if_open (PGconn *pg)
{
  if (PQtransactionStatus (pg) != PQTRANS_IDLE && PQstatus (pg) == CONNECTION_OK)
    {
      PGresult *res = PQexec (pg, "ROLLBACK");
      PQclear (res);
    }
}

/* ---- migrations and safety ---- */

static gboolean
begin_locked (PGconn  *pg,
              GError **error)
{
  if (!exec_simple (pg, "BEGIN", "cannot start a migration transaction", error))
    return FALSE;
  if (!exec_simple (pg,
                    "SELECT pg_catalog.pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ");"
                    "SET LOCAL search_path = public, pg_temp;"
                    "SET LOCAL client_min_messages = warning",
                    "cannot take the migration lock", error))
    {
      rollback_if_open (pg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
current_version (PGconn  *pg,
                 gint64  *version,
                 GError **error)
{
  g_autofree char *value = NULL;
  if (!query_value (pg, "SELECT COALESCE(max(version), 0) FROM public.schema_migrations",
                    0, NULL, &value, error))
    return FALSE;
  *version = value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
  return TRUE;
}

/* Applies the embedded migrations not yet recorded, each in its own
 * transaction, holding the advisory lock so that concurrent signald
 * processes apply each migration once. */
static gboolean
migrate (SdDb    *db,
         PGconn  *pg,
         GError **error)
{
  g_autoptr(GPtrArray) migrations = sd_db_migrations_load ("postgres", error);
  if (migrations == NULL)
    return FALSE;

  if (!begin_locked (pg, error))
    return FALSE;
  if (!exec_simple (pg,
                    "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
                    " version bigint PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
                    "cannot create schema_migrations", error) ||
      !exec_simple (pg, "COMMIT", "cannot create schema_migrations", error))
    {
      rollback_if_open (pg);
      return FALSE;
    }

  for (guint i = 0; i < migrations->len; i++)
    {
      SdDbMigration *m = g_ptr_array_index (migrations, i);
      gint64 version = 0;

      if (!begin_locked (pg, error))
        return FALSE;
      if (!current_version (pg, &version, error))
        {
          rollback_if_open (pg);
          return FALSE;
        }
      if (m->version <= version)
        {
          rollback_if_open (pg);
          continue;
        }

      g_autoptr(GError) local_error = NULL;
      g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, m->version);
      g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   g_get_real_time () / G_USEC_PER_SEC);
      const char *record[] = { version_text, m->name, now_text };
      g_autofree char *ignored = NULL;
      if (!exec_simple (pg, m->sql, "statement failed", &local_error) ||
          !query_value (pg,
                        "INSERT INTO public.schema_migrations (version, name, applied_at)"
                        " VALUES ($1, $2, $3) RETURNING version",
                        3, record, &ignored, &local_error) ||
          !exec_simple (pg, "COMMIT", "commit failed", &local_error))
        {
          rollback_if_open (pg);
          g_set_error (error, SD_DB_ERROR, local_error->code,
                       "migration %s failed: %s", m->name, local_error->message);
          return FALSE;
        }
      g_debug ("applied migration %s", m->name);
    }

  return current_version (pg, &db->schema_version, error);
}

/* The owner's objects of one kind in schema public, as a comma-separated
 * list quoted by the server, or NULL when there are none. */
static const char *const owned_objects_sql[] = {
  /* tables and views but schema_migrations, which is read-only to serving */
  "SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.relname)"
  "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
  " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
  "   AND c.relname <> 'schema_migrations'"
  "   AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)",
  /* sequences */
  "SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.relname)"
  "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
  " WHERE n.nspname = 'public' AND c.relkind = 'S'"
  "   AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)",
  /* functions */
  "SELECT string_agg(format('%I.%I(%s)', n.nspname, p.proname,"
  "                         pg_catalog.pg_get_function_identity_arguments(p.oid)), ', '"
  "                  ORDER BY p.proname)"
  "  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
  " WHERE n.nspname = 'public' AND p.prokind = 'f'"
  "   AND p.proowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)",
};

/* What the serving role gets on each list above. */
static const char *const grant_prefix[] = {
  "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ",
  "GRANT USAGE, SELECT ON SEQUENCE ",
  "GRANT EXECUTE ON FUNCTION ",
};

/* Grants the serving role @role what it needs on the owner's objects in
 * schema public (objects of other owners are left alone).  Runs under the
 * migration lock: concurrent GRANTs on one object can fail. */
static gboolean
grant_serving_role (PGconn      *pg,
                    const char  *role,
                    GError     **error)
{
  char *escaped = PQescapeIdentifier (pg, role, strlen (role));
  if (escaped == NULL)
    {
      set_pg_error (error, pg, NULL, "cannot quote the serving role's name");
      return FALSE;
    }
  g_autofree char *ident = g_strdup (escaped);
  PQfreemem (escaped);

  if (!begin_locked (pg, error))
    return FALSE;

  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *has_usage = NULL;
  const char *params[] = { role };
  if (!query_value (pg, "SELECT pg_catalog.has_schema_privilege($1, 'public', 'USAGE')",
                    1, params, &has_usage, error))
    goto fail;
  if (g_strcmp0 (has_usage, "t") != 0)
    g_string_append_printf (sql, "GRANT USAGE ON SCHEMA public TO %s;", ident);
  g_string_append_printf (sql, "GRANT SELECT ON TABLE public.schema_migrations TO %s;", ident);

  G_STATIC_ASSERT (G_N_ELEMENTS (owned_objects_sql) == G_N_ELEMENTS (grant_prefix));
  for (guint i = 0; i < G_N_ELEMENTS (owned_objects_sql); i++)
    {
      g_autofree char *objects = NULL;
      if (!query_value (pg, owned_objects_sql[i], 0, NULL, &objects, error))
        goto fail;
      if (objects != NULL)
        g_string_append_printf (sql, "%s%s TO %s;", grant_prefix[i], objects, ident);
    }

  if (!exec_simple (pg, sql->str, "cannot grant the serving role its privileges", error) ||
      !exec_simple (pg, "COMMIT", "cannot grant the serving role its privileges", error))
    goto fail;
  return TRUE;

fail:
  rollback_if_open (pg);
  return FALSE;
}

/* Fails with SD_DB_ERROR_UNSAFE when the role of @pg (the serving role)
 * ignores row-level security by its attributes or is a member of
 * @owner_role.  Checked before anything is granted to it. */
static gboolean
check_serving_role (PGconn      *pg,
                    const char  *role,
                    const char  *owner_role,
                    GError     **error)
{
  g_autofree char *value = NULL;
  const char *params[] = { owner_role };

  if (!query_value (pg,
                    "SELECT CASE WHEN r.rolsuper THEN 'SUPERUSER'"
                    "            WHEN r.rolbypassrls THEN 'BYPASSRLS' END"
                    "  FROM pg_catalog.pg_roles r WHERE r.rolname = current_user",
                    0, NULL, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_UNSAFE,
                   "refusing to serve as PostgreSQL role \"%s\": it has %s, which ignores "
                   "row-level security; serve from a role without SUPERUSER and BYPASSRLS",
                   role, value);
      return FALSE;
    }

  if (!query_value (pg, "SELECT pg_catalog.pg_has_role(current_user, $1::name, 'MEMBER')",
                    1, params, &value, error))
    return FALSE;
  if (g_strcmp0 (value, "t") == 0)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_UNSAFE,
                   "refusing to serve as PostgreSQL role \"%s\": it is (or is a member of) "
                   "the owner role \"%s\", and owners can lift row-level security; run "
                   "migrations as a separate owner role (owner URL) and serve from a role "
                   "that owns nothing", role, owner_role);
      return FALSE;
    }
  return TRUE;
}

/* Fails with SD_DB_ERROR_UNSAFE unless the role of @pg (the serving role)
 * is subject to every tenant policy of the migrated schema: it owns nothing
 * there, every tenant table has forced row-level security, and no policy
 * but tenant_isolation applies to it. */
static gboolean
check_schema (PGconn      *pg,
              const char  *role,
              GError     **error)
{
  g_autofree char *value = NULL;

  if (!query_value (pg,
                    "SELECT o.name FROM ("
                    " SELECT c.relname::text AS name, c.relkind <> 'r' AS later"
                    "   FROM pg_catalog.pg_class c"
                    "   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    "  WHERE n.nspname = 'public'"
                    "    AND pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER')"
                    " UNION ALL"
                    " SELECT p.proname::text, true FROM pg_catalog.pg_proc p"
                    "   JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                    "  WHERE n.nspname = 'public'"
                    "    AND pg_catalog.pg_has_role(current_user, p.proowner, 'MEMBER')"
                    ") AS o ORDER BY o.later, o.name LIMIT 1",
                    0, NULL, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_UNSAFE,
                   "refusing to serve as PostgreSQL role \"%s\": it owns (or is a member of "
                   "the role that owns) \"%s\", and owners can lift row-level security; "
                   "run migrations as a separate owner role (owner URL) and serve from a "
                   "role that owns nothing", role, value);
      return FALSE;
    }

  if (!query_value (pg,
                    "SELECT c.relname::text FROM pg_catalog.pg_class c"
                    "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
                    "   AND (c.relname = 'organizations' OR EXISTS ("
                    "        SELECT 1 FROM pg_catalog.pg_attribute a"
                    "         WHERE a.attrelid = c.oid AND a.attname = 'org_id'"
                    "           AND NOT a.attisdropped))"
                    "   AND NOT (c.relrowsecurity AND c.relforcerowsecurity)"
                    " ORDER BY 1 LIMIT 1",
                    0, NULL, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_UNSAFE,
                   "refusing to serve: tenant table \"%s\" does not have both ENABLE and "
                   "FORCE ROW LEVEL SECURITY", value);
      return FALSE;
    }

  /* Permissive policies are OR-ed: any besides tenant_isolation that
   * applies to the serving role would widen what it sees. */
  if (!query_value (pg,
                    "SELECT c.relname || '.' || p.polname FROM pg_catalog.pg_policy p"
                    "  JOIN pg_catalog.pg_class c ON c.oid = p.polrelid"
                    "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND p.polpermissive"
                    "   AND p.polname <> 'tenant_isolation'"
                    "   AND EXISTS (SELECT 1 FROM unnest(p.polroles) AS r(oid)"
                    "                WHERE r.oid = 0"
                    "                   OR pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'))"
                    " ORDER BY 1 LIMIT 1",
                    0, NULL, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_UNSAFE,
                   "refusing to serve as PostgreSQL role \"%s\": policy %s applies to it "
                   "besides tenant_isolation", role, value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_open (SdDb        *db,
         const char  *url,
         const char  *owner_url,
         GError     **error)
{
  if (owner_url == NULL)
    owner_url = url;

  PGconn *app = pg_connect (url, error);
  if (app == NULL)
    return FALSE;
  g_autofree char *app_role = NULL;
  if (!query_value (app, "SELECT current_user::text", 0, NULL, &app_role, error))
    {
      PQfinish (app);
      return FALSE;
    }

  PGconn *owner = pg_connect (owner_url, error);
  if (owner == NULL)
    {
      PQfinish (app);
      return FALSE;
    }
  /* The role checks come first so that an unsafe role is granted nothing;
   * the schema checks need the migrated schema. */
  g_autofree char *owner_role = NULL;
  gboolean ok = query_value (owner, "SELECT current_user::text", 0, NULL, &owner_role, error) &&
                check_serving_role (app, app_role, owner_role, error) &&
                migrate (db, owner, error) &&
                grant_serving_role (owner, app_role, error);
  PQfinish (owner);

  if (ok)
    ok = check_schema (app, app_role, error);
  PQfinish (app);
  if (!ok)
    return FALSE;

  PgDb *pdb = g_new0 (PgDb, 1);
  pdb->url = g_strdup (url);
  db->backend_data = pdb;
  return TRUE;
}

static void
pg_close (SdDb *db)
{
  PgDb *pdb = db->backend_data;
  g_free (pdb->url);
  g_free (pdb);
  db->backend_data = NULL;
}

/* ---- connections ---- */

static gboolean
pg_connect_conn (SdDbConn  *conn,
                 GError   **error)
{
  PgDb *pdb = conn->db->backend_data;
  PGconn *pg = pg_connect (pdb->url, error);
  if (pg == NULL)
    return FALSE;
  PgConn *pc = g_new0 (PgConn, 1);
  pc->pg = pg;
  pc->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  conn->backend_data = pc;
  return TRUE;
}

static void
pg_disconnect (SdDbConn *conn)
{
  PgConn *pc = conn->backend_data;
  g_hash_table_destroy (pc->stmts);
  PQfinish (pc->pg);
  g_free (pc);
  conn->backend_data = NULL;
}

/* Reconnects a connection the server dropped (restart, failover); only
 * called outside transactions.  Prepared statements die with the session. */
static gboolean
ensure_connected (PgConn  *pc,
                  GError **error)
{
  /* A pipeline left open by a send that failed half-way counts as broken. */
  if (PQstatus (pc->pg) == CONNECTION_OK && PQpipelineStatus (pc->pg) == PQ_PIPELINE_OFF)
    return TRUE;
  g_hash_table_remove_all (pc->stmts);
  PQreset (pc->pg);
  if (PQstatus (pc->pg) != CONNECTION_OK)
    {
      set_pg_error (error, pc->pg, NULL, "lost the connection to PostgreSQL");
      return FALSE;
    }
  g_message ("reconnected to PostgreSQL");
  return TRUE;
}

/* Reads the results of one pipelined query; FALSE with @error set when it
 * did not end in @want. */
static gboolean
pipeline_take (PGconn          *pg,
               ExecStatusType   want,
               const char      *what,
               GError         **error)
{
  gboolean ok = TRUE;
  PGresult *res;
  while ((res = PQgetResult (pg)) != NULL)
    {
      if (ok && PQresultStatus (res) != want)
        {
          set_pg_error (error, pg, res, what);
          ok = FALSE;
        }
      PQclear (res);
    }
  return ok;
}

/* BEGIN and the tenant setting in one round trip. */
static gboolean
begin_once (PgConn      *pc,
            SdDbTxKind   kind,
            const char  *org_id,
            GError     **error)
{
  const char *begin_sql = kind == SD_DB_TX_READ ? "BEGIN READ ONLY" : "BEGIN";
  const char *params[] = { org_id != NULL ? org_id : "" };
  if (!PQenterPipelineMode (pc->pg) ||
      !PQsendQueryParams (pc->pg, begin_sql, 0, NULL, NULL, NULL, NULL, 0) ||
      !PQsendQueryParams (pc->pg, "SELECT pg_catalog.set_config('tandem.org_id', $1, true)",
                          1, NULL, params, NULL, NULL, 0) ||
      !PQpipelineSync (pc->pg))
    {
      set_pg_error (error, pc->pg, NULL, "cannot begin a transaction");
      PQexitPipelineMode (pc->pg);
      return FALSE;
    }

  g_autoptr(GError) local_error = NULL;
  gboolean ok = pipeline_take (pc->pg, PGRES_COMMAND_OK, "cannot begin a transaction", &local_error);
  if (!pipeline_take (pc->pg, PGRES_TUPLES_OK, "cannot set the organization", ok ? &local_error : NULL))
    ok = FALSE;
  PGresult *sync = PQgetResult (pc->pg);
  if (PQresultStatus (sync) != PGRES_PIPELINE_SYNC && ok)
    {
      set_pg_error (&local_error, pc->pg, sync, "cannot begin a transaction");
      ok = FALSE;
    }
  PQclear (sync);
  PQexitPipelineMode (pc->pg);

  if (!ok)
    {
      rollback_if_open (pc->pg);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_begin (SdDbConn    *conn,
          SdDbTxKind   kind,
          const char  *org_id,
          GError     **error)
{
  PgConn *pc = conn->backend_data;
  if (!ensure_connected (pc, error))
    return FALSE;

  g_autoptr(GError) local_error = NULL;
  if (begin_once (pc, kind, org_id, &local_error))
    return TRUE;
  /* A connection the server closed while idle (restart, idle timeout) is
   * only noticed now; nothing ran yet, so reconnecting and retrying is safe. */
  if (PQstatus (pc->pg) != CONNECTION_BAD)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return ensure_connected (pc, error) && begin_once (pc, kind, org_id, error);
}

static gboolean
pg_commit (SdDbConn  *conn,
           GError   **error)
{
  PgConn *pc = conn->backend_data;
  PGresult *res = PQexec (pc->pg, "COMMIT");
  gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    set_pg_error (error, pc->pg, res, "commit failed");
  else if (!g_str_equal (PQcmdStatus (res), "COMMIT"))
    {
      /* COMMIT of a transaction in which a statement failed rolls back. */
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                   "commit failed: the transaction was rolled back after an earlier error");
      ok = FALSE;
    }
  PQclear (res);
  return ok;
}

static void
pg_rollback (SdDbConn *conn)
{
  PgConn *pc = conn->backend_data;
  rollback_if_open (pc->pg);
}

/* The prepared statement for @sql on this connection, preparing it on first
 * use.  Returns NULL with @error set. */
static PgStatement *
prepare_cached (PgConn      *pc,
                const char  *sql,
                GError     **error)
{
  PgStatement *st = g_hash_table_lookup (pc->stmts, sql);
  if (st != NULL)
    return st;

  if (g_hash_table_size (pc->stmts) >= MAX_CACHED_STATEMENTS)
    {
      /* DEALLOCATE is not transactional and works in any transaction state. */
      if (!exec_simple (pc->pg, "DEALLOCATE ALL", "cannot empty the statement cache", error))
        return NULL;
      g_hash_table_remove_all (pc->stmts);
    }

  g_autofree char *name = g_strdup_printf ("sd%" G_GUINT64_FORMAT, pc->next_stmt++);
  PGresult *res = PQprepare (pc->pg, name, sql, 0, NULL);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_pg_error (error, pc->pg, res, "cannot prepare statement");
      PQclear (res);
      return NULL;
    }
  PQclear (res);

  res = PQdescribePrepared (pc->pg, name);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_pg_error (error, pc->pg, res, "cannot describe statement");
      PQclear (res);
      return NULL;
    }
  st = g_new0 (PgStatement, 1);
  st->name = g_steal_pointer (&name);
  st->n_params = PQnparams (res);
  PQclear (res);
  g_hash_table_insert (pc->stmts, g_strdup (sql), st);
  return st;
}

static void
append_value (SdDbRows *rows,
              PGresult *res,
              int       r,
              int       c)
{
  SdDbValue v = { 0 };
  if (!PQgetisnull (res, r, c))
    {
      const char *text = PQgetvalue (res, r, c);
      switch (PQftype (res, c))
        {
        case PG_INT2OID:
        case PG_INT4OID:
        case PG_INT8OID:
        case PG_OIDOID:
          v.kind = SD_DB_VALUE_INT;
          v.i = g_ascii_strtoll (text, NULL, 10);
          break;
        case PG_BOOLOID:
          /* Integers 0/1, as SQLite returns them. */
          v.kind = SD_DB_VALUE_INT;
          v.i = text[0] == 't';
          break;
        case PG_BYTEAOID:
          {
            size_t len = 0;
            unsigned char *data = PQunescapeBytea ((const unsigned char *) text, &len);
            if (data != NULL)
              {
                v.kind = SD_DB_VALUE_BYTES;
                v.b = g_bytes_new_with_free_func (data, len, PQfreemem, data);
              }
          }
          break;
        default:
          v.kind = SD_DB_VALUE_TEXT;
          v.s = g_strdup (text);
          break;
        }
    }
  sd_db_rows_append (rows, &v);
}

static gboolean
pg_query (SdDbConn         *conn,
          const char       *sql,
          const SdDbValue  *params,
          guint             n_params,
          SdDbRows         *rows,
          gint64           *changes,
          GError          **error)
{
  PgConn *pc = conn->backend_data;
  if (!conn->in_tx && !ensure_connected (pc, error))
    return FALSE;

  PgStatement *st = prepare_cached (pc, sql, error);
  if (st == NULL)
    return FALSE;
  if ((guint) st->n_params > n_params)
    {
      g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                   "SQL parameter $%u has no argument (%u given)", n_params + 1, n_params);
      return FALSE;
    }

  /* Extra arguments are ignored, as on SQLite. */
  int n = st->n_params;
  g_autofree const char **values = g_new0 (const char *, n + 1);
  g_autofree int *lengths = g_new0 (int, n + 1);
  g_autofree int *formats = g_new0 (int, n + 1);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n; i++)
    {
      const SdDbValue *v = &params[i];
      switch (v->kind)
        {
        case SD_DB_VALUE_INT:
          {
            char *text = g_strdup_printf ("%" G_GINT64_FORMAT, v->i);
            g_ptr_array_add (texts, text);
            values[i] = text;
          }
          break;
        case SD_DB_VALUE_TEXT:
          values[i] = v->s;
          break;
        case SD_DB_VALUE_BYTES:
          {
            gsize size = 0;
            gconstpointer data = g_bytes_get_data (v->b, &size);
            if (size > G_MAXINT)
              {
                g_set_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED,
                             "SQL parameter $%d is too large", i + 1);
                return FALSE;
              }
            values[i] = data != NULL ? data : "";
            lengths[i] = (int) size;
            formats[i] = 1;
          }
          break;
        case SD_DB_VALUE_NULL:
        default:
          values[i] = NULL;
          break;
        }
    }

  PGresult *res = PQexecPrepared (pc->pg, st->name, n, values, lengths, formats, 0);
  ExecStatusType status = PQresultStatus (res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      const char *sqlstate = PQresultErrorField (res, PG_DIAG_SQLSTATE);
      /* A statement the server no longer has, or whose result type changed
       * under it (a migration by another instance): prepare afresh next time. */
      if (g_strcmp0 (sqlstate, "26000") == 0 || g_strcmp0 (sqlstate, "0A000") == 0)
        g_hash_table_remove (pc->stmts, sql);
      set_pg_error (error, pc->pg, res, "query failed");
      PQclear (res);
      return FALSE;
    }

  int n_fields = PQnfields (res);
  GStrv columns = g_new0 (char *, n_fields + 1);
  for (int c = 0; c < n_fields; c++)
    columns[c] = g_strdup (PQfname (res, c));
  sd_db_rows_set_columns (rows, columns);

  int n_tuples = PQntuples (res);
  for (int r = 0; r < n_tuples; r++)
    for (int c = 0; c < n_fields; c++)
      append_value (rows, res, r, c);

  if (changes != NULL)
    {
      const char *cmd = PQcmdStatus (res);
      gboolean writes = g_str_has_prefix (cmd, "INSERT ") || g_str_has_prefix (cmd, "UPDATE ") ||
                        g_str_has_prefix (cmd, "DELETE ") || g_str_has_prefix (cmd, "MERGE ");
      *changes = writes ? g_ascii_strtoll (PQcmdTuples (res), NULL, 10) : 0;
    }
  PQclear (res);
  return TRUE;
}

/* The PostgreSQL backend, chosen by sd_db_open() for postgres:// and
 * postgresql:// URLs.  The system queries call the SECURITY DEFINER
 * functions of the migrations.  SD_DB_SYS_OUTBOX_PENDING claims the rows it
 * returns (a 300 s lease) and SD_DB_SYS_MEDIA_CLAIM claims a video, so they
 * write: call them outside a transaction or in a write transaction, never
 * in a SD_DB_TX_READ one. */
const SdDbVTable sd_db_pg_vtable = {
  .backend = SD_DB_BACKEND_POSTGRES,
  .open = pg_open,
  .close = pg_close,
  .connect = pg_connect_conn,
  .disconnect = pg_disconnect,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .query = pg_query,
  .sys_sql = {
    [SD_DB_SYS_LOGIN_LOOKUP] = "SELECT * FROM tandem_login_lookup($1)",
    [SD_DB_SYS_SESSION_LOOKUP] = "SELECT * FROM tandem_session_lookup($1, $2)",
    [SD_DB_SYS_INVITATION_LOOKUP] = "SELECT * FROM tandem_invitation_lookup($1)",
    [SD_DB_SYS_INVITATION_AVATAR] = "SELECT * FROM tandem_invitation_avatar($1)",
    [SD_DB_SYS_OUTBOX_PENDING] = "SELECT * FROM tandem_outbox_pending($1, $2)",
    [SD_DB_SYS_OUTBOX_DONE] = "SELECT tandem_outbox_done($1, $2) AS done",
    [SD_DB_SYS_OUTBOX_RETRY] = "SELECT tandem_outbox_retry($1, $2, $3) AS retried",
    [SD_DB_SYS_ORG_EXISTS] = "SELECT t.found FROM tandem_org_exists($1) AS t(found)",
    [SD_DB_SYS_MEDIA_CLAIM] = "SELECT * FROM tandem_media_claim($1, $2)",
    [SD_DB_SYS_UPLOADS_EXPIRED] = "SELECT * FROM tandem_uploads_expired($1, $2)",
    [SD_DB_SYS_CALL_TOKEN_LOOKUP] = "SELECT * FROM tandem_call_token_lookup($1, $2)",
  },
};
