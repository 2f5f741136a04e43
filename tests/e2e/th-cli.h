/* th-cli.h — test harness for running the real `tandem-cli` binary: a
 * private HOME per simulated user, the environment the CLI reads, and its
 * exit status, output and (when it printed JSON) parsed document. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char *home;          /* a fresh temporary HOME, removed by th_cli_user_free() */
  char *config_dir;    /* HOME/.config, given as XDG_CONFIG_HOME */
  char *state_dir;     /* HOME/.local/state, given as XDG_STATE_HOME */
  char *server;        /* TANDEM_SERVER, or NULL to leave it unset */
  char *token;         /* TANDEM_TOKEN, or NULL to leave it unset */
  gboolean keyring;    /* FALSE (the default): TANDEM_NO_KEYRING=1 */
} ThCliUser;

typedef struct {
  int status;          /* exit status, or -1 when killed by a signal */
  char *out;
  char *err;
  JsonNode *json;      /* stdout parsed as one JSON document, or NULL */
} ThCliResult;

/* A user with a new HOME talking to @server (NULL: TANDEM_SERVER unset),
 * without keyring. */
ThCliUser   *th_cli_user_new     (const char  *server);
void         th_cli_user_free    (ThCliUser   *user);
/* HOME/.config/tandem/@name; free with g_free(). */
char        *th_cli_user_file    (ThCliUser   *user,
                                  const char  *name);

/* Runs tandem-cli (the path in $TANDEM_CLI) as @user with the arguments
 * (NULL-terminated), feeding @input (may be NULL) on stdin, in the C.UTF-8
 * locale.  Aborts the test when the program cannot be started. */
ThCliResult *th_cli_run          (ThCliUser   *user,
                                  const char  *input,
                                  const char  *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;
/* Like th_cli_run() with the arguments in a NULL-terminated array. */
ThCliResult *th_cli_runv         (ThCliUser          *user,
                                  const char         *input,
                                  const char * const *args);
void         th_cli_result_free  (ThCliResult *result);

/* Starts tandem-cli as @user with the arguments in a NULL-terminated
 * array, without waiting; stdin is empty, stdout and stderr are pipes.
 * th_cli_finish() waits for it and collects the result. */
GSubprocess *th_cli_spawnv       (ThCliUser          *user,
                                  const char * const *args);
ThCliResult *th_cli_finish       (GSubprocess        *proc);

/* The string at a dotted path of result->json ("error.code",
 * "items.0.name"), or NULL. */
const char  *th_cli_json_str     (ThCliResult *result,
                                  const char  *path);
JsonNode    *th_cli_json_at      (ThCliResult *result,
                                  const char  *path);

/* Asserts that a run ended with @expected; shows its output when not. */
#define th_cli_assert_status(result, expected) \
  G_STMT_START { \
    ThCliResult *r__ = (result); \
    if (r__->status != (expected)) \
      g_error ("%s:%d: tandem-cli exited with %d, expected %d\nstdout: %s\nstderr: %s", \
               __FILE__, __LINE__, r__->status, (expected), r__->out, r__->err); \
  } G_STMT_END

/* "http://127.0.0.1:PORT" where nothing listens (a port that was free). */
char        *th_cli_unreachable_url (void);

/* Removes @path and everything below it. */
void         th_cli_rm_rf        (const char  *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThCliUser, th_cli_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThCliResult, th_cli_result_free)

G_END_DECLS
