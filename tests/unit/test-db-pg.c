/* test-db-pg.c — the PostgreSQL backend of sd-db against a real server:
 * parameters and result types, row-level security between organizations,
 * the system queries, error mapping, and the refusal to serve from an
 * unsafe role.
 *
 * Needs the cluster from tests/pg-env.sh (TANDEM_TEST_PG_ADMIN, _OWNER,
 * _APP).  Without TANDEM_TEST_PG_ADMIN the database tests skip; with it set
 * but the server unreachable they fail.
 */
#include "store/sd-db.h"
#include "store/sd-db-private.h"
#include "sd-resources.h"

#include <gio/gio.h>

#ifdef HAVE_POSTGRES

#include "th-pg.h"

#include <libpq-fe.h>
#include <string.h>

typedef struct {
  char *dbname;
  char *app_url;
  char *owner_url;
  SdDb *db;
} Fixture;

/* Creates a fresh database; leaves @f->db NULL when the test must skip. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean open_db = GPOINTER_TO_INT (data) == 0;

  f->dbname = th_pg_create_database (&error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return;
  g_assert_no_error (error);
  f->app_url = th_pg_url ("TANDEM_TEST_PG_APP", f->dbname);
  f->owner_url = th_pg_url ("TANDEM_TEST_PG_OWNER", f->dbname);
  g_assert_nonnull (f->app_url);
  g_assert_nonnull (f->owner_url);
  if (open_db)
    {
      f->db = sd_db_open (f->app_url, f->owner_url, &error);
      g_assert_no_error (error);
      g_assert_nonnull (f->db);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->db, sd_db_free);
  th_pg_drop_database (f->dbname);
  g_free (f->dbname);
  g_free (f->app_url);
  g_free (f->owner_url);
}

static gboolean
skip_without_pg (Fixture *f)
{
  if (f->dbname != NULL)
    return FALSE;
  g_test_skip ("TANDEM_TEST_PG_ADMIN is not set (see tests/pg-env.sh)");
  return TRUE;
}

/* Runs @sql through a direct libpq connection to @url; for setups the
 * sd-db API deliberately cannot do. */
static void
direct_exec (const char *url,
             const char *sql)
{
  PGconn *pg = PQconnectdb (url);
  g_assert_cmpint (PQstatus (pg), ==, CONNECTION_OK);
  PGresult *res = PQexec (pg, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (pg));
  PQclear (res);
  PQfinish (pg);
}

typedef struct {
  char *org;
  char *user;
  char *email;
} Org;

static void
org_clear (Org *o)
{
  g_free (o->org);
  g_free (o->user);
  g_free (o->email);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Org, org_clear)

/* Creates an organization with one admin user, as signup would. */
static void
make_org (SdDbConn   *conn,
          const char *label,
          Org        *o)
{
  g_autoptr(GError) error = NULL;
  o->org = g_uuid_string_random ();
  o->user = g_uuid_string_random ();
  o->email = g_strdup_printf ("%s@example.org", label);

  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, o->org, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)",
                               "ssi", o->org, label, (gint64) 1000), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO users (id, org_id, email, name, role, password_hash,"
                               " created_at, updated_at) VALUES ($1, $2, $3, $4, 'admin', 'hash', $5, $5)",
                               "ssssi", o->user, o->org, o->email, label, (gint64) 1000), ==, 1);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

/* The start of a test that works in organizations: a connection to @f's
 * database with "alpha" made in @a and, unless @b is NULL, "beta" in @b.
 * NULL when the test must skip (no PostgreSQL). */
static SdDbConn *
connect_with_orgs (Fixture *f,
                   Org     *a,
                   Org     *b)
{
  if (skip_without_pg (f))
    return NULL;
  g_autoptr(GError) error = NULL;
  SdDbConn *conn = sd_db_connect (f->db, &error);
  g_assert_no_error (error);
  make_org (conn, "alpha", a);
  if (b != NULL)
    make_org (conn, "beta", b);
  return conn;
}

