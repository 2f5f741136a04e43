/* test-cli-media.c — the real `tandem-cli` uploading, reviewing and
 * playing videos against a real in-process signald: tus uploads checked
 * byte for byte (sha256), an upload killed mid-way and resumed, Ctrl-C and
 * rerun, --json shapes, the asset lifecycle, threaded reviews, and a
 * played-back stream that decodes.
 *
 * Videos are made here with GStreamer test sources. */
#include "th-cli.h"
#include "th-media.h"
#include "th-server.h"

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <string.h>

static ThServer *ts;
static char *video_dir;

/* ---- fixtures ---- */

/* Renders @pipeline_head ! filesink into VIDEO_DIR/@name (once). */
static char *
make_video (const char *name,
            const char *pipeline_head)
{
  g_autofree char *path = g_build_filename (video_dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf ("%s ! filesink location=\"%s\"", pipeline_head, path);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                                                          GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_steal_pointer (&path);
}

/* 2 s of 320×240 VP8 + Opus in WebM. */
static char *
small_video (void)
{
  return th_media_make (video_dir, TH_MEDIA_WEBM_VP8_OPUS);
}

/* 1 s of noise, nearly lossless (≈ 2.7 MiB): slow enough to interrupt. */
static char *
large_video (void)
{
  return make_video ("large.webm",
                     "videotestsrc pattern=snow num-buffers=10 ! video/x-raw,width=640,height=480,framerate=10/1 "
                     "! vp8enc deadline=1 target-bitrate=40000000 min-quantizer=0 max-quantizer=4 ! webmmux");
}

/* 3 s of 352×288 H.264 + AAC in MP4: another container. */
static char *
mp4_video (void)
{
  return th_media_make (video_dir, TH_MEDIA_MP4_H264_AAC);
}

static char *
sha256_of_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

typedef struct {
  char *admin;          /* token */
  char *expert;
  char *student;
  char *group_id;
  char *group_name;
} Club;

static void
club_free (Club *club)
{
  g_free (club->admin);
  g_free (club->expert);
  g_free (club->student);
  g_free (club->group_id);
  g_free (club->group_name);
  g_free (club);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Club, club_free)

/* An organization with a group holding an expert and a student. */
static Club *
make_club (const char *tag)
{
  Club *club = g_new0 (Club, 1);
  g_autofree char *admin_email = g_strdup_printf ("admin-%s@media.example", tag);
  g_autofree char *expert_email = g_strdup_printf ("coach-%s@media.example", tag);
  g_autofree char *student_email = g_strdup_printf ("student-%s@media.example", tag);
  g_autofree char *org = g_strdup_printf ("Club %s", tag);

  club->admin = th_register_admin (ts, admin_email, org, NULL);
  club->expert = th_add_user (ts, club->admin, expert_email, "expert", NULL);
  club->student = th_add_user (ts, club->admin, student_email, "student", NULL);
  club->group_name = g_strdup_printf ("Squad %s", tag);
  g_autoptr(ThResponse) group = th_requestf (ts, "POST", "/groups", club->admin, "{\"name\":\"%s\"}",
                                             club->group_name);
  g_assert_cmpuint (group->status, ==, 201);
  club->group_id = g_strdup (th_json_str (group, "id"));

  const char *members[][2] = { { expert_email, club->expert }, { student_email, club->student } };
  g_autofree char *invite_path = g_strdup_printf ("/groups/%s/invitations", club->group_id);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(ThResponse) inv = th_requestf (ts, "POST", invite_path, club->admin, "{\"email\":\"%s\"}",
                                               members[i][0]);
      g_assert_cmpuint (inv->status, ==, 201);
      g_autofree char *accept = g_strdup_printf ("/invitations/%s/accept", th_json_str (inv, "code"));
      g_autoptr(ThResponse) ok = th_request (ts, "POST", accept, members[i][1], NULL);
      g_assert_cmpuint (ok->status, ==, 200);
    }
  return club;
}

/* A CLI user signed in with @token. */
static ThCliUser *
cli_user (const char *token)
{
  ThCliUser *user = th_cli_user_new (ts->url);
  user->token = g_strdup (token);
  return user;
}

/* The resume records in @user's state directory. */
static GPtrArray *
records (ThCliUser *user)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir_path = g_build_filename (user->state_dir, "tandem", "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (list, g_build_filename (dir_path, name, NULL));
  return list;
}

/* The last line of @text. */
static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);
  while (n > 0 && *lines[n - 1] == '\0')
    n--;
  return n > 0 ? g_strdup (lines[n - 1]) : NULL;
}

