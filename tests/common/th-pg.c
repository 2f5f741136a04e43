/* th-pg.c — throwaway PostgreSQL databases for tests; see th-pg.h. */
#define G_LOG_DOMAIN "th-pg"

#include "th-pg.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

#define ADMIN_ENV "TANDEM_TEST_PG_ADMIN"
#define OWNER_ROLE "tandem_owner"

gboolean
th_pg_configured (void)
{
  const char *admin = g_getenv (ADMIN_ENV);
  return admin != NULL && *admin != '\0';
}

/* A connection to the admin URL, or NULL with @error set. */
static PGconn *
admin_connect (GError **error)
{
  if (!th_pg_configured ())
    {
      /* CI sets TANDEM_TEST_REQUIRE_PG=1: there a missing cluster fails. */
      gboolean required = g_strcmp0 (g_getenv ("TANDEM_TEST_REQUIRE_PG"), "1") == 0;
      g_set_error (error, G_IO_ERROR, required ? G_IO_ERROR_FAILED : G_IO_ERROR_NOT_SUPPORTED,
                   ADMIN_ENV " is not set; start a cluster with tests/pg-env.sh");
      return NULL;
    }
  PGconn *pg = PQconnectdb (g_getenv (ADMIN_ENV));
  if (PQstatus (pg) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strdup (PQerrorMessage (pg));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "cannot reach PostgreSQL at " ADMIN_ENV ": %s", g_strstrip (msg));
      PQfinish (pg);
      return NULL;
    }
  return pg;
}

/* Runs @sql on @pg; FALSE with @error set on failure. */
static gboolean
admin_exec (PGconn      *pg,
            const char  *sql,
            GError     **error)
{
  PGresult *res = PQexec (pg, sql);
  gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    {
      g_autofree char *msg = g_strdup (PQerrorMessage (pg));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, g_strstrip (msg));
    }
  PQclear (res);
  return ok;
}

char *
th_pg_create_database (GError **error)
{
  static gint counter;

  PGconn *pg = admin_connect (error);
  if (pg == NULL)
    return NULL;

  g_autofree char *name = g_strdup_printf ("tandem_test_%d_%d_%08x", (int) getpid (),
                                           g_atomic_int_add (&counter, 1), g_random_int ());
  char *ident = PQescapeIdentifier (pg, name, strlen (name));
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s OWNER " OWNER_ROLE, ident);
  PQfreemem (ident);
  gboolean ok = admin_exec (pg, sql, error);
  PQfinish (pg);
  return ok ? g_steal_pointer (&name) : NULL;
}

void
th_pg_drop_database (const char *name)
{
  if (name == NULL)
    return;
  g_autoptr(GError) error = NULL;
  PGconn *pg = admin_connect (&error);
  if (pg == NULL)
    {
      g_message ("cannot drop test database %s: %s", name, error->message);
      return;
    }
  char *ident = PQescapeIdentifier (pg, name, strlen (name));
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", ident);
  PQfreemem (ident);
  if (!admin_exec (pg, sql, &error))
    g_message ("cannot drop test database %s: %s", name, error->message);
  PQfinish (pg);
}

char *
th_pg_url (const char *base_env,
           const char *dbname)
{
  const char *base = g_getenv (base_env);
  if (base == NULL || *base == '\0')
    return NULL;

  const char *scheme_end = strstr (base, "://");
  if (scheme_end == NULL)   /* key=value form: a later dbname wins */
    return g_strdup_printf ("%s dbname=%s", base, dbname);

  const char *authority = scheme_end + 3;
  gsize authority_len = strcspn (authority, "/?");
  const char *query = strchr (authority + authority_len, '?');
  return g_strdup_printf ("%.*s/%s%s", (int) (authority + authority_len - base), base,
                          dbname, query != NULL ? query : "");
}