/* The version of the newest embedded PostgreSQL migration. */
static gint64
latest_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = sd_db_migrations_load ("postgres", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >, 0);
  return ((SdDbMigration *) g_ptr_array_index (list, list->len - 1))->version;
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  if (skip_without_pg (f))
    return;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sd_db_backend (f->db), ==, SD_DB_BACKEND_POSTGRES);
  g_assert_cmpint (sd_db_schema_version (f->db), ==, latest_migration ());

  /* Opening again applies nothing and still passes the checks. */
  g_autoptr(SdDb) again = sd_db_open (f->app_url, f->owner_url, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_db_schema_version (again), ==, latest_migration ());

  g_autoptr(SdDbConn) conn = sd_db_connect (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_db_conn_backend (conn), ==, SD_DB_BACKEND_POSTGRES);
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error,
                                          "SELECT current_setting('application_name') AS app,"
                                          " current_user::text AS who", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "app"), ==, "signald");
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "who"), ==, "tandem_app");

  /* The serving role may read the migration record but not change it. */
  g_autoptr(SdDbRows) versions = sd_db_query (conn, &error,
                                              "SELECT version, name FROM schema_migrations"
                                              " ORDER BY version", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (versions), ==, latest_migration ());
  for (guint i = 0; i < sd_db_rows_n (versions); i++)
    g_assert_cmpint (sd_db_rows_int (versions, i, "version"), ==, i + 1);
  g_assert_cmpint (sd_db_exec (conn, &error, "DELETE FROM schema_migrations", NULL), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
}

static gpointer
open_thread (gpointer data)
{
  Fixture *f = data;
  GError *error = NULL;
  SdDb *db = sd_db_open (f->app_url, f->owner_url, &error);
  if (db == NULL)
    return error;
  g_assert_cmpint (sd_db_schema_version (db), ==, latest_migration ());
  sd_db_free (db);
  return NULL;
}

/* Several signald starting at once on an empty database migrate once. */
static void
test_concurrent_open (Fixture       *f,
                      gconstpointer  data)
{
  if (skip_without_pg (f))
    return;
  GThread *threads[6];
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_thread, f);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GError) error = g_thread_join (threads[i]);
      g_assert_no_error (error);
    }
}

