/* tc-cli-upload.c — `tandem-cli upload FILE... --group G --name N`:
 * creates the asset (POST /assets), sends each file to its tus upload with
 * a progress display, waits until the server has checked every video,
 * completes the asset (POST /assets/{id}/complete) and prints its id last.
 *
 * Each step is written to a resume record (tc-upload-state.h) before the
 * next one starts, so that after Ctrl-C, a lost link or a killed process
 * the same command (or `upload --resume`) carries on where it stopped. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include "tc-tus.h"
#include "tc-upload-state.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

/* How often the asset is polled while the server checks the videos. */
#define POLL_INTERVAL_MS 500

typedef struct {
  TcCli *cli;
  GMainLoop *loop;
  GCancellable *cancellable;
  TcCliProgress *progress;
  guint64 total;        /* bytes of every file */
  guint64 base;         /* bytes of the files before the current one */
  guint last_retry;     /* the last retry announced */
  double rate;          /* the last rate known, carried over between files */
  gboolean finished;    /* the current step is over */
  GError *error;        /* its error */
} Upload;

/* ---- options ---- */

/* "8M", "512k", "1G", "65536" → bytes; FALSE when malformed or zero. */
static gboolean
parse_size (const char *text,
            guint64    *bytes)
{
  char *end = NULL;
  guint64 value = g_ascii_strtoull (text, &end, 10);
  guint64 unit = 1;

  if (end == text || value == 0)
    return FALSE;
  switch (g_ascii_tolower (*end))
    {
    case '\0':
      break;
    case 'k':
      unit = 1024;
      break;
    case 'm':
      unit = 1024 * 1024;
      break;
    case 'g':
      unit = 1024 * 1024 * 1024;
      break;
    default:
      return FALSE;
    }
  if (*end != '\0')
    {
      end++;
      if (g_ascii_tolower (*end) == 'i')
        end++;
      if (g_ascii_tolower (*end) == 'b')
        end++;
      if (*end != '\0')
        return FALSE;
    }
  if (value > G_MAXUINT64 / unit)
    return FALSE;
  *bytes = value * unit;
  return TRUE;
}

/* ---- waiting with Ctrl-C ---- */

static gboolean
interrupt_cb (gpointer user_data)
{
  Upload *upload = user_data;
  g_cancellable_cancel (upload->cancellable);
  if (g_main_loop_is_running (upload->loop))
    g_main_loop_quit (upload->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Waits @ms; FALSE when interrupted. */
static gboolean
pause_ms (Upload *upload,
          guint   ms)
{
  if (g_cancellable_is_cancelled (upload->cancellable))
    return FALSE;
  guint id = g_timeout_add (ms, quit_cb, upload->loop);
  g_main_loop_run (upload->loop);
  if (g_cancellable_is_cancelled (upload->cancellable))
    {
      g_source_remove (id);
      return FALSE;
    }
  return TRUE;
}

/* ---- sending the files ---- */

static void
progress_cb (const TcTusProgress *p,
             gpointer             user_data)
{
  Upload *upload = user_data;
  guint64 done = upload->base + p->offset;

  if (p->retry > 0 && p->retry != upload->last_retry)
    {
      g_autofree char *reason = tc_cli_printable (p->retry_reason);
      g_autofree char *line = g_strdup_printf (_("The upload stalled (%s); trying again (%u)…"), reason, p->retry);
      tc_cli_progress_message (upload->progress, line);
    }
  upload->last_retry = p->retry;

  if (p->rate > 0)
    upload->rate = p->rate;
  gint64 eta = upload->rate > 0 ? (gint64) ((double) (upload->total - done) / upload->rate + 0.5) : -1;
  tc_cli_progress_update (upload->progress, done, upload->rate, eta);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Upload *upload = user_data;
  tc_tus_client_upload_file_finish (TC_TUS_CLIENT (source), result, &upload->error);
  upload->finished = TRUE;
  g_main_loop_quit (upload->loop);
}

static gboolean
send_file (Upload        *upload,
           TcTusClient   *tus,
           TcUploadFile  *file,
           GError       **error)
{
  g_autofree char *name = g_filename_display_basename (file->path);

  tc_cli_progress_start_file (upload->progress, name);
  upload->finished = FALSE;
  upload->last_retry = 0;
  tc_tus_client_upload_file_async (tus, file->upload_url, file->path, progress_cb, upload, NULL,
                                   upload->cancellable, sent_cb, upload);
  /* Ctrl-C quits the loop early; the upload then ends cancelled. */
  while (!upload->finished)
    g_main_loop_run (upload->loop);
  if (upload->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&upload->error));
      return FALSE;
    }
  return TRUE;
}