/* GET /assets/@id as @token. */
static ThResponse *
get_asset (const char *token,
           const char *id)
{
  g_autofree char *path = g_strdup_printf ("/assets/%s", id);
  ThResponse *r = th_request (ts, "GET", path, token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  return r;
}

/* The stored sha256 of video @index of the asset reply @r. */
static const char *
video_sha256 (ThResponse *r,
              guint       index)
{
  g_autofree char *path = g_strdup_printf ("videos.%u.sha256", index);
  const char *sha = th_json_str (r, path);
  if (sha == NULL)
    {
      g_free (path);
      path = g_strdup_printf ("asset.videos.%u.sha256", index);
      sha = th_json_str (r, path);
    }
  return sha;
}

/* ---- upload ---- */

static void
test_upload (void)
{
  g_autoptr(Club) club = make_club ("up");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *small = small_video ();
  g_autofree char *mp4 = mp4_video ();
  g_autofree char *small_sha = sha256_of_file (small);
  g_autofree char *mp4_sha = sha256_of_file (mp4);

  /* By group name, for people: progress on stderr (plain lines: no
   * terminal), a summary and the asset id last on stdout. */
  g_autoptr(ThCliResult) r = th_cli_run (student, NULL, "upload", small, mp4, "--group", club->group_name,
                                         "--name", "Two angles", "--description", "Start and finish", NULL);
  th_cli_assert_status (r, 0);
  g_autofree char *id = last_line (r->out);
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_nonnull (strstr (r->out, "Uploaded “Two angles”: 2 videos"));
  g_autofree char *small_base = g_path_get_basename (small);
  g_assert_nonnull (strstr (r->err, small_base));
  g_assert_nonnull (strstr (r->err, "100%"));
  g_assert_null (strstr (r->err, "\r"));

  /* Stored byte for byte, checked, and the asset waits for review. */
  g_autoptr(ThResponse) asset = get_asset (club->student, id);
  g_assert_cmpstr (video_sha256 (asset, 0), ==, small_sha);
  g_assert_cmpstr (video_sha256 (asset, 1), ==, mp4_sha);
  g_autoptr(ThCliResult) show = th_cli_run (student, NULL, "--json", "assets", "show", id, NULL);
  th_cli_assert_status (show, 0);
  g_assert_cmpstr (th_cli_json_str (show, "status"), ==, "pending");
  g_assert_cmpstr (th_cli_json_str (show, "name"), ==, "Two angles");
  g_assert_cmpstr (th_cli_json_str (show, "videos.0.status"), ==, "ready");
  g_assert_cmpstr (th_cli_json_str (show, "videos.0.sha256"), ==, small_sha);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (show, "videos.0.width")), ==, 320);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (show, "videos.0.height")), ==, 240);
  /* Durations as the probe sees them: within a frame or two of the spec. */
  g_assert_cmpint (ABS (json_node_get_int (th_cli_json_at (show, "videos.0.duration_ms")) - 2000), <=, 100);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (show, "videos.1.width")), ==, 352);
  g_assert_cmpint (ABS (json_node_get_int (th_cli_json_at (show, "videos.1.duration_ms")) - 3000), <=, 100);

  /* An asset of two videos does not say which one a review is about; its
   * review list shows each video under its name. */
  g_autoptr(ThCliResult) which = th_cli_run (student, NULL, "--json", "review", "add", id, "--at", "1", "x", NULL);
  th_cli_assert_status (which, 1);
  g_assert_cmpstr (th_cli_json_str (which, "error.code"), ==, "conflict");
  g_assert_nonnull (strstr (th_cli_json_str (which, "error.message"), "has 2 videos"));
  g_autoptr(ThCliResult) both = th_cli_run (student, NULL, "review", "list", id, NULL);
  th_cli_assert_status (both, 0);
  g_autofree char *mp4_base = g_path_get_basename (mp4);
  g_autofree char *mp4_header = g_strdup_printf ("== %s (", mp4_base);
  g_assert_nonnull (strstr (both->out, mp4_header));
  g_assert_nonnull (strstr (both->out, "No reviews yet."));

  /* Nothing is left to resume. */
  g_autoptr(GPtrArray) left = records (student);
  g_assert_cmpuint (left->len, ==, 0);

  /* --json: one document; by group id. */
  g_autoptr(ThCliResult) j = th_cli_run (student, NULL, "--json", "upload", small, "--group", club->group_id,
                                         "--name", "Solo", NULL);
  th_cli_assert_status (j, 0);
  const char *jid = th_cli_json_str (j, "asset_id");
  g_assert_true (g_uuid_string_is_valid (jid));
  g_assert_cmpstr (jid, !=, id);
  g_assert_cmpstr (th_cli_json_str (j, "status"), ==, "pending");
  g_assert_cmpstr (th_cli_json_str (j, "name"), ==, "Solo");
  g_assert_cmpstr (th_cli_json_str (j, "group_id"), ==, club->group_id);
  g_assert_false (json_node_get_boolean (th_cli_json_at (j, "resumed")));
  g_assert_cmpstr (th_cli_json_str (j, "videos.0.sha256"), ==, small_sha);
  g_autofree char *small_name = g_path_get_basename (small);
  g_assert_cmpstr (th_cli_json_str (j, "videos.0.filename"), ==, small_name);
  g_assert_null (th_cli_json_at (j, "videos.1"));

  /* Human text of the show command: fields and the video table. */
  g_autoptr(ThCliResult) text = th_cli_run (student, NULL, "assets", "show", id, NULL);
  th_cli_assert_status (text, 0);
  g_assert_nonnull (strstr (text->out, "Two angles"));
  g_assert_nonnull (strstr (text->out, "Start and finish"));
  g_assert_nonnull (strstr (text->out, "0:02"));
  g_assert_nonnull (strstr (text->out, "320×240"));
  g_assert_nonnull (strstr (text->out, small_sha));

  /* assets list, with filters, human and --json. */
  g_autoptr(ThCliResult) list = th_cli_run (student, NULL, "--json", "assets", "list", "--group", club->group_name,
                                            NULL);
  th_cli_assert_status (list, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (list, "items"))), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_cli_json_at (list, "next_cursor")));
  g_autoptr(ThCliResult) none = th_cli_run (student, NULL, "--json", "assets", "list", "--status", "completed",
                                            NULL);
  th_cli_assert_status (none, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (none, "items"))), ==, 0);
  g_autoptr(ThCliResult) table = th_cli_run (student, NULL, "assets", "list", NULL);
  th_cli_assert_status (table, 0);
  g_assert_true (g_str_has_prefix (table->out, "NAME"));
  g_assert_nonnull (strstr (table->out, "Two angles"));
  g_assert_nonnull (strstr (table->out, jid));
}