static void
test_params (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Org) a = { 0 };
  g_autoptr(SdDbConn) conn = connect_with_orgs (f, &a, NULL);
  if (conn == NULL)
    return;
  g_autoptr(GError) error = NULL;

  static const guint8 avatar_data[] = { 0x89, 'P', 'N', 'G', 0x00, 0xff, '\\', 'x', 0x00, 0x7f };
  g_autoptr(GBytes) avatar = g_bytes_new_static (avatar_data, sizeof avatar_data);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *g1 = g_uuid_string_random ();
  g_autofree char *g2 = g_uuid_string_random ();

  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_no_error (error);
  g_assert_true (sd_db_in_transaction (conn));

  /* INSERT … RETURNING with text, integer and bytea parameters. */
  g_autoptr(SdDbRows) ins = sd_db_query (conn, &error,
                                         "INSERT INTO groups (id, org_id, name, owner_id, avatar, avatar_type,"
                                         " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
                                         " RETURNING id, created_at",
                                         "ssssBsi", g1, a.org, "Gruppe “ä”", a.user, avatar, "image/png",
                                         (gint64) 1700000000123);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (ins), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (ins, 0, "id"), ==, g1);
  g_assert_cmpint (sd_db_rows_int (ins, 0, "created_at"), ==, 1700000000123);

  /* NULL bytes and NULL text bind SQL NULL. */
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO groups (id, org_id, name, owner_id, avatar, avatar_type,"
                               " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                               "ssssBsi", g2, a.org, "Two", a.user, NULL, NULL, (gint64) 5), ==, 1);
  g_assert_no_error (error);

  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error,
                                          "SELECT g.id, g.name, g.avatar, g.avatar_type, g.created_at,"
                                          " (g.avatar IS NOT NULL) AS has_avatar"
                                          " FROM groups g WHERE g.org_id = $1"
                                          " ORDER BY g.created_at LIMIT $2",
                                          "si", a.org, (gint64) 10);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (rows), ==, 2);
  g_assert_cmpuint (sd_db_rows_n_columns (rows), ==, 6);
  g_assert_cmpint (sd_db_rows_column (rows, "has_avatar"), ==, 5);
  g_assert_cmpint (sd_db_rows_column (rows, "nope"), ==, -1);
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "id"), ==, g2);
  g_assert_false (sd_db_rows_bool (rows, 0, "has_avatar"));
  g_assert_true (sd_db_rows_is_null (rows, 0, "avatar"));
  g_assert_null (sd_db_rows_bytes (rows, 0, "avatar"));
  g_assert_null (sd_db_rows_text (rows, 0, "avatar_type"));
  g_assert_cmpstr (sd_db_rows_text (rows, 1, "name"), ==, "Gruppe “ä”");
  g_assert_true (sd_db_rows_bool (rows, 1, "has_avatar"));
  g_assert_cmpint (sd_db_rows_int (rows, 1, "has_avatar"), ==, 1);
  g_assert_cmpint (sd_db_rows_int (rows, 1, "created_at"), ==, 1700000000123);
  g_assert_cmpstr (sd_db_rows_text (rows, 1, "created_at"), ==, "1700000000123");
  g_autoptr(GBytes) back = sd_db_rows_bytes (rows, 1, "avatar");
  g_assert_nonnull (back);
  g_assert_true (g_bytes_equal (back, avatar));

  /* LIMIT takes an integer parameter. */
  g_autoptr(SdDbRows) limited = sd_db_query (conn, &error,
                                             "SELECT id FROM groups ORDER BY created_at LIMIT $1",
                                             "i", (gint64) 1);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (limited), ==, 1);

  /* ON CONFLICT DO NOTHING changes nothing the second time. */
  const char *join = "INSERT INTO group_members (org_id, group_id, user_id, created_at)"
                     " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
  g_assert_cmpint (sd_db_exec (conn, &error, join, "sssi", a.org, g1, a.user, (gint64) 7), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (sd_db_exec (conn, &error, join, "sssi", a.org, g1, a.user, (gint64) 8), ==, 0);
  g_assert_no_error (error);

  /* Booleans and empty bytes as parameters; counts and sums as results. */
  g_autoptr(SdDbRows) misc = sd_db_query (conn, &error,
                                          "SELECT $1::boolean AS yes, $2::boolean AS no, $3::bytea AS nothing,"
                                          " (SELECT count(*) FROM groups) AS n, $4::text IS NULL AS null_text,"
                                          " (SELECT sum(created_at) FROM groups) AS total",
                                          "bbBs", TRUE, FALSE, empty, NULL);
  g_assert_no_error (error);
  g_assert_true (sd_db_rows_bool (misc, 0, "yes"));
  g_assert_false (sd_db_rows_bool (misc, 0, "no"));
  g_autoptr(GBytes) nothing = sd_db_rows_bytes (misc, 0, "nothing");
  g_assert_nonnull (nothing);
  g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
  g_assert_cmpint (sd_db_rows_int (misc, 0, "n"), ==, 2);
  g_assert_true (sd_db_rows_bool (misc, 0, "null_text"));
  g_assert_cmpint (sd_db_rows_int (misc, 0, "total"), ==, 1700000000128);

  /* UPDATE and DELETE report rows changed; a SELECT changes none. */
  g_assert_cmpint (sd_db_exec (conn, &error, "UPDATE groups SET updated_at = $1", "i", (gint64) 9), ==, 2);
  g_assert_cmpint (sd_db_exec (conn, &error, "SELECT 1 FROM groups", NULL), ==, 0);
  g_assert_cmpint (sd_db_exec (conn, &error, "DELETE FROM groups WHERE id = $1", "s", g2), ==, 1);
  g_assert_no_error (error);

  /* A missing argument is an error; an extra one is ignored. */
  g_assert_null (sd_db_query (conn, &error, "SELECT $1::text AS a, $2::text AS b", "s", "x"));
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_clear_error (&error);
  sd_db_rollback (conn);
  g_assert_false (sd_db_in_transaction (conn));

  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, a.org, &error));
  g_autoptr(SdDbRows) extra = sd_db_query (conn, &error, "SELECT $1::text AS a", "ss", "x", "y");
  g_assert_no_error (error);
  g_assert_cmpstr (sd_db_rows_text (extra, 0, "a"), ==, "x");
  /* The rolled-back transaction left nothing behind. */
  g_autoptr(SdDbRows) none = sd_db_query (conn, &error, "SELECT id FROM groups", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (none), ==, 0);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

static guint
count_rows (SdDbConn   *conn,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error, sql, NULL);
  g_assert_no_error (error);
  return sd_db_rows_n (rows);
}

