/* tc-cli.h — what the `tandem-cli` subcommands share: the command table
 * type, option parsing, calls to the server, output (human text or one
 * JSON document) and error reporting with the exit codes.
 *
 * Each family of commands lives in its own file (tc-cli-auth.c, …) and
 * exports a TcCliCommand table; tc-cli.c dispatches to them.
 *
 * Output rules: results go to stdout, prompts and errors to stderr.  With
 * --json, stdout carries exactly one JSON document, also on failure
 * ({"error":{"code","message"}}).
 */
#pragma once

#include "tandem-error.h"
#include "tc-secret.h"
#include "tc-session.h"

#include <glib/gi18n.h>

G_BEGIN_DECLS

/* Exit statuses. */
typedef enum {
  TC_CLI_EXIT_OK = 0,
  TC_CLI_EXIT_REFUSED = 1,   /* the server said no (or a local step failed) */
  TC_CLI_EXIT_USAGE = 2,     /* the command line is wrong */
  TC_CLI_EXIT_NETWORK = 3,   /* the server could not be reached */
  TC_CLI_EXIT_INTERRUPTED = 130, /* stopped by Ctrl-C (SIGINT) or SIGTERM; an upload can resume */
} TcCliExit;

typedef struct _TcCli TcCli;
typedef struct _TcCliCommand TcCliCommand;

/* Runs one command; @argv[0] names it, the rest are its arguments and
 * options, unparsed.  Returns a TcCliExit. */
typedef int (*TcCliFunc) (TcCli *cli, int argc, char **argv);

struct _TcCliCommand {
  const char *family;      /* "groups", or NULL for a top-level command */
  const char *name;        /* "create" */
  const char *parameters;  /* "NAME", shown in the help (not translated) */
  const char *summary;     /* N_("Create a group"), shown in the help */
  TcCliFunc func;
};

/* The tables, each ended by an entry whose name is NULL. */
extern const TcCliCommand tc_cli_auth_commands[];
extern const TcCliCommand tc_cli_groups_commands[];
extern const TcCliCommand tc_cli_invite_commands[];
extern const TcCliCommand tc_cli_status_commands[];
extern const TcCliCommand tc_cli_upload_commands[];
extern const TcCliCommand tc_cli_assets_commands[];
extern const TcCliCommand tc_cli_review_commands[];
extern const TcCliCommand tc_cli_play_commands[];
extern const TcCliCommand tc_cli_session_types_commands[];
extern const TcCliCommand tc_cli_availability_commands[];
extern const TcCliCommand tc_cli_bookings_commands[];
extern const TcCliCommand tc_cli_call_commands[];

struct _TcCli {
  char *server;                  /* --server, or NULL */
  gboolean json;                 /* --json */
  const TcCliCommand *command;   /* the command running */
  TcSession *session;            /* see tc_cli_session() */
  JsonNode *me;                  /* GET /auth/me once fetched (tc_cli_me()) */
};

/* ---- tc-cli.c: dispatch and parsing ---- */

/* The whole program: parses @argv, runs a command, returns the exit status. */
int          tc_cli_main            (int    argc,
                                     char **argv);

/* Parses the options of the running command: @entries (may be NULL) plus
 * the global --server and --json, anywhere on the line.  Leaves the
 * positional arguments in *@argv (from index 1) and checks that there are
 * between @min_args and @max_args of them (-1: no limit).  On failure
 * reports a usage error and returns FALSE with *@status set. */
gboolean     tc_cli_parse           (TcCli              *cli,
                                     const GOptionEntry *entries,
                                     int                *argc,
                                     char             ***argv,
                                     int                 min_args,
                                     int                 max_args,
                                     int                *status);

/* The session (server + token), created at first use.  Fails when the
 * server address is malformed. */
TcSession   *tc_cli_session         (TcCli       *cli,
                                     GError     **error);

/* A blocking call through the session's client (see
 * tandem_api_client_call_sync()). */