/* --no-wait returns once the bytes are sent; `assets complete` later. */
static void
test_no_wait_then_complete (void)
{
  g_autoptr(Club) club = make_club ("nw");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *small = small_video ();

  g_autoptr(ThCliResult) r = th_cli_run (student, NULL, "upload", small, "--group", club->group_id, "--name",
                                         "Later", "--no-wait", "--quiet", NULL);
  th_cli_assert_status (r, 0);
  g_assert_cmpstr (r->err, ==, "");
  g_autofree char *id = last_line (r->out);
  g_assert_true (g_uuid_string_is_valid (id));
  g_autofree char *hint = g_strdup_printf ("assets complete %s", id);
  g_assert_nonnull (strstr (r->out, hint));

  /* Wait for the server's check, then complete. */
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(ThResponse) asset = get_asset (club->student, id);
      if (g_strcmp0 (th_json_str (asset, "videos.0.status"), "ready") == 0)
        break;
      g_usleep (50 * 1000);
    }
  g_autoptr(ThCliResult) done = th_cli_run (student, NULL, "assets", "complete", id, NULL);
  th_cli_assert_status (done, 0);
  g_assert_cmpstr (done->out, ==, "“Later” is complete and waits for review (pending).\n");
  g_autoptr(ThCliResult) again = th_cli_run (student, NULL, "--json", "assets", "complete", id, NULL);
  th_cli_assert_status (again, 1);
  g_assert_cmpstr (th_cli_json_str (again, "error.code"), ==, "invalid_transition");
}

/* ---- interrupted uploads ---- */

/* Waits until @user has a resume record and returns the upload URL of its
 * first file. */
static char *
wait_for_record (ThCliUser *user)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GPtrArray) list = records (user);
      g_autofree char *text = NULL;
      if (list->len == 1 && g_file_get_contents (g_ptr_array_index (list, 0), &text, NULL, NULL))
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          if (json_parser_load_from_data (parser, text, -1, NULL))
            {
              JsonObject *root = json_node_get_object (json_parser_get_root (parser));
              JsonArray *files = json_object_get_array_member (root, "files");
              return g_strdup (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                              "upload_url"));
            }
        }
      g_usleep (50 * 1000);
    }
  g_error ("no resume record appeared");
}