/* ---- the asset ---- */

/* Creates the asset for the files in @state (POST /assets) and fills in
 * the asset, video ids and upload URLs. */
static gboolean
create_asset (TcCli          *cli,
              TcUploadState  *state,
              GError        **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *files = json_array_new ();

  json_object_set_string_member (body, "name", state->name);
  json_object_set_string_member (body, "description", state->description != NULL ? state->description : "");
  json_object_set_string_member (body, "group_id", state->group_id);
  for (guint i = 0; i < state->files->len; i++)
    {
      TcUploadFile *file = g_ptr_array_index (state->files, i);
      g_autofree char *filename = g_filename_display_basename (file->path);
      JsonObject *f = json_object_new ();
      json_object_set_string_member (f, "filename", filename);
      json_object_set_int_member (f, "size", (gint64) file->size);
      json_array_add_object_element (files, f);
    }
  json_object_set_array_member (body, "files", files);

  g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", "/assets", body, error);
  if (reply == NULL)
    return FALSE;

  JsonObject *asset = tc_cli_member_obj (tc_cli_obj (reply), "asset");
  JsonNode *videos_node = tc_cli_obj (reply) != NULL ? json_object_get_member (tc_cli_obj (reply), "videos") : NULL;
  JsonArray *videos = videos_node != NULL && JSON_NODE_HOLDS_ARRAY (videos_node)
                      ? json_node_get_array (videos_node) : NULL;
  if (tc_cli_str (asset, "id") == NULL || videos == NULL || json_array_get_length (videos) != state->files->len)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the server's answer to creating the asset lacks its id or one upload per file"));
      return FALSE;
    }
  state->asset_id = g_strdup (tc_cli_str (asset, "id"));
  for (guint i = 0; i < state->files->len; i++)
    {
      TcUploadFile *file = g_ptr_array_index (state->files, i);
      JsonObject *video = tc_cli_obj (json_array_get_element (videos, i));
      if (tc_cli_str (video, "upload_url") == NULL)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                       _("the server did not give an upload address for %s"), file->path);
          return FALSE;
        }
      file->video_id = g_strdup (tc_cli_str (video, "id"));
      file->upload_url = g_strdup (tc_cli_str (video, "upload_url"));
    }
  return TRUE;
}

/* Polls the asset until no video waits for its upload or its check.
 * Returns the last reply; sets *@interrupted when Ctrl-C came first. */
static JsonNode *
wait_for_videos (Upload         *upload,
                 TcUploadState  *state,
                 JsonObject    **asset,
                 JsonArray     **videos,
                 gboolean       *interrupted,
                 GError        **error)
{
  gboolean told = FALSE;

  *interrupted = FALSE;
  for (;;)
    {
      g_autoptr(JsonNode) reply = tc_cli_get_asset (upload->cli, state->asset_id, asset, videos, error);
      if (reply == NULL)
        return NULL;

      gboolean busy = FALSE;
      for (guint i = 0; i < json_array_get_length (*videos); i++)
        {
          const char *status = tc_cli_str (tc_cli_obj (json_array_get_element (*videos, i)), "status");
          if (g_strcmp0 (status, "waiting_upload") == 0 || g_strcmp0 (status, "processing") == 0)
            busy = TRUE;
        }
      if (!busy)
        return g_steal_pointer (&reply);

      if (!told)
        {
          tc_cli_progress_message (upload->progress, _("Waiting for the server to check the videos…"));
          told = TRUE;
        }
      if (!pause_ms (upload, POLL_INTERVAL_MS))
        {
          *interrupted = TRUE;
          return NULL;
        }
    }
}

