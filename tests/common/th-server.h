/* th-server.h — test harness: a real signald started in-process on a fresh
 * database (SQLite file, or a new PostgreSQL database when
 * TANDEM_TEST_BACKEND=postgres), and a small HTTP client for tests. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sd-server.h"

G_BEGIN_DECLS

typedef struct {
  SdServer *server;
  char *url;          /* http://127.0.0.1:PORT */
  char *tmpdir;       /* data dir; removed on stop */
  char *mail_spool;
  char *pg_database;  /* PostgreSQL database name, or NULL */
  char *db_url;       /* the serving URL */
  SoupSession *session;
  void (*tweak) (SdConfig *config, gpointer data);
  gpointer tweak_data;
  gboolean borrowed_db; /* a twin: the database belongs to another ThServer */
} ThServer;

typedef struct {
  guint status;
  JsonNode *json;        /* NULL when the body is not JSON */
  GBytes *body;
  SoupMessageHeaders *headers;
} ThResponse;

/* Is this run on PostgreSQL?  (TANDEM_TEST_BACKEND=postgres) */
gboolean    th_backend_is_postgres (void);
/* Call first in a test main: skips the whole program (TAP "1..0 # SKIP") on
 * PostgreSQL when no test cluster is configured, unless
 * TANDEM_TEST_REQUIRE_PG=1, where that is a failure. */
void        th_init                (int *argc, char ***argv);

/* Start a server; aborts the test on failure.  @tweak may change the config
 * before start (NULL for none). */
ThServer   *th_server_start_full   (void (*tweak) (SdConfig *config, gpointer data), gpointer data);
ThServer   *th_server_start        (void);
void        th_server_stop         (ThServer *ts);
/* A second signald on the database of @ts, with its own data directory
 * and mail spool, like another instance of a cluster.  Stop it before
 * @ts, which owns the database. */
ThServer   *th_server_start_twin   (ThServer *ts,
                                    void (*tweak) (SdConfig *config, gpointer data),
                                    gpointer data);
/* Stop the server (as a process exit would) and start a new one on the
 * same data directory and database; ts->url changes. */
void        th_server_restart      (ThServer *ts);

/* Send a request.  @token may be NULL; @body is a JSON text or NULL. */
ThResponse *th_request             (ThServer   *ts,
                                    const char *method,
                                    const char *path,
                                    const char *token,
                                    const char *body);
/* Like th_request() with a printf-style body. */
ThResponse *th_requestf            (ThServer   *ts,
                                    const char *method,
                                    const char *path,
                                    const char *token,
                                    const char *body_format,
                                    ...) G_GNUC_PRINTF (5, 6);
/* Raw body with a content type. */
ThResponse *th_request_bytes       (ThServer   *ts,
                                    const char *method,
                                    const char *path,
                                    const char *token,
                                    const char *content_type,
                                    GBytes     *body);
void        th_response_free       (ThResponse *r);

/* A string at a dotted path in the JSON reply ("user.id", "items.0.name"),
 * or NULL. */
const char *th_json_str            (ThResponse *r, const char *path);
gint64      th_json_int            (ThResponse *r, const char *path);
JsonNode   *th_json_at             (ThResponse *r, const char *path);
guint       th_json_len            (ThResponse *r, const char *path);

/* Register a new organization with its admin; returns the token and, when
 * @user_id is not NULL, the user id. */
char       *th_register_admin      (ThServer *ts, const char *email, const char *org, char **user_id);
/* Add a user with @role through POST /users as the admin @admin_token;
 * logs in and returns the new user's token. */
/* Invites @email into @group_id as @inviter and accepts the invitation as
 * @member; asserts both steps succeed. */
void        th_join_group          (ThServer *ts, const char *inviter, const char *group_id,
                                    const char *email, const char *member);
char       *th_add_user            (ThServer *ts, const char *admin_token, const char *email,
                                    const char *role, char **user_id);

/* The password every th_* helper uses. */
#define TH_PASSWORD "correct horse battery staple"

/* The .eml files in the spool, sorted by name; waits up to @timeout_ms for
 * at least @count of them. */
GPtrArray  *th_spool_wait          (ThServer *ts, guint count, guint timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThResponse, th_response_free)

G_END_DECLS