static void
test_isolation (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Org) a = { 0 };
  g_auto(Org) b = { 0 };
  g_autoptr(SdDbConn) conn = connect_with_orgs (f, &a, &b);
  if (conn == NULL)
    return;
  g_autoptr(GError) error = NULL;
  g_autofree char *a2 = g_uuid_string_random ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO users (id, org_id, email, name, role, password_hash,"
                               " created_at, updated_at) VALUES ($1, $2, $3, 'A2', 'student', 'h', 1, 1)",
                               "sss", a2, a.org, "alpha2@example.org"), ==, 1);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));

  /* A direct query without any WHERE sees only the current organization. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, a.org, &error));
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error, "SELECT * FROM users ORDER BY email", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (rows), ==, 2);
  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    g_assert_cmpstr (sd_db_rows_text (rows, i, "org_id"), ==, a.org);
  g_assert_cmpuint (count_rows (conn, "SELECT * FROM organizations"), ==, 1);
  sd_db_rollback (conn);

  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, b.org, &error));
  g_autoptr(SdDbRows) brows = sd_db_query (conn, &error, "SELECT * FROM users", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (brows), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (brows, 0, "id"), ==, b.user);
  sd_db_rollback (conn);

  /* No organization: nothing at all, inside or outside a transaction. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, NULL, &error));
  g_assert_cmpuint (count_rows (conn, "SELECT * FROM users"), ==, 0);
  g_assert_cmpuint (count_rows (conn, "SELECT * FROM organizations"), ==, 0);
  g_assert_cmpuint (count_rows (conn, "SELECT * FROM sessions"), ==, 0);
  sd_db_rollback (conn);
  g_assert_cmpuint (count_rows (conn, "SELECT * FROM users"), ==, 0);

  /* The setting is local to the transaction. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, a.org, &error));
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_cmpuint (count_rows (conn, "SELECT * FROM users"), ==, 0);

  /* Writing to another organization: invisible rows do not change, and
   * new rows for it are refused. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, "UPDATE users SET name = 'pwned' WHERE id = $1",
                               "s", b.user), ==, 0);
  g_assert_cmpint (sd_db_exec (conn, &error, "DELETE FROM users WHERE org_id = $1", "s", b.org), ==, 0);
  g_assert_no_error (error);
  g_autofree char *intruder = g_uuid_string_random ();
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO users (id, org_id, email, name, role, password_hash,"
                               " created_at, updated_at) VALUES ($1, $2, 'x@example.org', 'x', 'admin', 'h', 1, 1)",
                               "ss", intruder, b.org), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "row-level security"));
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* Moving a row into another organization is refused too. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, "UPDATE users SET org_id = $1 WHERE id = $2",
                               "ss", b.org, a2), ==, -1);
  g_assert_nonnull (error);
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* A row may not point at another organization's rows. */
  g_autofree char *group = g_uuid_string_random ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO groups (id, org_id, name, owner_id, created_at, updated_at)"
                               " VALUES ($1, $2, 'g', $3, 1, 1)", "sss", group, a.org, b.user), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* Read-only transactions cannot write. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, "UPDATE users SET name = 'x'", NULL), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* Beta's data is intact. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, b.org, &error));
  g_autoptr(SdDbRows) check = sd_db_query (conn, &error, "SELECT name FROM users", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (check), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (check, 0, "name"), ==, "beta");
  sd_db_rollback (conn);
}

