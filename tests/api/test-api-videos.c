/* test-api-videos.c — the media pipeline end to end against a real signald:
 * a video row in 'processing' with its file in storage (put there directly:
 * the tus upload path lives on another branch) is taken by the media
 * worker and becomes 'ready' with probed values, a thumbnail and a strip;
 * files that are no video, or cut short, become 'failed' with a clear
 * error; an exotic file is transcoded; work left behind by a dead server is
 * taken up after a restart; playback links play through GStreamer's
 * souphttpsrc (seeking, so Range works) and plain Range requests (206, 416)
 * and refuse wrong or expired signatures; who sees a video and who gets
 * 404.  Runs on SQLite and PostgreSQL. */
#include "th-media.h"
#include "th-server.h"
#include "th-tus.h"

#include "auth/sd-url-sign.h"
#include "jobs/sd-media-jobs.h"
#include "media/sd-media-strip.h"
#include "storage/sd-storage.h"
#include "store/sd-db.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

static ThServer *ts;
static char *media_dir;

/* Organization A: admin, the group's owner (an expert), an expert member,
 * a student member (owner of the assets), another student member, an
 * expert outside the group.  Organization B: its admin. */
static char *org_a, *group_id;
static char *admin, *coach, *coach_id, *expert_member, *owner, *owner_id, *student_other, *expert_out;
static char *other_admin;

/* ---- helpers ---- */

static char *
org_of (const char *token)
{
  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  return g_strdup (th_json_str (me, "organization_id"));
}

static SdDbConn *
db (void)
{
  g_autoptr(GError) error = NULL;
  SdDbConn *conn = sd_db_connect (sd_server_get_db (ts->server), &error);
  g_assert_no_error (error);
  return conn;
}

/* Makes an asset of the student with one video whose file (@kind) is in
 * storage, in @status with @lease_until (0: none) and @attempts. */
static char *
insert_video (ThMediaKind  kind,
              const char  *status,
              gint64       lease_until,
              gint64       attempts)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *asset = g_uuid_string_random ();
  char *video = g_uuid_string_random ();
  g_autofree char *path = th_media_make (media_dir, kind);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  g_autofree char *key = g_strdup_printf ("%s/uploads/%s", org_a, video);
  g_assert_true (sd_storage_put (sd_server_get_storage (ts->server), key, bytes, &error));
  g_assert_no_error (error);

  g_autoptr(SdDbConn) conn = db ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org_a, &error));
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO assets (id, org_id, group_id, owner_id, name, status, created_at, updated_at)"
                               " VALUES ($1, $2, $3, $4, 'Serve practice', 'waiting_upload', $5, $5)",
                               "ssssi", asset, org_a, group_id, owner_id, now), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (sd_db_exec (conn, &error,
                               "INSERT INTO videos (id, org_id, asset_id, filename, size, status, source_key,"
                               "                    attempts, created_at, updated_at)"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                               "ssssissii", video, org_a, asset, th_media_spec (kind)->name, (gint64) len,
                               status, key, attempts, now), ==, 1);
  g_assert_no_error (error);
  if (lease_until > 0)
    g_assert_cmpint (sd_db_exec (conn, &error, "UPDATE videos SET lease_until = $3 WHERE id = $1 AND org_id = $2",
                                 "ssi", video, org_a, lease_until), ==, 1);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));
  return video;
}

static gint64
video_int (const char *video,
           const char *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = db ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, org_a, &error));
  g_autofree char *sql = g_strdup_printf ("SELECT %s AS value FROM videos WHERE id = $1 AND org_id = $2", column);
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error, sql, "ss", video, org_a);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (rows), ==, 1);
  gint64 v = sd_db_rows_is_null (rows, 0, "value") ? -1 : sd_db_rows_int (rows, 0, "value");
  sd_db_rollback (conn);
  return v;
}

static gint64
storage_used (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = db ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_READ, org_a, &error));
  g_autoptr(SdDbRows) rows = sd_db_query (conn, &error, "SELECT storage_used FROM organizations WHERE id = $1",
                                          "s", org_a);
  g_assert_no_error (error);
  gint64 v = sd_db_rows_int (rows, 0, "storage_used");
  sd_db_rollback (conn);
  return v;
}

/* The storage root (sd-server.c: DATA_DIR/media). */
static char *
media_root (void)
{
  return g_build_filename (ts->tmpdir, "media", NULL);
}

/* Whether a stored object's key (ORG/uploads/ID) or a video's prefix
 * (ORG/videos/ID) exists as a file or folder under the storage root. */