/* The server's tus offset of @url, asked like any tus client would. */
static gint64
server_offset (const char *token,
               const char *url)
{
  g_autofree char *absolute = url[0] == '/' ? g_strconcat (ts->url, url, NULL) : g_strdup (url);
  g_autoptr(SoupMessage) msg = soup_message_new ("HEAD", absolute);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Tus-Resumable", "1.0.0");
  g_autoptr(GBytes) body = soup_session_send_and_read (ts->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  const char *offset = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Upload-Offset");
  g_assert_nonnull (offset);
  return g_ascii_strtoll (offset, NULL, 10);
}

/* Starts a slow upload of @file and stops the CLI with @signum once the
 * server holds part of it; returns the stopped run's result. */
static ThCliResult *
interrupt_upload (ThCliUser  *user,
                  const char *token,
                  const char *file,
                  const char *group,
                  int         signum,
                  gint64     *offset_at_stop)
{
  const char *args[] = { "upload", file, "--group", group, "--name", "Interrupted", "--chunk-size", "64K",
                         "--limit-rate", "512K", NULL };
  g_autoptr(GSubprocess) proc = th_cli_spawnv (user, args);
  g_autofree char *url = wait_for_record (user);

  gint64 offset = 0;
  for (guint i = 0; i < 400 && offset < 256 * 1024; i++)
    {
      g_usleep (25 * 1000);
      offset = server_offset (token, url);
    }
  g_assert_cmpint (offset, >=, 256 * 1024);
  if (signum == SIGKILL)
    g_subprocess_force_exit (proc);
  else
    g_subprocess_send_signal (proc, signum);
  ThCliResult *result = th_cli_finish (proc);

  *offset_at_stop = server_offset (token, url);
  g_assert_cmpint (*offset_at_stop, >=, offset);
  return result;
}

static void
test_resume_after_kill (void)
{
  g_autoptr(Club) club = make_club ("kill");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *large = large_video ();
  g_autofree char *large_sha = sha256_of_file (large);
  GStatBuf st;
  g_assert_cmpint (g_stat (large, &st), ==, 0);

  gint64 offset = 0;
  g_autoptr(ThCliResult) killed = interrupt_upload (student, club->student, large, club->group_name, SIGKILL,
                                                    &offset);
  g_assert_cmpint (killed->status, ==, -1);
  g_assert_cmpint (offset, <, st.st_size);
  g_autoptr(GPtrArray) kept = records (student);
  g_assert_cmpuint (kept->len, ==, 1);

  /* `upload --resume` alone carries on with the last interrupted upload. */
  g_autoptr(ThCliResult) resumed = th_cli_run (student, NULL, "--json", "upload", "--resume", NULL);
  th_cli_assert_status (resumed, 0);
  g_assert_true (json_node_get_boolean (th_cli_json_at (resumed, "resumed")));
  g_assert_cmpstr (th_cli_json_str (resumed, "name"), ==, "Interrupted");
  g_assert_cmpstr (th_cli_json_str (resumed, "status"), ==, "pending");
  g_assert_nonnull (strstr (resumed->err, "Resuming the upload of “Interrupted”"));
  /* It continued from the server's offset: progress never showed 0 %. */
  g_assert_null (strstr (resumed->err, "  0%"));

  /* One asset, byte-identical. */
  const char *id = th_cli_json_str (resumed, "asset_id");
  g_autoptr(ThResponse) asset = get_asset (club->student, id);
  g_assert_cmpstr (video_sha256 (asset, 0), ==, large_sha);
  g_autoptr(ThResponse) all = th_request (ts, "GET", "/assets", club->student, NULL);
  g_assert_cmpuint (th_json_len (all, "items"), ==, 1);
  g_autoptr(GPtrArray) gone = records (student);
  g_assert_cmpuint (gone->len, ==, 0);

  /* Nothing left: --resume says so. */
  g_autoptr(ThCliResult) nothing = th_cli_run (student, NULL, "upload", "--resume", NULL);
  th_cli_assert_status (nothing, 1);
  g_assert_nonnull (strstr (nothing->err, "no interrupted upload"));
}

static void
test_interrupt_and_rerun (void)
{
  g_autoptr(Club) club = make_club ("int");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *large = large_video ();
  g_autofree char *large_sha = sha256_of_file (large);

  /* Ctrl-C: a clean stop with exit 130 and a hint. */
  gint64 offset = 0;
  g_autoptr(ThCliResult) stopped = interrupt_upload (student, club->student, large, club->group_id, SIGINT,
                                                     &offset);
  th_cli_assert_status (stopped, 130);
  g_assert_nonnull (strstr (stopped->err, "Interrupted"));
  g_assert_nonnull (strstr (stopped->err, "--resume"));

  /* The same command again resumes (no --resume needed). */
  g_autoptr(ThCliResult) again = th_cli_run (student, NULL, "upload", large, "--group", club->group_id,
                                             "--name", "Interrupted", NULL);
  th_cli_assert_status (again, 0);
  g_assert_nonnull (strstr (again->err, "Resuming"));
  g_autofree char *id = last_line (again->out);
  g_autoptr(ThResponse) asset = get_asset (club->student, id);
  g_assert_cmpstr (video_sha256 (asset, 0), ==, large_sha);
  g_autoptr(ThResponse) all = th_request (ts, "GET", "/assets", club->student, NULL);
  g_assert_cmpuint (th_json_len (all, "items"), ==, 1);
}

/* A file changed after the upload started is not glued onto the old bytes. */
static void
test_resume_changed_file (void)
{
  g_autoptr(Club) club = make_club ("chg");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *large = large_video ();
  g_autofree char *copy = g_build_filename (student->home, "copy.webm", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (large, &data, &len, NULL));
  g_assert_true (g_file_set_contents (copy, data, (gssize) len, NULL));

  gint64 offset = 0;
  g_autoptr(ThCliResult) killed = interrupt_upload (student, club->student, copy, club->group_id, SIGKILL, &offset);
  data[len - 1] ^= 0xff;
  g_assert_true (g_file_set_contents (copy, data, (gssize) len, NULL));

  g_autoptr(ThCliResult) refused = th_cli_run (student, NULL, "--json", "upload", copy, "--resume", NULL);
  th_cli_assert_status (refused, 1);
  g_assert_nonnull (strstr (th_cli_json_str (refused, "error.message"), "changed since its upload started"));
  g_autoptr(GPtrArray) gone = records (student);
  g_assert_cmpuint (gone->len, ==, 0);
}

/* ---- errors ---- */

static void
test_upload_errors (void)
{
  g_autoptr(Club) club = make_club ("err");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *small = small_video ();
  g_autofree char *missing = g_build_filename (student->home, "missing.webm", NULL);

  struct {
    const char *args[10];
    int status;
    const char *code;
  } cases[] = {
    { { "upload", NULL }, 2, "usage" },
    { { "upload", small, "--name", "x", NULL }, 2, "usage" },
    { { "upload", small, "--group", "Squad err", NULL }, 2, "usage" },
    { { "upload", small, "--group", "Squad err", "--name", " ", NULL }, 2, "usage" },
    { { "upload", small, "--group", "Squad err", "--name", "x", "--chunk-size", "1K", NULL }, 2, "usage" },
    { { "upload", small, "--group", "Squad err", "--name", "x", "--limit-rate", "fast", NULL }, 2, "usage" },
    { { "upload", small, "--group", "No such squad", "--name", "x", NULL }, 1, "not_found" },
    { { "upload", missing, "--group", "Squad err", "--name", "x", NULL }, 1, "failed" },
    { { "upload", student->home, "--group", "Squad err", "--name", "x", NULL }, 1, "failed" },
    { { "assets", "show", "00000000-0000-4000-8000-000000000000", NULL }, 1, "not_found" },
    { { "assets", "show", "nope", NULL }, 1, "not_found" },
    { { "assets", "list", "--status", "lost", NULL }, 2, "usage" },
    { { "asset", "finalize", "nope", NULL }, 2, "usage" },
    { { "review", "add", "00000000-0000-4000-8000-000000000000", "--at", "1:60", "x", NULL }, 2, "usage" },
    { { "review", "add", "00000000-0000-4000-8000-000000000000", "text", NULL }, 2, "usage" },
    { { "review", "add", "00000000-0000-4000-8000-000000000000", "--at", "2", "--to", "1", "x", NULL }, 2, "usage" },
    { { "review", "list", "00000000-0000-4000-8000-000000000000", NULL }, 1, "not_found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_ptr_array_add (args, "--json");
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (gpointer) cases[i].args[a]);
      g_ptr_array_add (args, NULL);
      g_autoptr(ThCliResult) r = th_cli_runv (student, NULL, (const char * const *) args->pdata);
      if (r->status != cases[i].status || g_strcmp0 (th_cli_json_str (r, "error.code"), cases[i].code) != 0)
        g_error ("case %u (%s %s): exit %d, stdout %s, stderr %s", i, cases[i].args[0],
                 cases[i].args[1] != NULL ? cases[i].args[1] : "", r->status, r->out, r->err);
      g_assert_nonnull (th_cli_json_str (r, "error.message"));
      g_assert_true (g_str_has_prefix (r->err, "tandem-cli: "));
    }

  /* Nothing was created by the failed attempts. */
  g_autoptr(ThResponse) all = th_request (ts, "GET", "/assets", club->student, NULL);
  g_assert_cmpuint (th_json_len (all, "items"), ==, 0);

  /* An unreachable server: exit 3. */
  g_autofree char *nowhere = th_cli_unreachable_url ();
  g_autoptr(ThCliUser) lost = th_cli_user_new (nowhere);
  lost->token = g_strdup (club->student);
  g_autoptr(ThCliResult) r = th_cli_run (lost, NULL, "upload", small, "--group",
                                         "00000000-0000-4000-8000-000000000000", "--name", "x", NULL);
  th_cli_assert_status (r, 3);
}

/* A file that is not a video: the server says so, the CLI exits 1 naming it. */
static void
test_not_a_video (void)
{
  g_autoptr(Club) club = make_club ("nv");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *text = th_media_make (video_dir, TH_MEDIA_TEXT);
  g_autofree char *junk = g_build_filename (student->home, "notes.webm", NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (text, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (junk, bytes, (gssize) len, NULL));

  g_autoptr(ThCliResult) r = th_cli_run (student, NULL, "--json", "upload", junk, "--group", club->group_id,
                                         "--name", "Oops", NULL);
  th_cli_assert_status (r, 1);
  g_assert_nonnull (strstr (th_cli_json_str (r, "error.message"), "notes.webm"));
  g_assert_nonnull (strstr (th_cli_json_str (r, "error.message"), "not a video"));
  g_autoptr(GPtrArray) gone = records (student);
  g_assert_cmpuint (gone->len, ==, 0);

  /* The asset stays, not completed; the hint says how to delete it. */
  g_autoptr(ThCliResult) list = th_cli_run (student, NULL, "--json", "assets", "list", NULL);
  th_cli_assert_status (list, 0);
  const char *id = th_cli_json_str (list, "items.0.id");
  g_assert_cmpstr (th_cli_json_str (list, "items.0.status"), ==, "waiting_upload");
  g_autofree char *hint = g_strdup_printf ("assets delete %s", id);
  g_assert_nonnull (strstr (r->err, hint));
  g_autoptr(ThCliResult) complete = th_cli_run (student, NULL, "--json", "assets", "complete", id, NULL);
  th_cli_assert_status (complete, 1);
  g_assert_cmpstr (th_cli_json_str (complete, "error.code"), ==, "invalid_transition");
  g_autoptr(ThCliResult) del = th_cli_run (student, NULL, "assets", "delete", id, NULL);
  th_cli_assert_status (del, 0);
  g_autofree char *deleted = g_strdup_printf ("Deleted the asset %s and its files.\n", id);
  g_assert_cmpstr (del->out, ==, deleted);
  g_autoptr(ThCliResult) show = th_cli_run (student, NULL, "--json", "assets", "show", id, NULL);
  th_cli_assert_status (show, 1);
  g_assert_cmpstr (th_cli_json_str (show, "error.code"), ==, "not_found");
}

/* ---- reviews and the lifecycle ---- */

static void
test_review (void)
{
  g_autoptr(Club) club = make_club ("rev");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autoptr(ThCliUser) coach = cli_user (club->expert);
  g_autofree char *small = small_video ();

  g_autoptr(ThCliResult) up = th_cli_run (student, NULL, "--json", "upload", small, "--group", club->group_id,
                                          "--name", "Serve", NULL);
  th_cli_assert_status (up, 0);
  const char *asset_id = th_cli_json_str (up, "asset_id");
  const char *video_id = th_cli_json_str (up, "videos.0.id");

  /* The coach comments on the asset (one video), by range and by seconds. */
  g_autoptr(ThCliResult) a = th_cli_run (coach, NULL, "--json", "review", "add", asset_id, "--at", "0:01.5",
                                         "--to", "0:01.9", "Watch", "the", "knee", NULL);
  th_cli_assert_status (a, 0);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (a, "at_ms")), ==, 1500);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (a, "end_ms")), ==, 1900);
  g_assert_cmpstr (th_cli_json_str (a, "text"), ==, "Watch the knee");
  const char *first_id = th_cli_json_str (a, "id");

  g_autoptr(ThCliResult) b = th_cli_run (coach, NULL, "review", "add", video_id, "--at", "0.25", "Good start",
                                         NULL);
  th_cli_assert_status (b, 0);
  g_assert_true (g_str_has_prefix (b->out, "Added a review at 0:00.25"));

  /* The student answers the first one, from stdin. */
  g_autoptr(ThCliResult) c = th_cli_run (student, "I will\nwork on it\n", "--json", "review", "add", asset_id,
                                         "--reply-to", first_id, "-", NULL);
  th_cli_assert_status (c, 0);
  g_assert_cmpstr (th_cli_json_str (c, "parent_id"), ==, first_id);
  g_assert_cmpstr (th_cli_json_str (c, "text"), ==, "I will\nwork on it");

  /* Listed in the order of the video, the reply under its thread. */
  g_autoptr(ThCliResult) list = th_cli_run (student, NULL, "review", "list", asset_id, NULL);
  th_cli_assert_status (list, 0);
  const char *good = strstr (list->out, "Good start");
  const char *knee = strstr (list->out, "Watch the knee");
  const char *reply = strstr (list->out, "work on it");
  g_assert_nonnull (good);
  g_assert_nonnull (knee);
  g_assert_nonnull (reply);
  g_assert_true (good < knee && knee < reply);
  g_assert_true (g_str_has_prefix (list->out, "0:00.25  "));
  g_assert_nonnull (strstr (list->out, "0:01.5–0:01.9  "));
  g_assert_nonnull (strstr (list->out, "    ↳ "));

  g_autoptr(ThCliResult) listj = th_cli_run (coach, NULL, "--json", "review", "list", video_id, NULL);
  th_cli_assert_status (listj, 0);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (listj, "items.0.at_ms")), ==, 250);
  g_assert_cmpstr (th_cli_json_str (listj, "items.1.id"), ==, first_id);
  g_assert_cmpstr (th_cli_json_str (listj, "items.1.replies.0.text"), ==, "I will\nwork on it");
  g_assert_cmpstr (th_cli_json_str (listj, "video_id"), ==, video_id);

  /* Past the end of the video: the server's clear refusal. */
  g_autoptr(ThCliResult) late = th_cli_run (coach, NULL, "--json", "review", "add", asset_id, "--at", "5:00", "x",
                                            NULL);
  th_cli_assert_status (late, 1);
  g_assert_cmpstr (th_cli_json_str (late, "error.code"), ==, "validation_failed");

  /* Finalize: the student may not, the coach may, and only once. */
  g_autoptr(ThCliResult) no = th_cli_run (student, NULL, "--json", "asset", "finalize", asset_id, NULL);
  th_cli_assert_status (no, 1);
  g_assert_cmpstr (th_cli_json_str (no, "error.code"), ==, "forbidden");
  g_autoptr(ThCliResult) done = th_cli_run (coach, NULL, "asset", "finalize", asset_id, NULL);
  th_cli_assert_status (done, 0);
  g_assert_nonnull (strstr (done->out, "“Serve” is finalized (completed)"));
  g_autoptr(ThCliResult) twice = th_cli_run (coach, NULL, "--json", "assets", "finalize", asset_id, NULL);
  th_cli_assert_status (twice, 1);
  g_assert_cmpstr (th_cli_json_str (twice, "error.code"), ==, "invalid_transition");
  g_autoptr(ThCliResult) show = th_cli_run (student, NULL, "--json", "assets", "show", asset_id, NULL);
  g_assert_cmpstr (th_cli_json_str (show, "status"), ==, "completed");
}

