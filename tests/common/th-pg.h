/* th-pg.h — throwaway PostgreSQL databases for tests.
 *
 * The cluster comes from tests/pg-env.sh, which exports
 *   TANDEM_TEST_PG_ADMIN  superuser URL (…/postgres)
 *   TANDEM_TEST_PG_OWNER  the owner role (tandem_owner), no database
 *   TANDEM_TEST_PG_APP    the serving role (tandem_app), no database
 * A test creates its own database, builds URLs to it with th_pg_url() and
 * drops it at the end.  When TANDEM_TEST_PG_ADMIN is unset the PostgreSQL
 * tests skip (fail with TANDEM_TEST_REQUIRE_PG=1); when it is set, any
 * failure to reach the server is an error.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when TANDEM_TEST_PG_ADMIN is set (PostgreSQL tests should run). */
gboolean  th_pg_configured     (void);

/* Creates a database with a unique name, owned by tandem_owner, through the
 * admin URL.  Returns the name (free with g_free), or NULL with @error set:
 * G_IO_ERROR_NOT_SUPPORTED when TANDEM_TEST_PG_ADMIN is unset (skip the
 * test) unless TANDEM_TEST_REQUIRE_PG=1, G_IO_ERROR_FAILED for anything
 * else (fail the test). */
char     *th_pg_create_database (GError **error);

/* Drops @name (terminating its connections); failures are only logged.
 * NULL is ignored. */
void      th_pg_drop_database   (const char *name);

/* The URL in environment variable @base_env with its database path replaced
 * by @dbname (query parameters kept).  NULL when the variable is unset.
 * Free with g_free. */
char     *th_pg_url             (const char *base_env,
                                 const char *dbname);

G_END_DECLS