/* FALSE with a sentence per failed video when the server refused one. */
static gboolean
check_videos (JsonArray  *videos,
              GError    **error)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  guint failed = 0;

  for (guint i = 0; i < json_array_get_length (videos); i++)
    {
      JsonObject *video = tc_cli_obj (json_array_get_element (videos, i));
      if (g_strcmp0 (tc_cli_str (video, "status"), "failed") != 0)
        continue;
      const char *message = tc_cli_str (tc_cli_member_obj (video, "error"), "message");
      if (message == NULL)
        message = tc_cli_str (video, "error_message");
      g_string_append_printf (failures, "%s%s: %s", failed > 0 ? "; " : "",
                              tc_cli_str (video, "filename") != NULL ? tc_cli_str (video, "filename") : "?",
                              message != NULL ? message : _("the server could not use this file"));
      failed++;
    }
  if (failed == 0)
    return TRUE;
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
               g_dngettext (GETTEXT_PACKAGE, "the server refused a video: %s", "the server refused %2$u videos: %1$s",
                            failed),
               failures->str, failed);
  return FALSE;
}

/* ---- the command ---- */

/* How to carry on after a stop that left the record in place. */
static char *
resume_hint (void)
{
  return g_strdup_printf (_("Run the same command again, or “%s upload --resume”, to carry on where it stopped."),
                          g_get_prgname ());
}

/* The record to continue for these files, or NULL for a new upload.
 * Group and name, when given, must match the recorded ones. */
static TcUploadState *
find_record (const char          *server,
             const char * const  *paths,
             gboolean             resume,
             const char          *group_id,
             const char          *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = paths[0] != NULL ? tc_upload_state_id (server, paths) : NULL;
  g_autoptr(TcUploadState) state = id != NULL ? tc_upload_state_load (id, &error)
                                              : tc_upload_state_latest (server, &error);
  if (state == NULL)
    {
      if (error != NULL)
        g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return NULL;
    }
  if (!resume && ((group_id != NULL && g_strcmp0 (group_id, state->group_id) != 0) ||
                  (name != NULL && g_strcmp0 (name, state->name) != 0)))
    return NULL;
  return g_steal_pointer (&state);
}

static JsonObject *
result_json (TcUploadState *state,
             JsonObject    *asset,
             JsonArray     *videos,
             gboolean       resumed)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "asset_id", state->asset_id);
  json_object_set_string_member (o, "name", tc_cli_str (asset, "name") != NULL ? tc_cli_str (asset, "name")
                                                                              : state->name);
  json_object_set_string_member (o, "status", tc_cli_str (asset, "status"));
  json_object_set_string_member (o, "group_id", state->group_id);
  json_object_set_boolean_member (o, "resumed", resumed);
  json_object_set_array_member (o, "videos", videos != NULL ? json_array_ref (videos) : json_array_new ());
  return o;
}