static void
test_system (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Org) a = { 0 };
  g_auto(Org) b = { 0 };
  g_autoptr(SdDbConn) conn = connect_with_orgs (f, &a, &b);
  if (conn == NULL)
    return;
  g_autoptr(GError) error = NULL;

  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0, 1, 2 };
  g_autoptr(GBytes) avatar = g_bytes_new_static (png, sizeof png);
  g_autofree char *session = g_uuid_string_random ();
  g_autofree char *expired = g_uuid_string_random ();
  g_autofree char *group = g_uuid_string_random ();
  g_autofree char *invitation = g_uuid_string_random ();
  g_autofree char *out1 = g_uuid_string_random ();
  g_autofree char *out2 = g_uuid_string_random ();
  g_autofree char *out3 = g_uuid_string_random ();

  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, b.org, &error));
  sd_db_exec (conn, &error,
              "INSERT INTO sessions (id, org_id, user_id, token_hash, kind, scopes, created_at, expires_at)"
              " VALUES ($1, $2, $3, 'hash-live', 'api', 'read write', 1, $4),"
              "        ($5, $2, $3, 'hash-old', 'session', '', 1, 50)",
              "sssis", session, b.org, b.user, (gint64) 5000, expired);
  g_assert_no_error (error);
  sd_db_exec (conn, &error,
              "INSERT INTO groups (id, org_id, name, owner_id, avatar, avatar_type, created_at, updated_at)"
              " VALUES ($1, $2, 'Beta group', $3, $4, 'image/png', 1, 1)",
              "sssB", group, b.org, b.user, avatar);
  g_assert_no_error (error);
  sd_db_exec (conn, &error,
              "INSERT INTO invitations (id, org_id, group_id, inviter_id, email, code, created_at, expires_at)"
              " VALUES ($1, $2, $3, $4, 'new@example.org', 'CODE123', 1, 9999)",
              "ssss", invitation, b.org, group, b.user);
  g_assert_no_error (error);
  sd_db_exec (conn, &error,
              "INSERT INTO outbox (id, org_id, kind, payload, created_at, next_attempt_at)"
              " VALUES ($1, $4, 'mail', '{}', 2, 100), ($2, $4, 'mail', '{}', 1, 100),"
              "        ($3, $4, 'mail', '{}', 1, 900)",
              "ssss", out1, out2, out3, b.org);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));

  /* Outside any transaction, and from another organization's transaction,
   * the system queries reach every organization. */
  g_autoptr(SdDbRows) login = sd_db_sys (conn, &error, SD_DB_SYS_LOGIN_LOOKUP, "s", b.email);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (login), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (login, 0, "id"), ==, b.user);
  g_assert_cmpstr (sd_db_rows_text (login, 0, "org_id"), ==, b.org);
  g_assert_cmpstr (sd_db_rows_text (login, 0, "password_hash"), ==, "hash");
  g_autoptr(SdDbRows) nobody = sd_db_sys (conn, &error, SD_DB_SYS_LOGIN_LOOKUP, "s", "nobody@example.org");
  g_assert_cmpuint (sd_db_rows_n (nobody), ==, 0);

  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, a.org, &error));
  g_autoptr(SdDbRows) sess = sd_db_sys (conn, &error, SD_DB_SYS_SESSION_LOOKUP, "si",
                                        "hash-live", (gint64) 100);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (sess), ==, 1);
  static const char *const session_columns[] = {
    "session_id", "org_id", "user_id", "kind", "scopes", "expires_at", "role", "email",
    "name", "language", "time_zone",
  };
  g_assert_cmpuint (sd_db_rows_n_columns (sess), ==, G_N_ELEMENTS (session_columns));
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_assert_cmpint (sd_db_rows_column (sess, session_columns[i]), ==, (int) i);
  g_assert_cmpstr (sd_db_rows_text (sess, 0, "session_id"), ==, session);
  g_assert_cmpstr (sd_db_rows_text (sess, 0, "user_id"), ==, b.user);
  g_assert_cmpstr (sd_db_rows_text (sess, 0, "scopes"), ==, "read write");
  g_assert_cmpint (sd_db_rows_int (sess, 0, "expires_at"), ==, 5000);
  g_assert_cmpstr (sd_db_rows_text (sess, 0, "role"), ==, "admin");
  g_assert_cmpstr (sd_db_rows_text (sess, 0, "language"), ==, "en");
  g_autoptr(SdDbRows) old = sd_db_sys (conn, &error, SD_DB_SYS_SESSION_LOOKUP, "si",
                                       "hash-old", (gint64) 100);
  g_assert_cmpuint (sd_db_rows_n (old), ==, 0);
  g_autoptr(SdDbRows) late = sd_db_sys (conn, &error, SD_DB_SYS_SESSION_LOOKUP, "si",
                                        "hash-live", (gint64) 5000);
  g_assert_cmpuint (sd_db_rows_n (late), ==, 0);

  g_autoptr(SdDbRows) inv = sd_db_sys (conn, &error, SD_DB_SYS_INVITATION_LOOKUP, "s", "CODE123");
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (inv), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "id"), ==, invitation);
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "org_id"), ==, b.org);
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "group_id"), ==, group);
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "status"), ==, "pending");
  g_assert_cmpint (sd_db_rows_int (inv, 0, "expires_at"), ==, 9999);
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "group_name"), ==, "Beta group");
  g_assert_true (sd_db_rows_bool (inv, 0, "has_avatar"));
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "email"), ==, "new@example.org");
  g_assert_cmpstr (sd_db_rows_text (inv, 0, "inviter_name"), ==, "beta");

  g_autoptr(SdDbRows) av = sd_db_sys (conn, &error, SD_DB_SYS_INVITATION_AVATAR, "s", "CODE123");
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (av), ==, 1);
  g_autoptr(GBytes) av_bytes = sd_db_rows_bytes (av, 0, "avatar");
  g_assert_true (g_bytes_equal (av_bytes, avatar));
  g_assert_cmpstr (sd_db_rows_text (av, 0, "avatar_type"), ==, "image/png");

  g_autoptr(SdDbRows) exists = sd_db_sys (conn, &error, SD_DB_SYS_ORG_EXISTS, "s", b.org);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (exists), ==, 1);
  g_assert_cmpint (sd_db_rows_int (exists, 0, "found"), ==, 1);
  g_autofree char *unknown = g_uuid_string_random ();
  g_autoptr(SdDbRows) missing = sd_db_sys (conn, &error, SD_DB_SYS_ORG_EXISTS, "s", unknown);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (missing), ==, 0);
  g_autoptr(SdDbRows) garbage = sd_db_sys (conn, &error, SD_DB_SYS_ORG_EXISTS, "s", "not-a-uuid");
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (garbage), ==, 0);
  sd_db_rollback (conn);

  /* The outbox: due rows oldest first, each claimed once. */
  g_autoptr(SdDbRows) due = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_PENDING, "ii",
                                       (gint64) 100, (gint64) 10);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (due), ==, 2);
  g_assert_cmpstr (sd_db_rows_text (due, 0, "id"), ==, out2);
  g_assert_cmpstr (sd_db_rows_text (due, 1, "id"), ==, out1);
  g_assert_cmpstr (sd_db_rows_text (due, 0, "org_id"), ==, b.org);
  g_assert_cmpstr (sd_db_rows_text (due, 0, "kind"), ==, "mail");
  g_assert_cmpstr (sd_db_rows_text (due, 0, "payload"), ==, "{}");
  g_assert_cmpint (sd_db_rows_int (due, 0, "attempts"), ==, 0);

  g_autoptr(SdDbRows) again = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_PENDING, "ii",
                                         (gint64) 100, (gint64) 10);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (again), ==, 0);

  g_autoptr(SdDbRows) done = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_DONE, "si", out2, (gint64) 101);
  g_assert_nonnull (done);
  g_assert_no_error (error);
  g_autoptr(SdDbRows) retry = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_RETRY, "sis",
                                         out1, (gint64) 200, "smtp said no");
  g_assert_nonnull (retry);
  g_assert_no_error (error);

  /* Before the retry time nothing is due but the later row; after the
   * claim lease of 300 s nothing claimed is handed out again unless due. */
  g_autoptr(SdDbRows) at199 = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_PENDING, "ii",
                                         (gint64) 199, (gint64) 10);
  g_assert_cmpuint (sd_db_rows_n (at199), ==, 0);
  g_autoptr(SdDbRows) at900 = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_PENDING, "ii",
                                         (gint64) 900, (gint64) 1);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (at900), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (at900, 0, "id"), ==, out1);
  g_assert_cmpint (sd_db_rows_int (at900, 0, "attempts"), ==, 1);

  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, b.org, &error));
  g_autoptr(SdDbRows) state = sd_db_query (conn, &error,
                                           "SELECT id, attempts, done_at, last_error FROM outbox ORDER BY id = $1 DESC",
                                           "s", out2);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (state), ==, 3);
  g_assert_cmpint (sd_db_rows_int (state, 0, "done_at"), ==, 101);
  g_assert_cmpint (sd_db_rows_int (state, 0, "attempts"), ==, 1);
  sd_db_rollback (conn);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Org) a = { 0 };
  g_autoptr(SdDbConn) conn = connect_with_orgs (f, &a, NULL);
  if (conn == NULL)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) other = sd_db_connect (f->db, &error);
  g_assert_no_error (error);
  const char *insert_user = "INSERT INTO users (id, org_id, email, name, role, password_hash,"
                            " created_at, updated_at) VALUES ($1, $2, $3, 'n', $4, 'h', 1, 1)";
  g_autofree char *u2 = g_uuid_string_random ();

  /* Unique violation; the message names the constraint, not the value. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, insert_user, "ssss", u2, a.org, a.email, "student"), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "users_email_key"));
  g_assert_null (strstr (error->message, a.email));
  g_clear_error (&error);

  /* After a failed statement, COMMIT fails (PostgreSQL rolled back). */
  g_assert_false (sd_db_commit (conn, &error));
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (sd_db_in_transaction (conn));

  /* Check and foreign-key violations. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, insert_user, "ssss", u2, a.org, "u2@example.org", "king"), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  sd_db_rollback (conn);
  g_autofree char *ghost_org = g_uuid_string_random ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, ghost_org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, insert_user, "ssss", u2, ghost_org, "u3@example.org", "admin"), ==, -1);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* A malformed value: the message does not echo it. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, a.org, &error));
  g_assert_null (sd_db_query (conn, &error, "SELECT id FROM users WHERE id = $1", "s", "s3cr3t-t0ken"));
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_assert_nonnull (strstr (error->message, "22P02"));
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* A malformed organization id fails the first tenant query. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, "bogus-org", &error));
  g_assert_null (sd_db_query (conn, &error, "SELECT id FROM users", NULL));
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_assert_null (strstr (error->message, "bogus"));
  g_clear_error (&error);
  sd_db_rollback (conn);

  /* A row locked by another transaction: busy. */
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, a.org, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, "UPDATE users SET name = 'locked' WHERE id = $1",
                               "s", a.user), ==, 1);
  g_assert_true (sd_db_begin (other, SD_DB_TX_WRITE, a.org, &error));
  g_assert_null (sd_db_query (other, &error, "SELECT id FROM users WHERE id = $1 FOR UPDATE NOWAIT",
                              "s", a.user));
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_BUSY);
  g_clear_error (&error);
  sd_db_rollback (other);
  sd_db_rollback (conn);

  /* Syntax errors are plain failures, and the connection stays usable. */
  g_assert_null (sd_db_query (conn, &error, "SELEC nonsense", NULL));
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (count_rows (conn, "SELECT 1 AS one"), ==, 1);
}