JsonNode    *tc_cli_call            (TcCli       *cli,
                                     const char  *method,
                                     const char  *path,
                                     JsonObject  *body,
                                     GError     **error);

/* Like tc_cli_call() for a GET of a list ({"items":[…],"next_cursor"}),
 * following next_cursor to the end; returns {"items":[all],
 * "next_cursor":null}. */
JsonNode    *tc_cli_call_list       (TcCli       *cli,
                                     const char  *path,
                                     GError     **error);

/* A usage error for the running command (G_OPTION_ERROR). */
void         tc_cli_set_usage_error (GError     **error,
                                     const char  *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* ---- tc-cli-output.c ---- */

/* Reports @error (stderr, and stdout with --json) and returns the exit
 * status it calls for: G_OPTION_ERROR → 2 ("usage"), TANDEM_ERROR_NETWORK
 * → 3, G_IO_ERROR_CANCELLED → 130 ("interrupted"), anything else → 1
 * (the TANDEM_ERROR's API code, else "failed"). */
int          tc_cli_fail            (TcCli        *cli,
                                     const GError *error);

/* Prints @node as the command's JSON document. */
void         tc_cli_print_json      (TcCli       *cli,
                                     JsonNode    *node);
/* Like tc_cli_print_json() for an object; takes ownership of @object. */
void         tc_cli_print_object    (TcCli       *cli,
                                     JsonObject  *object);

/* With --json prints {"id": @id, "deleted": true} and returns TRUE;
 * FALSE without --json (the command says it in words). */
gboolean     tc_cli_print_deleted   (TcCli       *cli,
                                     const char  *id);

/* Prints "Label:  value" lines with the values aligned.  @pairs is a
 * NULL-terminated list of label, value, label, value…; a row whose value
 * is NULL is left out (so the list ends at the first NULL label). */
void         tc_cli_print_fields    (const char * const *pairs);

/* A table printed with aligned columns under a header line. */
typedef struct _TcCliTable TcCliTable;
TcCliTable  *tc_cli_table_new       (guint        n_columns,
                                     ...);        /* the headers */
/* Adds a row of n_columns strings (NULL prints as empty). */
void         tc_cli_table_add       (TcCliTable  *table,
                                     ...);
void         tc_cli_table_print     (TcCliTable  *table);
void         tc_cli_table_free      (TcCliTable  *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCliTable, tc_cli_table_free)

/* Helpers to read replies: the string member @name of @object (or of the
 * object @node holds), NULL when absent or not a string. */
const char  *tc_cli_str             (JsonObject  *object,
                                     const char  *name);
/* The object @node holds, or NULL (also for a NULL @node). */
JsonObject  *tc_cli_obj             (JsonNode    *node);
/* The object member @name of @object, or NULL (also for a NULL @object). */
JsonObject  *tc_cli_member_obj      (JsonObject  *object,
                                     const char  *name);
/* @text (NULL: "") fit for a terminal: valid UTF-8, control characters
 * replaced.  Use it on anything from the server printed by hand. */
char        *tc_cli_printable       (const char  *text);
/* A UTC RFC 3339 time from the API shown in local time, or a copy of @text
 * when it is not one; NULL for NULL. */
char        *tc_cli_format_time     (const char  *text);
/* A role from the server ("student", "expert", "admin") in the user's
 * language; other values as they are (NULL stays NULL). */
const char  *tc_cli_role_text       (const char  *role);

/* ---- tc-cli-progress.c ---- */

/* "12.3 MiB" (IEC units). */
char        *tc_cli_format_size     (guint64      bytes);
/* "0:05", "12:34", "1:02:03"; "--:--" for a negative (unknown) time. */
char        *tc_cli_format_duration (gint64       seconds);
/* One progress line fit into @width columns: "NAME [####----]  45%
 * 12.3 MiB / 27.0 MiB  3.2 MiB/s  ETA 0:05".  @width 0: no bar and the
 * whole name (for plain lines).  @rate 0 and @eta_seconds < 0 show as
 * unknown. */
char        *tc_cli_progress_line   (const char  *name,
                                     guint64      done,
                                     guint64      total,
                                     double       rate,
                                     gint64       eta_seconds,
                                     guint        width);

/* The progress of an upload of @total bytes on stderr: a bar redrawn in
 * place when stderr is a terminal, plain lines (every 10 % or 10 s)
 * otherwise, nothing when @quiet. */
typedef struct _TcCliProgress TcCliProgress;
TcCliProgress *tc_cli_progress_new        (guint64        total,
                                           gboolean       quiet);
/* The file whose bytes go out from now on. */
void           tc_cli_progress_start_file (TcCliProgress *progress,
                                           const char    *name);
/* @done bytes of all files are on the server. */
void           tc_cli_progress_update     (TcCliProgress *progress,
                                           guint64        done,
                                           double         rate,
                                           gint64         eta_seconds);
/* A line of its own between the bars (not with @quiet). */
void           tc_cli_progress_message    (TcCliProgress *progress,
                                           const char    *text);
void           tc_cli_progress_free       (TcCliProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCliProgress, tc_cli_progress_free)

/* ---- tc-cli-prompt.c ---- */

/* Reads a password: from the first line of stdin with @from_stdin, else
 * from the terminal without echo after @prompt (twice when @confirm, and
 * the two must match).  Fails with a usage error when neither works (stdin
 * is not a terminal), G_IO_ERROR on read errors. */
char        *tc_cli_read_password   (const char  *prompt,
                                     gboolean     from_stdin,
                                     gboolean     confirm,
                                     GError     **error);
/* Reads a line (with echo) after @prompt when stdin is a terminal; a
 * usage error naming @option otherwise. */
char        *tc_cli_read_line       (const char  *prompt,
                                     const char  *option,
                                     GError     **error);

/* ---- shared between families ---- */

/* The id of the group @id_or_name: a UUID is taken as it is, anything else
 * must be the exact name of one group the caller sees (GET /groups). */
char        *tc_cli_resolve_group   (TcCli       *cli,
                                     const char  *id_or_name,
                                     GError     **error);

/* The invitation code in @text: the code itself in any case, or an
 * invitation link carrying it (?invite=CODE or a last path segment);
 * uppercased.  A usage error when there is none. */
char        *tc_cli_invite_code     (const char  *text,
                                     GError     **error);

/* GET /assets/@asset_id.  Sets *@asset to the asset object and *@videos to
 * its videos (an empty array when the reply has none), both owned by the
 * returned node.  Accepts {"asset":{…},"videos":[…]} and {…,"videos":[…]}. */
JsonNode    *tc_cli_get_asset       (TcCli        *cli,
                                     const char   *asset_id,
                                     JsonObject  **asset,
                                     JsonArray   **videos,
                                     GError      **error);

/* Finds the video that ASSET_OR_VIDEO @id names: a video id, or the id of
 * an asset with exactly one video (with @allow_many, any asset; then
 * *@video_id is NULL for an asset of several videos).  Sets *@asset_id and
 * *@video_id (free with g_free()); NOT_FOUND when neither exists. */
gboolean     tc_cli_resolve_video   (TcCli        *cli,
                                     const char   *id,
                                     gboolean      allow_many,
                                     char        **asset_id,
                                     char        **video_id,
                                     GError      **error);

/* A position argument (--at) in ms, or a usage error naming @option. */
gboolean     tc_cli_parse_position  (const char   *option,
                                     const char   *text,
                                     gint64       *ms,
                                     GError      **error);

/* Stores the token of a login/register reply ({"user","token"}) and tells
 * the user when it went to the fallback file.  FALSE when it could not be
 * stored. */
gboolean     tc_cli_keep_session    (TcCli       *cli,
                                     JsonNode    *reply,
                                     GError     **error);

G_END_DECLS