static int
cmd_upload (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *group = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  g_autofree char *chunk_text = NULL;
  g_autofree char *rate_text = NULL;
  gboolean resume = FALSE;
  gboolean quiet = FALSE;
  gboolean no_wait = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group that will review the videos (id or name)"), N_("GROUP") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The asset's name"), N_("NAME") },
    { "description", 'd', 0, G_OPTION_ARG_STRING, &description, N_("What the videos show"), N_("TEXT") },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
      N_("Continue the interrupted upload of these files (without FILE: the last one)"), NULL },
    { "chunk-size", 0, 0, G_OPTION_ARG_STRING, &chunk_text, N_("Bytes per request (default 8M)"), N_("SIZE") },
    { "limit-rate", 0, 0, G_OPTION_ARG_STRING, &rate_text, N_("Send at most this many bytes per second"),
      N_("SIZE") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
      N_("Do not wait for the server to check the videos (complete the asset later)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;
  guint64 chunk_size = TC_TUS_DEFAULT_CHUNK_SIZE;
  guint64 rate_limit = 0;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, -1, &status))
    return status;
  if (argc < 2 && !resume)
    tc_cli_set_usage_error (&error, _("name the files to upload (or use --resume)"));
  else if (chunk_text != NULL && (!parse_size (chunk_text, &chunk_size) || chunk_size < TC_TUS_MIN_CHUNK_SIZE))
    tc_cli_set_usage_error (&error, _("--chunk-size wants a size of at least 64K, like 8M"));
  else if (rate_text != NULL && !parse_size (rate_text, &rate_limit))
    tc_cli_set_usage_error (&error, _("--limit-rate wants bytes per second, like 500K or 2M"));
  else if (name != NULL && *g_strstrip (name) == '\0')
    tc_cli_set_usage_error (&error, _("--name must not be empty"));
  if (error != NULL)
    return tc_cli_fail (cli, error);

  TcSession *session = tc_cli_session (cli, &error);
  if (session == NULL)
    return tc_cli_fail (cli, error);
  const char *server = tc_session_get_server (session);

  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (paths, g_canonicalize_filename (argv[i], NULL));
  g_ptr_array_add (paths, NULL);

  /* Group first: a changed group means a new upload. */
  g_autofree char *group_id = NULL;
  if (group != NULL && (group_id = tc_cli_resolve_group (cli, group, &error)) == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(TcUploadState) state = find_record (server, (const char * const *) paths->pdata, resume, group_id, name);
  gboolean resumed = state != NULL;
  if (state == NULL && resume)
    {
      g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                   argc >= 2 ? _("there is no interrupted upload of these files to resume")
                             : _("there is no interrupted upload to resume"));
      return tc_cli_fail (cli, error);
    }
  if (state == NULL)
    {
      if (group_id == NULL || name == NULL)
        {
          tc_cli_set_usage_error (&error, _("a new upload needs --group and --name"));
          return tc_cli_fail (cli, error);
        }
      state = tc_upload_state_new (server, (const char * const *) paths->pdata, &error);
      if (state == NULL)
        return tc_cli_fail (cli, error);
      state->group_id = g_strdup (group_id);
      state->name = g_strdup (name);
      state->description = g_strdup (description);
    }

  Upload upload = { .cli = cli };
  upload.loop = g_main_loop_new (NULL, FALSE);
  upload.cancellable = g_cancellable_new ();
  for (guint i = 0; i < state->files->len; i++)
    upload.total += ((TcUploadFile *) g_ptr_array_index (state->files, i))->size;
  upload.progress = tc_cli_progress_new (upload.total, quiet);
  guint sigint = g_unix_signal_add (SIGINT, interrupt_cb, &upload);
  guint sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, &upload);
  gboolean interrupted = FALSE;
  g_autoptr(JsonNode) final = NULL;
  JsonObject *asset = NULL;
  JsonArray *videos = NULL;
  gboolean forget = FALSE;   /* drop the record: done, or nothing left to resume */
  gboolean refused = FALSE;  /* the server refused a video: the asset stays, unusable */

  if (resumed)
    {
      g_autofree char *shown = tc_cli_printable (state->name);
      g_autofree char *line = g_strdup_printf (_("Resuming the upload of “%s” (asset %s)."), shown, state->asset_id);
      tc_cli_progress_message (upload.progress, line);
    }
  else
    {
      if (!create_asset (cli, state, &error))
        goto out;
      g_autoptr(GError) save_error = NULL;
      if (!tc_upload_state_save (state, &save_error))
        {
          g_autofree char *line = g_strdup_printf (_("Cannot keep the upload's state (%s); it will not resume."),
                                                   save_error->message);
          tc_cli_progress_message (upload.progress, line);
        }
    }

  {
    TcSession *s = tc_cli_session (cli, &error);
    g_autoptr(TcTusClient) tus = tc_tus_client_new (tc_session_get_client (s));
    tc_tus_client_set_chunk_size (tus, (gsize) MIN (chunk_size, (guint64) G_MAXSIZE));
    tc_tus_client_set_rate_limit (tus, rate_limit);

    for (guint i = 0; i < state->files->len; i++)
      {
        TcUploadFile *file = g_ptr_array_index (state->files, i);
        if (!file->sent)
          {
            if (resumed && !tc_upload_file_unchanged (file, &error))
              {
                forget = TRUE;
                goto out;
              }
            if (!send_file (&upload, tus, file, &error))
              {
                if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                  interrupted = TRUE;
                else if (error->domain == TANDEM_ERROR && error->code != TANDEM_ERROR_NETWORK &&
                         error->code != TANDEM_ERROR_UNAVAILABLE && error->code != TANDEM_ERROR_INTERNAL &&
                         error->code != TANDEM_ERROR_UNAUTHORIZED)
                  forget = TRUE;  /* the upload is gone or refused: resuming cannot help */
                goto out;
              }
            file->sent = TRUE;
            g_autoptr(GError) save_error = NULL;
            if (!tc_upload_state_save (state, &save_error))
              g_debug ("cannot save the upload state: %s", save_error->message);
          }
        upload.base += file->size;
      }
    tc_cli_progress_update (upload.progress, upload.total, upload.rate, 0);
  }

  if (no_wait)
    {
      forget = TRUE;
      final = tc_cli_get_asset (cli, state->asset_id, &asset, &videos, &error);
      goto out;
    }

  final = wait_for_videos (&upload, state, &asset, &videos, &interrupted, &error);
  if (final == NULL)
    {
      if (g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        forget = TRUE;
      goto out;
    }
  if (!check_videos (videos, &error))
    {
      forget = TRUE;
      refused = TRUE;
      goto out;
    }
  if (g_strcmp0 (tc_cli_str (asset, "status"), "waiting_upload") == 0)
    {
      g_autofree char *path = g_strdup_printf ("/assets/%s/complete", state->asset_id);
      g_autoptr(JsonNode) completed = tc_cli_call (cli, "POST", path, NULL, &error);
      if (completed == NULL)
        goto out;
      asset = NULL;
      videos = NULL;
      g_clear_pointer (&final, json_node_unref);
      final = tc_cli_get_asset (cli, state->asset_id, &asset, &videos, &error);
      if (final == NULL)
        goto out;
    }
  forget = TRUE;

out:
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (forget)
    {
      g_autoptr(GError) remove_error = NULL;
      if (!tc_upload_state_remove (state, &remove_error))
        g_debug ("cannot remove the upload state: %s", remove_error->message);
    }
  g_clear_pointer (&upload.progress, tc_cli_progress_free);
  g_clear_object (&upload.cancellable);
  g_clear_pointer (&upload.loop, g_main_loop_unref);

  if (interrupted)
    {
      g_autofree char *hint = resume_hint ();
      g_autoptr(GError) cancel = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Interrupted. %s"), hint);
      g_clear_error (&error);
      return tc_cli_fail (cli, cancel);
    }
  if (error != NULL)
    {
      status = tc_cli_fail (cli, error);
      if (refused)
        g_printerr (_("The asset %s keeps the other videos; delete it with “%s assets delete %s”.\n"),
                    state->asset_id, g_get_prgname (), state->asset_id);
      else if (!forget && state->asset_id != NULL)
        {
          g_autofree char *hint = resume_hint ();
          g_printerr ("%s\n", hint);
        }
      return status;
    }

  if (cli->json)
    tc_cli_print_object (cli, result_json (state, asset, videos, resumed));
  else
    {
      g_autofree char *shown = tc_cli_printable (state->name);
      g_autofree char *size = tc_cli_format_size (upload.total);
      guint n = state->files->len;
      if (no_wait)
        g_print (_("Sent the files of “%s”; the server is still checking them. "
                   "Complete the asset later with “%s assets complete %s”.\n"),
                 shown, g_get_prgname (), state->asset_id);
      else
        g_print (g_dngettext (GETTEXT_PACKAGE, "Uploaded “%s”: %u video, %s.\n", "Uploaded “%s”: %u videos, %s.\n", n),
                 shown, n, size);
      g_print ("%s\n", state->asset_id);
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_upload_commands[] = {
  { NULL, "upload", "FILE... --group GROUP --name NAME", N_("Upload videos as a new asset for a group to review (resumable)"), cmd_upload },
  { NULL }
};