static gboolean
stored (const char *key)
{
  g_autofree char *root = media_root ();
  g_autofree char *path = g_build_filename (root, key, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* How many files and folders under @dir have @needle in their name. */
static guint
count_named (const char *dir,
             const char *needle)
{
  guint n = 0;
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (strstr (name, needle) != NULL)
        n++;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_named (path, needle);
    }
  return n;
}

/* Nothing named after @id anywhere under the storage root. */
static void
assert_nothing_stored (const char *id)
{
  g_autofree char *root = media_root ();
  g_assert_true (g_file_test (root, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_named (root, id), ==, 0);
}

/* Waits until the video leaves 'processing'; returns its JSON. */
static ThResponse *
wait_done (const char *video)
{
  g_autofree char *path = g_strdup_printf ("/videos/%s", video);
  sd_server_kick_media_jobs (ts->server);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  for (;;)
    {
      ThResponse *r = th_request (ts, "GET", path, owner, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      if (g_strcmp0 (th_json_str (r, "status"), "processing") != 0)
        return r;
      if (g_get_monotonic_time () > deadline)
        g_error ("video %s is still processing", video);
      th_response_free (r);
      g_usleep (100 * 1000);
    }
}

static ThResponse *
request_raw (const char *method,
             const char *url,
             const char *range)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  ThResponse *r = g_new0 (ThResponse, 1);
  r->body = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

static ThResponse *
get_raw (const char *url,
         const char *range)
{
  return request_raw ("GET", url, range);
}

static GdkPixbuf *
decode_image (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static char *
playback_url (const char *video,
              const char *token)
{
  g_autofree char *path = g_strdup_printf ("/videos/%s/playback", video);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (th_json_str (r, "expires_at"));
  return g_strdup (th_json_str (r, "url"));
}

/* ---- playback through GStreamer ---- */

typedef struct {
  GMutex lock;
  GstClockTime first_pts;
  guint buffers;
} Handoffs;

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  Handoffs *h = data;
  g_mutex_lock (&h->lock);
  if (h->buffers++ == 0)
    h->first_pts = GST_BUFFER_PTS (buffer);
  g_mutex_unlock (&h->lock);
}

static GstMessage *
wait_bus (GstElement       *pipeline,
          GstMessageType    types)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, types | GST_MESSAGE_ERROR);
  if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;
      gst_message_parse_error (msg, &error, &debug);
      g_error ("playback failed: %s (%s)", error->message, debug);
    }
  g_assert_nonnull (msg);
  return msg;
}

/* Plays @url with souphttpsrc from its middle to its end; returns the
 * number of video frames seen after the seek. */
static guint
play_from_middle (const char *url,
                  gint64      expected_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (
    "souphttpsrc name=src ! decodebin ! videoconvert ! fakesink name=sink sync=false signal-handoffs=true",
    &error);
  g_assert_no_error (error);
  g_autoptr(GstElement) src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", url, NULL);
  Handoffs h = { .first_pts = GST_CLOCK_TIME_NONE };
  g_mutex_init (&h.lock);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &h);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_message_unref (wait_bus (pipeline, GST_MESSAGE_ASYNC_DONE));

  gint64 duration = 0;
  g_assert_true (gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration));
  g_assert_cmpint (duration / GST_MSECOND, >=, expected_ms - 150);
  g_assert_cmpint (duration / GST_MSECOND, <=, expected_ms + 150);
  g_autoptr(GstQuery) seeking = gst_query_new_seeking (GST_FORMAT_TIME);
  g_assert_true (gst_element_query (pipeline, seeking));
  gboolean seekable = FALSE;
  gst_query_parse_seeking (seeking, NULL, &seekable, NULL, NULL);
  g_assert_true (seekable);

  /* To the middle: souphttpsrc asks for the rest with a Range request. */
  g_assert_true (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
                                          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, duration / 2));
  gst_message_unref (wait_bus (pipeline, GST_MESSAGE_ASYNC_DONE));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_message_unref (wait_bus (pipeline, GST_MESSAGE_EOS));
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_mutex_lock (&h.lock);
  guint frames = h.buffers;
  GstClockTime first = h.first_pts;
  g_mutex_unlock (&h.lock);
  g_mutex_clear (&h.lock);
  g_assert_true (GST_CLOCK_TIME_IS_VALID (first));
  g_assert_cmpint ((gint64) first, >=, duration / 2 - 50 * GST_MSECOND);
  return frames;
}

/* ---- tests ---- */

static void
test_ready (void)
{
  gint64 used_before = storage_used ();
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP8_OPUS, "processing", 0, 0);
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
  g_assert_null (th_json_str (r, "error.code"));
  const ThMediaSpec *spec = th_media_spec (TH_MEDIA_WEBM_VP8_OPUS);
  g_assert_cmpint (th_json_int (r, "width"), ==, spec->width);
  g_assert_cmpint (th_json_int (r, "height"), ==, spec->height);
  g_assert_cmpint (th_json_int (r, "fps_num"), ==, 30);
  g_assert_cmpint (th_json_int (r, "fps_den"), ==, 1);
  g_assert_cmpint (th_json_int (r, "duration_ms"), >=, spec->duration_ms - 100);
  g_assert_cmpint (th_json_int (r, "duration_ms"), <=, spec->duration_ms + 150);
  g_assert_cmpstr (th_json_str (r, "container"), ==, "webm");
  g_assert_cmpstr (th_json_str (r, "video_codec"), ==, "vp8");
  g_assert_cmpstr (th_json_str (r, "audio_codec"), ==, "opus");
  g_assert_cmpstr (th_json_str (r, "playback_type"), ==, "video/webm");
  g_assert_cmpint (video_int (video, "lease_until"), ==, -1);

  /* The thumbnail is a real picture of the video's size. */
  const char *thumb_url = th_json_str (r, "thumbnail_url");
  g_assert_nonnull (thumb_url);
  g_autoptr(ThResponse) thumb = th_request (ts, "GET", thumb_url, owner, NULL);
  g_assert_cmpuint (thumb->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (thumb->headers, NULL), "image/"));
  g_autoptr(GdkPixbuf) pb = decode_image (thumb->body);
  g_assert_cmpint (gdk_pixbuf_get_width (pb), ==, 320);
  g_assert_cmpint (gdk_pixbuf_get_height (pb), ==, 240);

  /* The strip holds frames × 160 px tiles, as described. */
  gint64 frames = th_json_int (r, "strip.frames");
  gint64 columns = th_json_int (r, "strip.columns");
  g_assert_cmpint (frames, >=, 1);
  g_assert_cmpint (frames * th_json_int (r, "strip.interval_ms"), >=, th_json_int (r, "duration_ms"));
  g_assert_cmpint (th_json_int (r, "strip.tile_width"), ==, SD_MEDIA_STRIP_TILE_WIDTH);
  g_autoptr(ThResponse) strip = th_request (ts, "GET", th_json_str (r, "strip.url"), owner, NULL);
  g_assert_cmpuint (strip->status, ==, 200);
  g_autoptr(GdkPixbuf) sp = decode_image (strip->body);
  g_assert_cmpint (gdk_pixbuf_get_width (sp), ==, columns * 160);
  g_assert_cmpint (gdk_pixbuf_get_height (sp), ==, ((frames + columns - 1) / columns) * 120);

  /* Derived files count against the organization's storage. */
  gint64 derived = video_int (video, "derived_bytes");
  g_assert_cmpint (derived, ==, (gint64) (g_bytes_get_size (thumb->body) + g_bytes_get_size (strip->body)));
  g_assert_cmpint (storage_used () - used_before, ==, derived);
}