/* ---- playback ---- */

/* In the child: end with the test, even when an assertion kills it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts Xvfb on a display it picks itself (-displayfd, so no race with
 * other X servers on the machine), not resetting when its last client
 * leaves (a desktop always has other clients); NULL when Xvfb is not
 * installed. */
static GSubprocess *
start_xvfb (char **display)
{
  g_autofree char *program = g_find_program_in_path ("Xvfb");
  if (program == NULL)
    return NULL;

  int fds[2];
  g_assert_cmpint (pipe (fds), ==, 0);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *xvfb = g_subprocess_launcher_spawn (launcher, &error, program, "-displayfd", "3", "-nolisten", "tcp", "-noreset",
                                                   "-screen", "0", "640x480x24", NULL);
  g_assert_no_error (error);

  /* It writes the display number and a newline once it accepts clients. */
  char buffer[32] = { 0 };
  gsize got = 0;
  while (got < sizeof buffer - 1 && (got == 0 || buffer[got - 1] != '\n'))
    {
      gssize n = read (fds[0], buffer + got, sizeof buffer - 1 - got);
      if (n <= 0)
        break;
      got += (gsize) n;
    }
  close (fds[0]);
  g_assert_cmpuint (got, >, 1);
  *display = g_strdup_printf (":%d", atoi (buffer));
  return xvfb;
}