/* The server drops idle connections (restart, failover): the next
 * transaction reconnects. */
static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  if (skip_without_pg (f))
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (conn, "SELECT 1 AS one"), ==, 1);

  g_autofree char *admin = th_pg_url ("TANDEM_TEST_PG_ADMIN", f->dbname);
  direct_exec (admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      " WHERE usename = 'tandem_app' AND datname = current_database()");

  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (conn, "SELECT 1 AS one"), ==, 1);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

static void
assert_unsafe (const char *url,
               const char *owner_url,
               const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDb) db = sd_db_open (url, owner_url, &error);
  g_assert_null (db);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_UNSAFE);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, why));
}

static void
test_unsafe (Fixture       *f,
             gconstpointer  data)
{
  if (skip_without_pg (f))
    return;
  g_autofree char *admin = th_pg_url ("TANDEM_TEST_PG_ADMIN", f->dbname);

  /* Serving as the owner, with or without a separate owner URL. */
  assert_unsafe (f->owner_url, f->owner_url, "owner role");
  assert_unsafe (f->owner_url, NULL, "owner role");
  /* Serving as a superuser. */
  assert_unsafe (admin, f->owner_url, "SUPERUSER");

  /* The safe setup opens. */
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDb) db = sd_db_open (f->app_url, f->owner_url, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, sd_db_free);

  /* Roles made for this test: one with BYPASSRLS, one that is a member of
   * the owner role. */
  g_autofree char *bypass_role = g_strdup_printf ("%s_bypass", f->dbname);
  g_autofree char *member_role = g_strdup_printf ("%s_member", f->dbname);
  g_autofree char *create = g_strdup_printf ("CREATE ROLE %s LOGIN BYPASSRLS;"
                                             "CREATE ROLE %s LOGIN IN ROLE tandem_owner",
                                             bypass_role, member_role);
  direct_exec (admin, create);
  g_autofree char *role_base = g_strdup (g_getenv ("TANDEM_TEST_PG_APP"));
  g_autofree char *bypass_base = NULL;
  g_autofree char *member_base = NULL;
  {
    g_autoptr(GString) s = g_string_new (role_base);
    g_string_replace (s, "tandem_app", bypass_role, 1);
    bypass_base = g_string_free (g_steal_pointer (&s), FALSE);
    s = g_string_new (role_base);
    g_string_replace (s, "tandem_app", member_role, 1);
    member_base = g_string_free (g_steal_pointer (&s), FALSE);
  }
  g_setenv ("TH_PG_BYPASS", bypass_base, TRUE);
  g_setenv ("TH_PG_MEMBER", member_base, TRUE);
  g_autofree char *bypass_url = th_pg_url ("TH_PG_BYPASS", f->dbname);
  g_autofree char *member_url = th_pg_url ("TH_PG_MEMBER", f->dbname);
  assert_unsafe (bypass_url, f->owner_url, "BYPASSRLS");
  assert_unsafe (member_url, f->owner_url, "owner role");
  g_autofree char *drop = g_strdup_printf ("DROP OWNED BY %s, %s; DROP ROLE %s, %s",
                                           bypass_role, member_role, bypass_role, member_role);
  direct_exec (admin, drop);

  /* The serving role owns something in the schema. */
  direct_exec (admin, "CREATE TABLE app_owned (x integer); ALTER TABLE app_owned OWNER TO tandem_app");
  assert_unsafe (f->app_url, f->owner_url, "owns (or is a member of the role that owns) \"app_owned\"");
  direct_exec (admin, "DROP TABLE app_owned");

  /* A tenant table without FORCE ROW LEVEL SECURITY. */
  direct_exec (f->owner_url, "ALTER TABLE outbox NO FORCE ROW LEVEL SECURITY");
  assert_unsafe (f->app_url, f->owner_url, "\"outbox\"");
  direct_exec (f->owner_url, "ALTER TABLE outbox FORCE ROW LEVEL SECURITY");

  /* A policy that would widen what the serving role sees. */
  direct_exec (f->owner_url, "CREATE POLICY everything ON users USING (true)");
  assert_unsafe (f->app_url, f->owner_url, "users.everything");
  direct_exec (f->owner_url, "DROP POLICY everything ON users");

  db = sd_db_open (f->app_url, f->owner_url, &error);
  g_assert_no_error (error);
}