static void
expect_failure (ThMediaKind kind,
                const char *code)
{
  gint64 used_before = storage_used ();
  g_autofree char *video = insert_video (kind, "processing", 0, 0);
  g_autofree char *source = g_strdup_printf ("%s/uploads/%s", org_a, video);
  g_assert_true (stored (source));
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "failed");
  g_assert_cmpstr (th_json_str (r, "error.code"), ==, code);
  /* Nothing is left of it but the row that says why. */
  assert_nothing_stored (video);
  g_assert_cmpint (video_int (video, "derived_bytes"), ==, 0);
  g_assert_cmpint (storage_used (), ==, used_before);
  g_assert_cmpuint (strlen (th_json_str (r, "error.message")), >, 10);
  g_assert_null (th_json_str (r, "thumbnail_url"));
  g_assert_cmpint (video_int (video, "derived_bytes"), ==, 0);

  g_autofree char *thumb = g_strdup_printf ("/videos/%s/thumbnail", video);
  g_autoptr(ThResponse) t = th_request (ts, "GET", thumb, owner, NULL);
  g_assert_cmpuint (t->status, ==, 404);
  g_autofree char *play = g_strdup_printf ("/videos/%s/playback", video);
  g_autoptr(ThResponse) p = th_request (ts, "GET", play, owner, NULL);
  g_assert_cmpuint (p->status, ==, 409);
  g_assert_cmpstr (th_json_str (p, "error.code"), ==, "not_ready");
}

static void
test_not_a_video (void)
{
  expect_failure (TH_MEDIA_TEXT, "not_a_video");
  expect_failure (TH_MEDIA_AUDIO_ONLY, "not_a_video");
}

static void
test_truncated (void)
{
  expect_failure (TH_MEDIA_TRUNCATED, "unreadable");
  expect_failure (TH_MEDIA_TRUNCATED_WEBM, "unreadable");
}

static void
test_transcoded (void)
{
  g_autofree char *video = insert_video (TH_MEDIA_AVI_MPEG4, "processing", 0, 0);
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
  g_assert_cmpstr (th_json_str (r, "container"), ==, "avi");
  g_assert_cmpstr (th_json_str (r, "video_codec"), ==, "mpeg4");
  /* The desktop does not play AVI directly: a transcode is served. */
  const char *type = th_json_str (r, "playback_type");
  g_assert_true (g_strcmp0 (type, "video/mp4") == 0 || g_strcmp0 (type, "video/webm") == 0 ||
                 g_strcmp0 (type, "video/ogg") == 0);
  g_assert_cmpint (video_int (video, "derived_bytes"), >, 10000);

  g_autofree char *url = playback_url (video, owner);
  g_autoptr(ThResponse) head = get_raw (url, "bytes=0-15");
  g_assert_cmpuint (head->status, ==, 206);
  g_assert_cmpstr (soup_message_headers_get_content_type (head->headers, NULL), ==, type);
  g_assert_cmpuint (play_from_middle (url, th_json_int (r, "duration_ms")), >, 5);
}