static void
test_play (void)
{
  g_autoptr(Club) club = make_club ("play");
  g_autoptr(ThCliUser) student = cli_user (club->student);
  g_autofree char *small = small_video ();

  g_autoptr(ThCliResult) up = th_cli_run (student, NULL, "--json", "upload", small, "--group", club->group_id,
                                          "--name", "Playback", NULL);
  th_cli_assert_status (up, 0);
  const char *asset_id = th_cli_json_str (up, "asset_id");

  /* Decodes every frame through the signed URL (souphttpsrc). */
  g_autoptr(ThCliResult) p = th_cli_run (student, NULL, "--json", "play", "--no-window", asset_id, NULL);
  th_cli_assert_status (p, 0);
  g_assert_true (json_node_get_boolean (th_cli_json_at (p, "played")));
  g_assert_cmpint (json_node_get_int (th_cli_json_at (p, "video_frames")), >=, 25);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (p, "width")), ==, 320);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (p, "duration_ms")), >=, 1900);
  g_assert_true (g_str_has_prefix (th_cli_json_str (p, "url"), "http://"));

  /* By the video's id too (play VIDEO). */
  const char *video_id = th_cli_json_str (up, "videos.0.id");
  g_assert_true (g_uuid_string_is_valid (video_id));
  g_autoptr(ThCliResult) text = th_cli_run (student, NULL, "play", "--no-window", video_id, NULL);
  th_cli_assert_status (text, 0);
  g_assert_true (g_str_has_prefix (text->out, "The video plays: "));
  g_assert_nonnull (strstr (text->out, "320×240"));

  /* In a window, on a virtual X display of our own (skipped where Xvfb
   * is missing). */
  g_autofree char *display = NULL;
  g_autoptr(GSubprocess) xvfb = start_xvfb (&display);
  if (xvfb != NULL)
    {
      g_setenv ("DISPLAY", display, TRUE);
      g_unsetenv ("WAYLAND_DISPLAY");
      g_autoptr(ThCliResult) shown = th_cli_run (student, NULL, "--json", "play", asset_id, NULL);
      th_cli_assert_status (shown, 0);
      g_assert_true (json_node_get_boolean (th_cli_json_at (shown, "played")));
      g_assert_cmpint (json_node_get_int (th_cli_json_at (shown, "video_frames")), >=, 25);
      g_assert_cmpint (json_node_get_int (th_cli_json_at (shown, "width")), ==, 320);
      g_subprocess_force_exit (xvfb);
      g_subprocess_wait (xvfb, NULL, NULL);
    }
  else
    g_test_message ("no Xvfb: window playback not tried");

  /* No display: the URL and a clear sentence, exit 0. */
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");
  g_autoptr(ThCliResult) headless = th_cli_run (student, NULL, "play", asset_id, NULL);
  th_cli_assert_status (headless, 0);
  g_assert_true (g_str_has_prefix (headless->out, "http"));
  g_assert_nonnull (strstr (headless->err, "No display"));

  /* Someone from another club sees nothing. */
  g_autoptr(Club) other = make_club ("play2");
  g_autoptr(ThCliUser) stranger = cli_user (other->student);
  g_autoptr(ThCliResult) denied = th_cli_run (stranger, NULL, "--json", "play", "--no-window", asset_id, NULL);
  th_cli_assert_status (denied, 1);
  g_assert_cmpstr (th_cli_json_str (denied, "error.code"), ==, "not_found");
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  gst_init (&argc, &argv);
  video_dir = g_dir_make_tmp ("tandem-cli-videos-XXXXXX", NULL);
  ts = th_server_start ();

  g_test_add_func ("/CLI/Media/upload", test_upload);
  g_test_add_func ("/CLI/Media/no-wait-then-complete", test_no_wait_then_complete);
  g_test_add_func ("/CLI/Media/upload-errors", test_upload_errors);
  g_test_add_func ("/CLI/Media/not-a-video", test_not_a_video);
  g_test_add_func ("/CLI/Media/resume-after-kill", test_resume_after_kill);
  g_test_add_func ("/CLI/Media/interrupt-and-rerun", test_interrupt_and_rerun);
  g_test_add_func ("/CLI/Media/resume-changed-file", test_resume_changed_file);
  g_test_add_func ("/CLI/Media/review", test_review);
  g_test_add_func ("/CLI/Media/play", test_play);

  int status = g_test_run ();
  th_server_stop (ts);
  th_cli_rm_rf (video_dir);
  g_free (video_dir);
  return status;
}