/* Runs without a server: bad URLs and an unreachable server are errors,
 * never a hang or a leaked password. */
static void
test_bad_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDb) db = sd_db_open ("postgres://u:hunter2@[bad", NULL, &error);
  g_assert_null (db);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  db = sd_db_open ("postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2", NULL, &error);
  g_assert_null (db);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_FAILED);
  g_assert_null (strstr (error->message, "hunter2"));
}

/* The helper distinguishes "not configured" (skip) from "unreachable"
 * (fail), and builds URLs. */
static void
test_helper (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("TANDEM_TEST_PG_ADMIN"));
  g_autofree char *saved_require = g_strdup (g_getenv ("TANDEM_TEST_REQUIRE_PG"));

  g_unsetenv ("TANDEM_TEST_PG_ADMIN");
  g_unsetenv ("TANDEM_TEST_REQUIRE_PG");
  g_assert_null (th_pg_create_database (&error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_setenv ("TANDEM_TEST_REQUIRE_PG", "1", TRUE);
  g_assert_null (th_pg_create_database (&error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  if (saved_require != NULL)
    g_setenv ("TANDEM_TEST_REQUIRE_PG", saved_require, TRUE);
  else
    g_unsetenv ("TANDEM_TEST_REQUIRE_PG");

  g_setenv ("TANDEM_TEST_PG_ADMIN", "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2", TRUE);
  g_assert_null (th_pg_create_database (&error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  g_setenv ("TH_PG_URL", "postgres://a@h:5/postgres?sslmode=disable", TRUE);
  g_autofree char *u1 = th_pg_url ("TH_PG_URL", "db1");
  g_assert_cmpstr (u1, ==, "postgres://a@h:5/db1?sslmode=disable");
  g_setenv ("TH_PG_URL", "postgresql://a@h:5", TRUE);
  g_autofree char *u2 = th_pg_url ("TH_PG_URL", "db2");
  g_assert_cmpstr (u2, ==, "postgresql://a@h:5/db2");
  g_assert_null (th_pg_url ("TH_PG_UNSET_VARIABLE", "db"));

  if (saved != NULL)
    g_setenv ("TANDEM_TEST_PG_ADMIN", saved, TRUE);
  else
    g_unsetenv ("TANDEM_TEST_PG_ADMIN");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_register_resource ();

  g_test_add_func ("/db-pg/helper", test_helper);
  g_test_add_func ("/db-pg/bad-urls", test_bad_urls);
#define ADD(path, func, open) \
  g_test_add ("/db-pg/" path, Fixture, GINT_TO_POINTER (open ? 0 : 1), \
              fixture_setup, func, fixture_teardown)
  ADD ("open", test_open, TRUE);
  ADD ("concurrent-open", test_concurrent_open, FALSE);
  ADD ("params", test_params, TRUE);
  ADD ("isolation", test_isolation, TRUE);
  ADD ("system", test_system, TRUE);
  ADD ("errors", test_errors, TRUE);
  ADD ("reconnect", test_reconnect, TRUE);
  ADD ("unsafe", test_unsafe, FALSE);
#undef ADD
  return g_test_run ();
}

#else /* !HAVE_POSTGRES */

static void
test_not_built (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDb) db = sd_db_open ("postgres://localhost/tandem", NULL, &error);
  g_assert_null (db);
  g_assert_error (error, SD_DB_ERROR, SD_DB_ERROR_CONFIG);
  g_test_skip ("signald was built without PostgreSQL support");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_register_resource ();
  g_test_add_func ("/db-pg/not-built", test_not_built);
  return g_test_run ();
}

#endif /* HAVE_POSTGRES */