static void
test_playback (void)
{
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP8_OPUS, "processing", 0, 0);
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
  g_autofree char *url = playback_url (video, owner);
  g_assert_true (g_str_has_prefix (url, ts->url));

  /* The file, whole: the stored original, byte for byte. */
  g_autofree char *path = th_media_make (media_dir, TH_MEDIA_WEBM_VP8_OPUS);
  g_autofree char *original = NULL;
  gsize total = 0;
  g_assert_true (g_file_get_contents (path, &original, &total, NULL));
  g_assert_cmpuint (total, >, 21000);
  g_autoptr(ThResponse) whole = get_raw (url, NULL);
  g_assert_cmpuint (whole->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (whole->body), ==, total);
  g_assert_true (memcmp (g_bytes_get_data (whole->body, NULL), original, total) == 0);
  g_assert_cmpstr (soup_message_headers_get_one (whole->headers, "Accept-Ranges"), ==, "bytes");
  g_assert_cmpstr (soup_message_headers_get_content_type (whole->headers, NULL), ==, "video/webm");
  g_assert_cmpint (soup_message_headers_get_content_length (whole->headers), ==, (goffset) total);

  /* HEAD: the same headers, no body. */
  g_autoptr(ThResponse) head = request_raw ("HEAD", url, NULL);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (head->headers), ==, (goffset) total);
  g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);

  /* Ranges: first bytes, a middle slice, a suffix, an open end. */
  struct { const char *range; gsize start, end; } cases[] = {
    { "bytes=0-99", 0, 99 },
    { "bytes=1000-20999", 1000, 20999 },
    { "bytes=-10", total - 10, total - 1 },
    { NULL, total - 5, total - 1 },
  };
  g_autofree char *open_end = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", total - 5);
  cases[3].range = open_end;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ThResponse) part = get_raw (url, cases[i].range);
      g_assert_cmpuint (part->status, ==, 206);
      gsize n = cases[i].end - cases[i].start + 1;
      g_assert_cmpuint (g_bytes_get_size (part->body), ==, n);
      g_assert_true (memcmp (g_bytes_get_data (part->body, NULL), original + cases[i].start, n) == 0);
      g_autofree char *expect = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                 cases[i].start, cases[i].end, total);
      g_assert_cmpstr (soup_message_headers_get_one (part->headers, "Content-Range"), ==, expect);
    }

  /* Past the end: 416 with the size. */
  g_autofree char *past = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", total);
  g_autoptr(ThResponse) beyond = get_raw (url, past);
  g_assert_cmpuint (beyond->status, ==, 416);
  g_autofree char *star = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, total);
  g_assert_cmpstr (soup_message_headers_get_one (beyond->headers, "Content-Range"), ==, star);

  /* A real player seeks in it. */
  guint frames = play_from_middle (url, th_json_int (r, "duration_ms"));
  g_assert_cmpuint (frames, >=, 10);
  g_assert_cmpuint (frames, <=, 40);   /* the second half of 60, give or take a key frame */
}

/* Bodies larger than one 64 KiB piece go out whole and in order: the
 * played file is replaced in storage by 3 MiB of random bytes. */
static void
test_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP9, "processing", 0, 0);
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
  g_autofree char *url = playback_url (video, owner);

  gsize total = 3 * 1024 * 1024 + 123;
  guint8 *data = g_malloc (total);
  for (gsize i = 0; i < total; i++)
    data[i] = (guint8) g_random_int ();
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, total);
  g_autofree char *key = g_strdup_printf ("%s/uploads/%s", org_a, video);
  g_assert_true (sd_storage_put (sd_server_get_storage (ts->server), key, bytes, &error));

  g_autoptr(ThResponse) whole = get_raw (url, NULL);
  g_assert_cmpuint (whole->status, ==, 200);
  g_assert_true (g_bytes_equal (whole->body, bytes));

  g_autoptr(ThResponse) part = get_raw (url, "bytes=100000-2500000");
  g_assert_cmpuint (part->status, ==, 206);
  g_autoptr(GBytes) expect = g_bytes_new_from_bytes (bytes, 100000, 2400001);
  g_assert_true (g_bytes_equal (part->body, expect));

  /* A client that hangs up halfway leaves the server serving others. */
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) in = soup_session_send (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  guint8 buf[4096];
  g_assert_cmpint (g_input_stream_read (in, buf, sizeof buf, NULL, &error), >, 0);
  g_input_stream_close (in, NULL, NULL);
  g_autoptr(ThResponse) after = get_raw (url, "bytes=0-9");
  g_assert_cmpuint (after->status, ==, 206);
}

static void
test_signatures (void)
{
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP9, "processing", 0, 0);
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
  g_autofree char *url = playback_url (video, owner);
  g_autoptr(ThResponse) good = get_raw (url, "bytes=0-9");
  g_assert_cmpuint (good->status, ==, 206);

  /* One changed character in the signature. */
  g_autofree char *tampered = g_strdup (url);
  char *last = tampered + strlen (tampered) - 1;
  *last = *last == '0' ? '1' : '0';
  g_autoptr(ThResponse) t = get_raw (tampered, NULL);
  g_assert_cmpuint (t->status, ==, 403);
  g_assert_true (strstr (g_bytes_get_data (t->body, NULL), "forbidden") != NULL);

  /* A later expiry with the old signature. */
  g_autofree char *base = g_strndup (url, strstr (url, "&expires=") - url);
  const char *sig = strstr (url, "&sig=");
  g_autofree char *later = g_strdup_printf ("%s&expires=%" G_GINT64_FORMAT "%s", base,
                                            g_get_real_time () / G_USEC_PER_SEC + 7200, sig);
  g_autoptr(ThResponse) l = get_raw (later, NULL);
  g_assert_cmpuint (l->status, ==, 403);

  /* Properly signed, but expired. */
  gint64 past = g_get_real_time () / G_USEC_PER_SEC - 5;
  g_autofree char *old_sig = sd_url_sign (sd_server_get_url_secret (ts->server), "playback", video, org_a, past);
  g_autofree char *expired = g_strdup_printf ("%s/videos/%s/stream?org=%s&expires=%" G_GINT64_FORMAT "&sig=%s",
                                              ts->url, video, org_a, past, old_sig);
  g_autoptr(ThResponse) e = get_raw (expired, NULL);
  g_assert_cmpuint (e->status, ==, 403);

  /* No signature at all, and another video's path with this signature. */
  g_autofree char *bare = g_strdup_printf ("%s/videos/%s/stream", ts->url, video);
  g_autoptr(ThResponse) b = get_raw (bare, NULL);
  g_assert_cmpuint (b->status, ==, 403);
  g_autofree char *other_id = g_uuid_string_random ();
  g_autofree char *moved = g_strdup (url);
  memcpy (strstr (moved, video), other_id, 36);
  g_autoptr(ThResponse) m = get_raw (moved, NULL);
  g_assert_cmpuint (m->status, ==, 403);

  /* Another organization's user cannot even ask for a link. */
  g_autofree char *play = g_strdup_printf ("/videos/%s/playback", video);
  g_autoptr(ThResponse) o = th_request (ts, "GET", play, other_admin, NULL);
  g_assert_cmpuint (o->status, ==, 404);
}

static void
test_visibility (void)
{
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP9, "processing", 0, 0);
  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");

  const char *suffixes[] = { "", "/thumbnail", "/strip", "/playback" };
  struct { const char *who; const char *token; guint status; } cases[] = {
    { "asset owner", owner, 200 },
    { "admin", admin, 200 },
    { "group owner", coach, 200 },
    { "expert member", expert_member, 200 },
    { "other student member", student_other, 404 },
    { "expert outside the group", expert_out, 404 },
    { "other organization", other_admin, 404 },
    { "nobody", NULL, 401 },
  };
  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/videos/%s%s", video, suffixes[s]);
        g_autoptr(ThResponse) resp = th_request (ts, "GET", path, cases[i].token, NULL);
        if (resp->status != cases[i].status)
          g_error ("%s on %s: %u, expected %u", cases[i].who, path, resp->status, cases[i].status);
      }
  /* An unknown video looks like a hidden one. */
  g_autofree char *unknown = g_strdup_printf ("/videos/%s", coach_id);
  g_autoptr(ThResponse) u = th_request (ts, "GET", unknown, admin, NULL);
  g_assert_cmpuint (u->status, ==, 404);
}

/* The whole way: POST /assets, the file through tus, the worker woken by
 * the last PATCH, the video ready, the asset completed. */
static void
test_upload_to_ready (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = th_media_make (media_dir, TH_MEDIA_MP4_H264_AAC);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), len);

  g_autoptr(ThResponse) made = th_requestf (ts, "POST", "/assets", owner,
    "{\"name\":\"Rally\",\"description\":\"\",\"group_id\":\"%s\","
    " \"files\":[{\"filename\":\"rally.mp4\",\"size\":%" G_GSIZE_FORMAT "}]}", group_id, len);
  g_assert_cmpuint (made->status, ==, 201);
  const char *asset = th_json_str (made, "asset.id");
  const char *video = th_json_str (made, "videos.0.id");
  th_tus_upload_rest (ts, th_json_str (made, "videos.0.upload_url"), owner, bytes, 64 * 1024);

  g_autoptr(ThResponse) r = wait_done (video);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "ready");
  g_assert_cmpint (th_json_int (r, "width"), ==, 352);
  g_assert_cmpint (th_json_int (r, "height"), ==, 288);
  g_assert_cmpstr (th_json_str (r, "video_codec"), ==, "h264");
  g_assert_cmpstr (th_json_str (r, "playback_type"), ==, "video/mp4");
  g_assert_nonnull (th_json_str (r, "thumbnail_url"));

  /* The asset shows the same, and can now be completed. */
  g_autofree char *asset_path = g_strdup_printf ("/assets/%s", asset);
  g_autoptr(ThResponse) shown = th_request (ts, "GET", asset_path, owner, NULL);
  g_assert_cmpstr (th_json_str (shown, "videos.0.status"), ==, "ready");
  g_assert_cmpint (th_json_int (shown, "videos.0.duration_ms"), ==, th_json_int (r, "duration_ms"));
  g_assert_cmpint (th_json_int (shown, "videos.0.duration_ms"), >=, 2900);
  g_assert_cmpint (th_json_int (shown, "videos.0.width"), ==, 352);
  g_assert_cmpint (th_json_int (shown, "videos.0.height"), ==, 288);
  g_assert_cmpstr (th_json_str (shown, "videos.0.thumbnail_url"), ==, th_json_str (r, "thumbnail_url"));
  g_autoptr(ThResponse) thumb = th_request (ts, "GET", th_json_str (shown, "videos.0.thumbnail_url"), owner, NULL);
  g_assert_cmpuint (thumb->status, ==, 200);
  g_autofree char *complete = g_strdup_printf ("/assets/%s/complete", asset);
  g_autoptr(ThResponse) done = th_request (ts, "POST", complete, owner, NULL);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (th_json_str (done, "status"), ==, "pending");

  g_autofree char *url = playback_url (video, owner);
  g_assert_cmpuint (play_from_middle (url, th_json_int (r, "duration_ms")), >=, 10);
}

/* Through the API: a file that is no video and a cut-short video are
 * uploaded with tus into one asset; each fails with its error code, and
 * leaves nothing behind — no file under the storage root, no upload, and
 * storage_used exactly where it was before the asset was made.  The asset
 * cannot be completed (409 naming the failed video); deleting it works and
 * releases nothing twice. */
static void
test_failed_upload_leaves_nothing (void)
{
  g_autoptr(GError) error = NULL;
  const ThMediaKind kinds[] = { TH_MEDIA_TEXT, TH_MEDIA_TRUNCATED };
  const char *codes[] = { "not_a_video", "unreadable" };
  const char *names[] = { "notes.mp4", "cut.mp4" };
  GBytes *files[2];
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = th_media_make (media_dir, kinds[i]);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &data, &len, &error));
      files[i] = g_bytes_new_take (g_steal_pointer (&data), len);
    }
  gsize total = g_bytes_get_size (files[0]) + g_bytes_get_size (files[1]);

  gint64 used_before = storage_used ();
  g_autoptr(ThResponse) made = th_requestf (ts, "POST", "/assets", owner,
    "{\"name\":\"Not quite\",\"description\":\"\",\"group_id\":\"%s\","
    " \"files\":[{\"filename\":\"%s\",\"size\":%" G_GSIZE_FORMAT "},"
    "            {\"filename\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
    group_id, names[0], g_bytes_get_size (files[0]), names[1], g_bytes_get_size (files[1]));
  g_assert_cmpuint (made->status, ==, 201);
  g_assert_cmpint (storage_used (), ==, used_before + (gint64) total);
  const char *asset = th_json_str (made, "asset.id");
  g_assert_cmpstr (th_json_str (made, "asset.status"), ==, "waiting_upload");

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *vpath = g_strdup_printf ("videos.%u.id", i);
      g_autofree char *upath = g_strdup_printf ("videos.%u.upload_url", i);
      g_autofree char *upload_id = g_strdup (th_json_str (made, upath) + strlen (th_json_str (made, upath)) - 36);
      const char *video = th_json_str (made, vpath);
      th_tus_upload_rest (ts, th_json_str (made, upath), owner, files[i], 64 * 1024);
      g_autoptr(ThResponse) r = wait_done (video);
      g_assert_cmpstr (th_json_str (r, "status"), ==, "failed");
      g_assert_cmpstr (th_json_str (r, "error.code"), ==, codes[i]);
      g_assert_cmpuint (strlen (th_json_str (r, "error.message")), >, 10);
      g_assert_cmpint (th_json_int (r, "size"), ==, (gint64) g_bytes_get_size (files[i]));
      g_assert_null (th_json_str (r, "upload_url"));
      g_assert_null (th_json_str (r, "thumbnail_url"));
      /* The upload is gone with its file: a tus client's HEAD finds nothing. */
      g_assert_cmpint (th_tus_offset (ts, th_json_str (made, upath), owner), ==, -404);
      g_assert_cmpint (th_db_int (ts, org_a, "SELECT COUNT(*) AS n FROM uploads WHERE id = $1 AND org_id = $2",
                                  "ss", upload_id, org_a), ==, 0);
      assert_nothing_stored (upload_id);
      assert_nothing_stored (video);
    }
  /* Exactly what the asset reserved is released again. */
  g_assert_cmpint (storage_used (), ==, used_before);

  /* The asset says why, and cannot be completed. */
  g_autofree char *asset_path = g_strdup_printf ("/assets/%s", asset);
  g_autoptr(ThResponse) shown = th_request (ts, "GET", asset_path, owner, NULL);
  g_assert_cmpuint (shown->status, ==, 200);
  g_assert_cmpstr (th_json_str (shown, "status"), ==, "waiting_upload");
  g_assert_cmpstr (th_json_str (shown, "videos.0.status"), ==, "failed");
  g_assert_cmpstr (th_json_str (shown, "videos.0.error.code"), ==, "not_a_video");
  g_assert_cmpstr (th_json_str (shown, "videos.1.status"), ==, "failed");
  g_assert_cmpstr (th_json_str (shown, "videos.1.error.code"), ==, "unreadable");
  g_autofree char *complete = g_strdup_printf ("/assets/%s/complete", asset);
  g_autoptr(ThResponse) refused = th_request (ts, "POST", complete, owner, NULL);
  g_assert_cmpuint (refused->status, ==, 409);
  g_assert_cmpstr (th_json_str (refused, "error.code"), ==, "invalid_transition");
  g_assert_nonnull (strstr (th_json_str (refused, "error.message"), names[0]));
  g_assert_nonnull (strstr (th_json_str (refused, "error.message"), "failed"));

  /* Deleting it works and releases nothing more. */
  g_autoptr(ThResponse) del = th_request (ts, "DELETE", asset_path, owner, NULL);
  g_assert_cmpuint (del->status, ==, 204);
  g_assert_cmpint (storage_used (), ==, used_before);
  g_autoptr(ThResponse) gone = th_request (ts, "GET", asset_path, owner, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
  g_bytes_unref (files[0]);
  g_bytes_unref (files[1]);
}

/* Claims from two connections never return the same video; a live lease
 * keeps a video from being claimed. */
static void
test_claim (void)
{
  g_autoptr(GError) error = NULL;
  sd_server_stop (ts->server);   /* no worker competes */
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *a = insert_video (TH_MEDIA_WEBM_VP9, "processing", 0, 0);
  g_autofree char *b = insert_video (TH_MEDIA_WEBM_VP9, "processing", now - 1, 1);
  g_autofree char *leased = insert_video (TH_MEDIA_WEBM_VP9, "processing", now + 3600, 1);

  g_autoptr(SdDbConn) c1 = db ();
  g_autoptr(SdDbConn) c2 = db ();
  g_autoptr(SdDbRows) r1 = sd_db_sys (c1, &error, SD_DB_SYS_MEDIA_CLAIM, "ii", now, now + 60);
  g_assert_no_error (error);
  g_autoptr(SdDbRows) r2 = sd_db_sys (c2, &error, SD_DB_SYS_MEDIA_CLAIM, "ii", now, now + 60);
  g_assert_no_error (error);
  g_autoptr(SdDbRows) r3 = sd_db_sys (c1, &error, SD_DB_SYS_MEDIA_CLAIM, "ii", now, now + 60);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_db_rows_n (r1), ==, 1);
  g_assert_cmpuint (sd_db_rows_n (r2), ==, 1);
  g_assert_cmpuint (sd_db_rows_n (r3), ==, 0);
  const char *id1 = sd_db_rows_text (r1, 0, "id"), *id2 = sd_db_rows_text (r2, 0, "id");
  g_assert_cmpstr (id1, !=, id2);
  g_assert_true ((g_str_equal (id1, a) && g_str_equal (id2, b)) || (g_str_equal (id1, b) && g_str_equal (id2, a)));
  g_assert_cmpstr (sd_db_rows_text (r1, 0, "org_id"), ==, org_a);
  g_assert_cmpint (video_int (a, "attempts"), ==, 1);
  g_assert_cmpint (video_int (b, "attempts"), ==, 2);
  g_assert_cmpint (video_int (leased, "lease_until"), ==, now + 3600);

  /* Leave nothing for the next tests' worker. */
  g_assert_true (sd_db_begin (c1, SD_DB_TX_WRITE, org_a, &error));
  g_assert_cmpint (sd_db_exec (c1, &error, "DELETE FROM videos WHERE id IN ($1, $2, $3) AND org_id = $4",
                               "ssss", a, b, leased, org_a), ==, 3);
  g_assert_true (sd_db_commit (c1, &error));
  g_clear_pointer (&c1, sd_db_conn_free);
  g_clear_pointer (&c2, sd_db_conn_free);
  th_server_restart (ts);
}

/* A server that died mid-work left videos in 'processing': after a restart
 * the worker takes those whose lease ended (or that have none), gives up
 * on one that failed too often, and leaves a live lease alone. */
static void
test_restart (void)
{
  sd_server_stop (ts->server);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *expired = insert_video (TH_MEDIA_WEBM_VP8_OPUS, "processing", now - 10, 1);
  g_autofree char *unleased = insert_video (TH_MEDIA_MKV_H264_VORBIS, "processing", 0, 0);
  g_autofree char *worn = insert_video (TH_MEDIA_WEBM_VP9, "processing", now - 10, SD_MEDIA_JOBS_MAX_ATTEMPTS);
  g_autofree char *leased = insert_video (TH_MEDIA_WEBM_VP9, "processing", now + 3600, 1);

  th_server_restart (ts);

  g_autoptr(ThResponse) e = wait_done (expired);
  g_assert_cmpstr (th_json_str (e, "status"), ==, "ready");
  g_assert_cmpint (video_int (expired, "attempts"), ==, 2);
  g_autoptr(ThResponse) u = wait_done (unleased);
  g_assert_cmpstr (th_json_str (u, "status"), ==, "ready");
  g_assert_cmpstr (th_json_str (u, "video_codec"), ==, "h264");
  g_autoptr(ThResponse) w = wait_done (worn);
  g_assert_cmpstr (th_json_str (w, "status"), ==, "failed");
  g_assert_cmpstr (th_json_str (w, "error.code"), ==, "media_failed");
  assert_nothing_stored (worn);

  g_autofree char *path = g_strdup_printf ("/videos/%s", leased);
  g_autoptr(ThResponse) l = th_request (ts, "GET", path, owner, NULL);
  g_assert_cmpstr (th_json_str (l, "status"), ==, "processing");
}

/* A failure that may pass (here: the file is missing from storage) is
 * tried again later: the video stays 'processing' with a lease pushed
 * into the future and the attempt counted. */
static void
test_retry (void)
{
  g_autoptr(GError) error = NULL;
  sd_server_stop (ts->server);
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP9, "processing", 0, 0);
  g_autofree char *key = g_strdup_printf ("%s/uploads/%s", org_a, video);
  g_assert_true (sd_storage_remove (sd_server_get_storage (ts->server), key, &error));
  th_server_restart (ts);
  sd_server_kick_media_jobs (ts->server);

  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (video_int (video, "attempts") < 1 || video_int (video, "lease_until") < 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  g_usleep (200 * 1000);   /* the retry is recorded after the attempt */
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (video_int (video, "lease_until"), >, now + 2);
  g_assert_cmpint (video_int (video, "lease_until"), <=, now + 11);
  g_assert_cmpint (video_int (video, "attempts"), ==, 1);
  g_autofree char *path = g_strdup_printf ("/videos/%s", video);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, owner, NULL);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "processing");
  g_assert_null (th_json_str (r, "error.code"));

  g_autoptr(SdDbConn) conn = db ();
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org_a, &error));
  g_assert_cmpint (sd_db_exec (conn, &error, "DELETE FROM videos WHERE id = $1 AND org_id = $2",
                               "ss", video, org_a), ==, 1);
  g_assert_true (sd_db_commit (conn, &error));
}

/* The last of SD_MEDIA_JOBS_MAX_ATTEMPTS attempts fails with an error that
 * might have passed (the file is missing): the video fails for good and,
 * as on a permanent failure, its upload goes and the bytes it reserved and
 * its derived files' bytes leave storage_used; the derived files go from
 * storage. */
static void
test_retries_exhausted (void)
{
  g_autoptr(GError) error = NULL;
  sd_server_stop (ts->server);
  gint64 used_before = storage_used ();
  g_autofree char *video = insert_video (TH_MEDIA_WEBM_VP9, "processing", 0, SD_MEDIA_JOBS_MAX_ATTEMPTS - 1);
  g_autofree char *upload = g_uuid_string_random ();
  g_autofree char *key = g_strdup_printf ("%s/uploads/%s", org_a, video);
  gint64 size = video_int (video, "size");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Its tus upload, complete, with the declared size reserved; a leftover
   * derived file of an earlier attempt, counted too. */
  g_autofree char *thumb_key = g_strdup_printf ("%s/videos/%s/thumb.jpg", org_a, video);
  g_autoptr(GBytes) thumb = g_bytes_new_static ("not really a picture", 20);
  g_assert_true (sd_storage_put (sd_server_get_storage (ts->server), thumb_key, thumb, &error));
  g_assert_cmpint (th_db_exec (ts, org_a,
                               "INSERT INTO uploads (id, org_id, owner_id, filename, length, received, storage_key,"
                               "                     status, created_at, updated_at, expires_at)"
                               " VALUES ($1, $2, $3, 'gone.webm', $4, $4, $5, 'complete', $6, $6, $6)",
                               "sssisi", upload, org_a, owner_id, size, key, now), ==, 1);
  g_assert_cmpint (th_db_exec (ts, org_a,
                               "UPDATE videos SET upload_id = $3, derived_bytes = 20, thumbnail_key = $4"
                               " WHERE id = $1 AND org_id = $2",
                               "ssss", video, org_a, upload, thumb_key), ==, 1);
  g_assert_cmpint (th_db_exec (ts, org_a,
                               "UPDATE organizations SET storage_used = storage_used + $2 WHERE id = $1",
                               "si", org_a, size + 20), ==, 1);
  g_assert_true (sd_storage_remove (sd_server_get_storage (ts->server), key, &error));
  g_assert_true (stored (thumb_key));

  /* The operator hears of it: the worker warns once the retries are over. */
  g_test_expect_message ("sd-media-jobs", G_LOG_LEVEL_WARNING, "*failed 3 times*no object*");
  th_server_restart (ts);
  g_autoptr(ThResponse) r = wait_done (video);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (th_json_str (r, "status"), ==, "failed");
  g_assert_cmpstr (th_json_str (r, "error.code"), ==, "media_failed");
  g_assert_cmpint (video_int (video, "attempts"), ==, SD_MEDIA_JOBS_MAX_ATTEMPTS);
  g_assert_null (th_json_str (r, "upload_id"));
  g_assert_cmpint (th_db_int (ts, org_a, "SELECT COUNT(*) AS n FROM uploads WHERE id = $1 AND org_id = $2",
                              "ss", upload, org_a), ==, 0);
  g_assert_cmpint (storage_used (), ==, used_before);
  assert_nothing_stored (video);
}

int
main (int argc, char **argv)
{
  th_init (&argc, &argv);
  gst_init (NULL, NULL);
  ts = th_server_start ();
  media_dir = g_dir_make_tmp ("tandem-videos-XXXXXX", NULL);

  char *admin_id = NULL;
  admin = th_register_admin (ts, "admin@a.test", "Club A", &admin_id);
  org_a = org_of (admin);
  coach = th_add_user (ts, admin, "coach@a.test", "expert", &coach_id);
  expert_member = th_add_user (ts, admin, "expert@a.test", "expert", NULL);
  owner = th_add_user (ts, admin, "student@a.test", "student", &owner_id);
  student_other = th_add_user (ts, admin, "other@a.test", "student", NULL);
  expert_out = th_add_user (ts, admin, "outsider@a.test", "expert", NULL);
  other_admin = th_register_admin (ts, "admin@b.test", "Club B", NULL);
  {
    g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", coach, "{\"name\":\"Tennis\"}");
    g_assert_cmpuint (g->status, ==, 201);
    group_id = g_strdup (th_json_str (g, "id"));
  }
  th_join_group (ts, coach, group_id, "expert@a.test", expert_member);
  th_join_group (ts, coach, group_id, "student@a.test", owner);
  th_join_group (ts, coach, group_id, "other@a.test", student_other);
  g_free (admin_id);

  g_test_add_func ("/videos/ready", test_ready);
  g_test_add_func ("/videos/upload-to-ready", test_upload_to_ready);
  g_test_add_func ("/videos/failed/not-a-video", test_not_a_video);
  g_test_add_func ("/videos/failed/truncated", test_truncated);
  g_test_add_func ("/videos/failed/upload-leaves-nothing", test_failed_upload_leaves_nothing);
  g_test_add_func ("/videos/transcoded", test_transcoded);
  g_test_add_func ("/videos/playback/range", test_playback);
  g_test_add_func ("/videos/playback/signatures", test_signatures);
  g_test_add_func ("/videos/playback/large", test_large);
  g_test_add_func ("/videos/visibility", test_visibility);
  g_test_add_func ("/videos/jobs/claim", test_claim);
  g_test_add_func ("/videos/jobs/restart", test_restart);
  g_test_add_func ("/videos/jobs/retry", test_retry);
  g_test_add_func ("/videos/jobs/retries-exhausted", test_retries_exhausted);
  int rc = g_test_run ();

  th_server_stop (ts);
  g_autoptr(GDir) dir = g_dir_open (media_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (media_dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (media_dir);
  g_free (media_dir);
  g_free (org_a);
  g_free (group_id);
  g_free (admin);
  g_free (coach);
  g_free (coach_id);
  g_free (expert_member);
  g_free (owner);
  g_free (owner_id);
  g_free (student_other);
  g_free (expert_out);
  g_free (other_admin);
  return rc;
}
