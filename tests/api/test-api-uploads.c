/* test-api-uploads.c — tus 1.0 under /uploads against a real signald:
 * discovery and version checks, creation for plain tus clients, a file
 * sent in several PATCHes (with checksums) arriving byte-identical (SHA-256
 * of the stored file and in the video's JSON), wrong offsets, checksum
 * mismatches, a connection cut mid-body (kept and resumed; with a checksum,
 * dropped), two writers at once, the per-file limit and the quota (nothing
 * left behind), termination releasing the quota, expiry, who may touch an
 * upload, and resuming after the signald process is killed mid-PATCH and
 * started again.  Runs on SQLite and PostgreSQL. */
#include "th-server.h"
#include "th-tus.h"
#ifdef HAVE_POSTGRES
#include "th-pg.h"
#endif

#include <glib/gstdio.h>
#include <string.h>

#define MAX_UPLOAD (8 * 1024 * 1024)
#define MiB (1024 * 1024)

static ThServer *ts;

/* ---- an organization with a group ---- */

typedef struct {
  char *admin;
  char *org;
  char *group;
  char *student;        /* member of the group */
  char *student_id;
  char *mate;           /* another student of the group */
  char *expert;         /* expert, member of the group */
} Org;

static void
org_clear (Org *o)
{
  g_free (o->admin);
  g_free (o->org);
  g_free (o->group);
  g_free (o->student);
  g_free (o->student_id);
  g_free (o->mate);
  g_free (o->expert);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Org, org_clear)

static void
org_setup (Org        *o,
           const char *prefix)
{
  g_autofree char *admin_mail = g_strdup_printf ("%s-admin@example.org", prefix);
  g_autofree char *student_mail = g_strdup_printf ("%s-student@example.org", prefix);
  g_autofree char *mate_mail = g_strdup_printf ("%s-mate@example.org", prefix);
  g_autofree char *expert_mail = g_strdup_printf ("%s-expert@example.org", prefix);
  g_autofree char *org_name = g_strdup_printf ("%s club", prefix);

  o->admin = th_register_admin (ts, admin_mail, org_name, NULL);
  o->org = th_org_of (ts, o->admin);
  o->student = th_add_user (ts, o->admin, student_mail, "student", &o->student_id);
  o->mate = th_add_user (ts, o->admin, mate_mail, "student", NULL);
  o->expert = th_add_user (ts, o->admin, expert_mail, "expert", NULL);
  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", o->admin, "{\"name\":\"Rowing\"}");
  g_assert_cmpuint (g->status, ==, 201);
  o->group = g_strdup (th_json_str (g, "id"));
  th_join_group (ts, o->admin, o->group, student_mail, o->student);
  th_join_group (ts, o->admin, o->group, mate_mail, o->mate);
  th_join_group (ts, o->admin, o->group, expert_mail, o->expert);
}

static char *
b64 (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

/* POST /uploads; returns the reply. */
static ThResponse *
create_upload_full (ThServer   *server,
                    const char *token,
                    const char *group,
                    gint64      length,
                    const char *filename)
{
  g_autofree char *g64 = b64 (group);
  g_autofree char *f64 = b64 (filename);
  g_autofree char *n64 = b64 ("Training run");
  g_autofree char *meta = g_strdup_printf ("group_id %s,filename %s,name %s,filetype %s", g64, f64, n64,
                                           "dmlkZW8vbXA0");
  g_autofree char *len = g_strdup_printf ("%" G_GINT64_FORMAT, length);
  return th_tus_request (server, "POST", "/uploads", token, NULL, "Upload-Length", len,
                         "Upload-Metadata", meta, NULL);
}

/* POST /uploads that must succeed; returns the upload's path and the
 * asset id. */
static char *
create_upload (const char  *token,
               const char  *group,
               gint64       length,
               char       **asset_id)
{
  g_autoptr(ThResponse) r = create_upload_full (ts, token, group, length, "run.mp4");
  if (r->status != 201)
    g_error ("POST /uploads: %u %.*s", r->status, (int) g_bytes_get_size (r->body),
             (const char *) g_bytes_get_data (r->body, NULL));
  if (asset_id != NULL)
    *asset_id = g_strdup (th_json_str (r, "asset.id"));
  return th_url_path (th_header (r, "Location"));
}

static const char *
last_segment (const char *path)
{
  return strrchr (path, '/') + 1;
}

static char *
media_path (ThServer   *server,
            const char *org,
            const char *upload_path)
{
  return g_build_filename (server->tmpdir, "media", org, "uploads", last_segment (upload_path), NULL);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

static gint64
storage_used (const char *org)
{
  return th_db_int (ts, org, "SELECT storage_used AS n FROM organizations WHERE id = $1", "s", org);
}

static gint64
count_rows (const char *org,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) AS n FROM %s WHERE org_id = $1", table);
  return th_db_int (ts, org, sql, "s", org);
}

/* ---- tests ---- */

static void
test_discovery_and_version (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "tv");

  /* OPTIONS needs neither a token nor Tus-Resumable. */
  g_autoptr(ThResponse) opt = th_tus_request (ts, "OPTIONS", "/uploads", NULL, NULL,
                                              "Tus-Resumable", NULL, NULL);
  g_assert_cmpuint (opt->status, ==, 204);
  g_assert_cmpstr (th_header (opt, "Tus-Resumable"), ==, "1.0.0");
  g_assert_cmpstr (th_header (opt, "Tus-Version"), ==, "1.0.0");
  g_assert_cmpint (th_header_int (opt, "Tus-Max-Size"), ==, MAX_UPLOAD);
  const char *ext = th_header (opt, "Tus-Extension");
  g_assert_nonnull (ext);
  g_auto(GStrv) exts = g_strsplit (ext, ",", -1);
  g_assert_true (g_strv_contains ((const char * const *) exts, "creation"));
  g_assert_true (g_strv_contains ((const char * const *) exts, "termination"));
  g_assert_true (g_strv_contains ((const char * const *) exts, "checksum"));
  g_assert_true (g_strv_contains ((const char * const *) exts, "expiration"));
  g_auto(GStrv) algos = g_strsplit (th_header (opt, "Tus-Checksum-Algorithm"), ",", -1);
  g_assert_true (g_strv_contains ((const char * const *) algos, "sha1"));
  g_assert_true (g_strv_contains ((const char * const *) algos, "sha256"));

  /* Requests without the right Tus-Resumable: 412 with Tus-Version. */
  g_autofree char *g64 = b64 (o.group);
  g_autofree char *meta = g_strdup_printf ("group_id %s", g64);
  g_autoptr(ThResponse) none = th_tus_request (ts, "POST", "/uploads", o.student, NULL,
                                               "Tus-Resumable", NULL, "Upload-Length", "10",
                                               "Upload-Metadata", meta, NULL);
  g_assert_cmpuint (none->status, ==, 412);
  g_assert_cmpstr (th_json_str (none, "error.code"), ==, "unsupported_version");
  g_assert_cmpstr (th_header (none, "Tus-Version"), ==, "1.0.0");
  g_assert_cmpstr (th_header (none, "Tus-Resumable"), ==, "1.0.0");
  g_autofree char *upload = create_upload (o.student, o.group, 10, NULL);
  g_autoptr(ThResponse) old = th_tus_request (ts, "HEAD", upload, o.student, NULL,
                                              "Tus-Resumable", "0.2.2", NULL);
  g_assert_cmpuint (old->status, ==, 412);
  g_autoptr(GBytes) ten = th_random_bytes (10, 1);
  g_autoptr(ThResponse) patch_old = th_tus_request (ts, "PATCH", upload, o.student, ten,
                                                    "Tus-Resumable", "0.2.2", "Upload-Offset", "0", NULL);
  g_assert_cmpuint (patch_old->status, ==, 412);
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, 0);

  /* Every reply carries Tus-Resumable, errors included. */
  g_autoptr(ThResponse) anon = th_tus_request (ts, "HEAD", upload, NULL, NULL, NULL);
  g_assert_cmpuint (anon->status, ==, 401);
  g_assert_cmpstr (th_header (anon, "Tus-Resumable"), ==, "1.0.0");
  g_autoptr(ThResponse) missing = th_tus_request (ts, "HEAD", "/uploads/00000000-0000-4000-8000-000000000000",
                                                  o.student, NULL, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (th_header (missing, "Tus-Resumable"), ==, "1.0.0");
}

static void
test_full_flow (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "tf");
  gsize size = 3 * MiB + 123;
  g_autoptr(GBytes) data = th_random_bytes (size, 42);
  g_autofree char *sha = th_sha256_hex (data);

  g_autoptr(ThResponse) created = create_upload_full (ts, o.student, o.group, (gint64) size, "run.mp4");
  g_assert_cmpuint (created->status, ==, 201);
  const char *location = th_header (created, "Location");
  g_autofree char *prefix = g_strconcat (ts->url, "/uploads/", NULL);
  g_assert_true (g_str_has_prefix (location, prefix));
  g_assert_nonnull (th_header (created, "Upload-Expires"));
  g_assert_cmpstr (th_header (created, "Tus-Resumable"), ==, "1.0.0");
  g_assert_cmpstr (th_json_str (created, "asset.status"), ==, "waiting_upload");
  g_assert_cmpstr (th_json_str (created, "asset.name"), ==, "Training run");
  g_assert_cmpstr (th_json_str (created, "asset.group_id"), ==, o.group);
  g_assert_cmpuint (th_json_len (created, "videos"), ==, 1);
  g_assert_cmpstr (th_json_str (created, "videos.0.upload_url"), ==, location);
  g_assert_cmpstr (th_json_str (created, "videos.0.filename"), ==, "run.mp4");
  g_assert_cmpstr (th_json_str (created, "videos.0.status"), ==, "waiting_upload");
  g_assert_cmpint (th_json_int (created, "videos.0.size"), ==, (gint64) size);
  g_assert_cmpint (th_json_int (created, "videos.0.uploaded_bytes"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (created, "videos.0.sha256")));
  g_autofree char *asset_id = g_strdup (th_json_str (created, "asset.id"));
  g_autofree char *upload = th_url_path (location);
  g_assert_cmpint (storage_used (o.org), ==, (gint64) size);

  g_autoptr(ThResponse) head = th_tus_request (ts, "HEAD", location, o.student, NULL, NULL);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpint (th_header_int (head, "Upload-Offset"), ==, 0);
  g_assert_cmpint (th_header_int (head, "Upload-Length"), ==, (gint64) size);
  g_assert_nonnull (strstr (th_header (head, "Upload-Metadata"), "filename "));
  g_assert_cmpstr (th_header (head, "Cache-Control"), ==, "no-store");

  /* Four PATCHes, three with checksums of different algorithms. */
  const gsize pieces[] = { MiB, MiB + 7, MiB / 2, 0 };
  const char *algorithms[] = { "sha1", "sha256", NULL, "md5" };
  gsize offset = 0;
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      gsize n = pieces[i] != 0 ? pieces[i] : size - offset;
      g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (data, offset, n);
      g_autofree char *sum = algorithms[i] != NULL ? th_tus_checksum (algorithms[i], chunk) : NULL;
      g_autoptr(ThResponse) r = th_tus_patch (ts, upload, o.student, (gint64) offset, chunk, sum);
      g_assert_cmpuint (r->status, ==, 204);
      offset += n;
      g_assert_cmpint (th_header_int (r, "Upload-Offset"), ==, (gint64) offset);
      g_assert_cmpstr (th_header (r, "Tus-Resumable"), ==, "1.0.0");
      if (offset < size)
        g_assert_nonnull (th_header (r, "Upload-Expires"));
      else
        g_assert_null (th_header (r, "Upload-Expires"));
    }
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, (gint64) size);

  /* Byte-identical on disk; the digest is in the video's JSON. */
  g_autofree char *stored = media_path (ts, o.org, upload);
  g_autofree char *stored_sha = th_sha256_file (stored);
  g_assert_cmpstr (stored_sha, ==, sha);
  g_autofree char *asset_path = g_strdup_printf ("/assets/%s", asset_id);
  g_autoptr(ThResponse) asset = th_request (ts, "GET", asset_path, o.student, NULL);
  g_assert_cmpuint (asset->status, ==, 200);
  g_assert_cmpstr (th_json_str (asset, "videos.0.sha256"), ==, sha);
  g_assert_cmpstr (th_json_str (asset, "videos.0.status"), ==, "processing");
  g_assert_cmpint (th_json_int (asset, "videos.0.uploaded_bytes"), ==, (gint64) size);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (asset, "videos.0.upload_expires_at")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (asset, "videos.0.thumbnail_url")));

  /* The media worker finds the video with its source. */
  g_autofree char *key = g_strdup_printf ("%s/uploads/%s", o.org, last_segment (upload));
  g_autoptr(SdDbRows) rows = th_db_query (ts, o.org,
    "SELECT v.source_key, u.status, u.hash_state FROM videos v JOIN uploads u ON u.id = v.upload_id"
    " WHERE v.asset_id = $1", "s", asset_id);
  g_assert_cmpuint (sd_db_rows_n (rows), ==, 1);
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "source_key"), ==, key);
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "status"), ==, "complete");
  g_assert_true (sd_db_rows_is_null (rows, 0, "hash_state"));

  /* Finished: an empty PATCH at the end is fine, a byte more is not. */
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(ThResponse) again = th_tus_patch (ts, upload, o.student, (gint64) size, empty, NULL);
  g_assert_cmpuint (again->status, ==, 204);
  g_assert_cmpint (th_header_int (again, "Upload-Offset"), ==, (gint64) size);
  g_autoptr(GBytes) one = th_random_bytes (1, 3);
  g_autoptr(ThResponse) more = th_tus_patch (ts, upload, o.student, (gint64) size, one, NULL);
  g_assert_cmpuint (more->status, ==, 413);
  g_assert_cmpstr (stored_sha, ==, sha);
}

static void
test_offsets_and_types (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "to");
  g_autoptr(GBytes) data = th_random_bytes (100000, 5);
  g_autofree char *upload = create_upload (o.student, o.group, 100000, NULL);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (data, 0, 40000);
  g_autoptr(GBytes) rest = g_bytes_new_from_bytes (data, 40000, 60000);

  g_autoptr(ThResponse) ok = th_tus_patch (ts, upload, o.student, 0, first, NULL);
  g_assert_cmpuint (ok->status, ==, 204);
  /* Without the running hash state the file is hashed again at the end. */
  g_assert_cmpint (th_db_exec (ts, o.org, "UPDATE uploads SET hash_state = NULL WHERE id = $1",
                               "s", last_segment (upload)), ==, 1);

  /* Not the stored offset: 409, nothing stored. */
  g_autoptr(ThResponse) behind = th_tus_patch (ts, upload, o.student, 0, rest, NULL);
  g_assert_cmpuint (behind->status, ==, 409);
  g_assert_cmpstr (th_json_str (behind, "error.code"), ==, "conflict");
  g_autoptr(ThResponse) ahead = th_tus_patch (ts, upload, o.student, 50000, rest, NULL);
  g_assert_cmpuint (ahead->status, ==, 409);
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, 40000);

  g_autoptr(ThResponse) no_offset = th_tus_request (ts, "PATCH", upload, o.student, rest, NULL);
  g_assert_cmpuint (no_offset->status, ==, 400);
  g_autoptr(ThResponse) bad_offset = th_tus_request (ts, "PATCH", upload, o.student, rest,
                                                     "Upload-Offset", "-1", NULL);
  g_assert_cmpuint (bad_offset->status, ==, 400);
  g_autoptr(ThResponse) wrong_type = th_tus_request (ts, "PATCH", upload, o.student, rest,
                                                     "Upload-Offset", "40000",
                                                     "Content-Type", "application/json", NULL);
  g_assert_cmpuint (wrong_type->status, ==, 415);
  /* Past Upload-Length. */
  g_autoptr(GBytes) too_much = th_random_bytes (60001, 6);
  g_autoptr(ThResponse) past = th_tus_patch (ts, upload, o.student, 40000, too_much, NULL);
  g_assert_cmpuint (past->status, ==, 413);
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, 40000);

  g_autoptr(ThResponse) done = th_tus_patch (ts, upload, o.student, 40000, rest, NULL);
  g_assert_cmpuint (done->status, ==, 204);
  g_autofree char *stored = media_path (ts, o.org, upload);
  g_autofree char *a = th_sha256_file (stored);
  g_autofree char *b = th_sha256_hex (data);
  g_assert_cmpstr (a, ==, b);
  g_autoptr(SdDbRows) rows = th_db_query (ts, o.org, "SELECT sha256 FROM uploads WHERE id = $1",
                                          "s", last_segment (upload));
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "sha256"), ==, b);
}

static void
test_checksum (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "tc");
  g_autoptr(GBytes) data = th_random_bytes (2 * MiB, 7);
  g_autofree char *upload = create_upload (o.student, o.group, 2 * MiB, NULL);
  g_autofree char *stored = media_path (ts, o.org, upload);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (data, 0, MiB);
  g_autoptr(GBytes) second = g_bytes_new_from_bytes (data, MiB, MiB);
  g_autoptr(GBytes) decoy = th_random_bytes (MiB, 8);

  g_autofree char *first_sum = th_tus_checksum ("sha256", first);
  g_autoptr(ThResponse) ok = th_tus_patch (ts, upload, o.student, 0, first, first_sum);
  g_assert_cmpuint (ok->status, ==, 204);

  /* The body is not what the checksum says: 460, and none of it stays. */
  g_autofree char *decoy_sum = th_tus_checksum ("sha1", decoy);
  g_autoptr(ThResponse) bad = th_tus_patch (ts, upload, o.student, MiB, second, decoy_sum);
  g_assert_cmpuint (bad->status, ==, 460);
  g_assert_cmpstr (th_json_str (bad, "error.code"), ==, "checksum_mismatch");
  g_assert_cmpint (th_header_int (bad, "Upload-Offset"), ==, MiB);
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, MiB);
  g_assert_cmpint (file_size (stored), ==, MiB);

  /* Unknown algorithms and malformed digests are refused before reading. */
  g_autoptr(ThResponse) crc = th_tus_patch (ts, upload, o.student, MiB, second, "crc32 AAAAAA==");
  g_assert_cmpuint (crc->status, ==, 400);
  g_autoptr(ThResponse) junk = th_tus_patch (ts, upload, o.student, MiB, second, "sha1 not*base64");
  g_assert_cmpuint (junk->status, ==, 400);
  g_autoptr(ThResponse) short_digest = th_tus_patch (ts, upload, o.student, MiB, second, "sha256 AAAA");
  g_assert_cmpuint (short_digest->status, ==, 400);
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, MiB);

  g_autofree char *second_sum = th_tus_checksum ("sha512", second);
  g_autoptr(ThResponse) good = th_tus_patch (ts, upload, o.student, MiB, second, second_sum);
  g_assert_cmpuint (good->status, ==, 204);
  g_autofree char *a = th_sha256_file (stored);
  g_autofree char *b = th_sha256_hex (data);
  g_assert_cmpstr (a, ==, b);
}

static void
test_cut_connection (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "tk");
  gsize size = 3 * MiB;
  g_autoptr(GBytes) data = th_random_bytes (size, 11);
  g_autofree char *upload = create_upload (o.student, o.group, (gint64) size, NULL);
  g_autofree char *stored = media_path (ts, o.org, upload);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (data, 0, 512 * 1024);
  g_autoptr(ThResponse) ok = th_tus_patch (ts, upload, o.student, 0, first, NULL);
  g_assert_cmpuint (ok->status, ==, 204);

  /* While one PATCH is mid-body, another one for the same upload is
   * refused (the first holds the writer). */
  g_autoptr(GBytes) rest = g_bytes_new_from_bytes (data, 512 * 1024, size - 512 * 1024);
  GIOStream *held = th_tus_patch_hold (ts, upload, o.student, 512 * 1024, rest, 600 * 1024);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (file_size (stored) <= 512 * 1024 && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_assert_cmpint (file_size (stored), >, 512 * 1024);
  g_autoptr(ThResponse) second = th_tus_patch (ts, upload, o.student, 512 * 1024, rest, NULL);
  g_assert_cmpuint (second->status, ==, 409);
  /* Cut it: what arrived is kept, and HEAD says so. */
  g_io_stream_close (held, NULL, NULL);
  g_object_unref (held);
  g_assert_cmpint (th_tus_wait_offset (ts, upload, o.student, (512 + 600) * 1024, 5000), ==, (512 + 600) * 1024);

  /* Cut again, after an odd number of bytes. */
  gint64 at = (512 + 600) * 1024;
  g_autoptr(GBytes) tail = g_bytes_new_from_bytes (data, (gsize) at, size - (gsize) at);
  th_tus_patch_cut (ts, upload, o.student, at, tail, 333333, NULL);
  g_assert_cmpint (th_tus_wait_offset (ts, upload, o.student, at + 333333, 5000), ==, at + 333333);

  /* A cut body with a checksum cannot be checked: nothing of it stays.
   * (A PATCH at the old offset succeeds once the server saw the cut; had
   * it kept anything, the offset would not match and it would keep
   * failing with 409.) */
  at += 333333;
  g_autoptr(GBytes) tail2 = g_bytes_new_from_bytes (data, (gsize) at, size - (gsize) at);
  g_autofree char *sum = th_tus_checksum ("sha256", tail2);
  th_tus_patch_cut (ts, upload, o.student, at, tail2, 200000, sum);
  guint status = 0;
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_autoptr(ThResponse) r = th_tus_patch (ts, upload, o.student, at, tail2, sum);
      status = r->status;
      if (status == 409)
        g_usleep (20000);
    }
  while (status == 409 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (status, ==, 204);

  g_autofree char *a = th_sha256_file (stored);
  g_autofree char *b = th_sha256_hex (data);
  g_assert_cmpstr (a, ==, b);
  g_autoptr(SdDbRows) rows = th_db_query (ts, o.org, "SELECT sha256 FROM uploads WHERE id = $1",
                                          "s", last_segment (upload));
  g_assert_cmpstr (sd_db_rows_text (rows, 0, "sha256"), ==, b);
}

static void
test_limits (void)
{
  g_auto(Org) o = { 0 };
  g_auto(Org) other = { 0 };
  org_setup (&o, "tl");
  org_setup (&other, "tl2");
  g_autofree char *g64 = b64 (o.group);
  g_autofree char *meta = g_strdup_printf ("group_id %s", g64);

  g_autoptr(ThResponse) big = create_upload_full (ts, o.student, o.group, MAX_UPLOAD + 1, "big.mp4");
  g_assert_cmpuint (big->status, ==, 413);
  g_assert_cmpstr (th_json_str (big, "error.code"), ==, "payload_too_large");
  g_autoptr(ThResponse) max = create_upload_full (ts, o.student, o.group, MAX_UPLOAD, "max.mp4");
  g_assert_cmpuint (max->status, ==, 201);

  struct { const char *length, *metadata; guint status; } cases[] = {
    { "abc", meta, 400 },
    { NULL, meta, 400 },
    { "0", meta, 422 },
    { "10", "", 422 },
    { "10", "group_id", 422 },
    { "10", "group_id !!!!", 400 },
    { "10", "group_id YWJj", 422 },                /* "abc": not an id */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ThResponse) r = th_tus_request (ts, "POST", "/uploads", o.student, NULL,
                                                "Upload-Length", cases[i].length,
                                                "Upload-Metadata", cases[i].metadata, NULL);
      if (r->status != cases[i].status)
        g_error ("case %u: %u, expected %u", i, r->status, cases[i].status);
    }
  g_autoptr(ThResponse) deferred = th_tus_request (ts, "POST", "/uploads", o.student, NULL,
                                                   "Upload-Defer-Length", "1", "Upload-Metadata", meta, NULL);
  g_assert_cmpuint (deferred->status, ==, 400);
  g_autoptr(GBytes) body = th_random_bytes (10, 1);
  g_autoptr(ThResponse) with_body = th_tus_request (ts, "POST", "/uploads", o.student, body,
                                                    "Upload-Length", "10", "Upload-Metadata", meta, NULL);
  g_assert_cmpuint (with_body->status, ==, 400);

  /* Groups one may not add to look like no group at all. */
  g_autoptr(ThResponse) foreign = create_upload_full (ts, other.student, o.group, 10, "x.mp4");
  g_assert_cmpuint (foreign->status, ==, 404);
  g_autofree char *outsider = th_add_user (ts, o.admin, "tl-outsider@example.org", "student", NULL);
  g_autoptr(ThResponse) not_member = create_upload_full (ts, outsider, o.group, 10, "x.mp4");
  g_assert_cmpuint (not_member->status, ==, 404);

  /* A PATCH body over the per-file limit is refused before it is read. */
  g_autofree char *upload = th_url_path (th_header (max, "Location"));
  g_autoptr(GBytes) huge = th_random_bytes (MAX_UPLOAD + 1, 2);
  g_autoptr(ThResponse) r = th_tus_patch (ts, upload, o.student, 0, huge, NULL);
  g_assert_cmpuint (r->status, ==, 413);
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, 0);

  /* Only the one upload that fit exists. */
  g_assert_cmpint (count_rows (o.org, "uploads"), ==, 1);
  g_assert_cmpint (count_rows (o.org, "assets"), ==, 1);
  g_assert_cmpint (storage_used (o.org), ==, MAX_UPLOAD);
}

static void
test_quota (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "tq");
  g_assert_cmpint (th_db_exec (ts, o.org, "UPDATE organizations SET storage_quota = $2 WHERE id = $1",
                               "si", o.org, (gint64) 5 * MiB), ==, 1);

  g_autoptr(GBytes) data = th_random_bytes (3 * MiB, 13);
  g_autofree char *upload = create_upload (o.student, o.group, 3 * MiB, NULL);
  th_tus_upload_rest (ts, upload, o.student, data, MiB);
  g_assert_cmpint (storage_used (o.org), ==, 3 * MiB);

  /* Over the quota: 507 and nothing left behind. */
  g_autoptr(ThResponse) over = create_upload_full (ts, o.mate, o.group, 3 * MiB, "more.mp4");
  g_assert_cmpuint (over->status, ==, 507);
  g_assert_cmpstr (th_json_str (over, "error.code"), ==, "quota_exceeded");
  g_assert_cmpint (storage_used (o.org), ==, 3 * MiB);
  g_assert_cmpint (count_rows (o.org, "uploads"), ==, 1);
  g_assert_cmpint (count_rows (o.org, "videos"), ==, 1);
  g_assert_cmpint (count_rows (o.org, "assets"), ==, 1);
  g_autofree char *dir = g_build_filename (ts->tmpdir, "media", o.org, "uploads", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint files = 0;
  while (d != NULL && g_dir_read_name (d) != NULL)
    files++;
  g_assert_cmpuint (files, ==, 1);

  /* Exactly the quota fits. */
  g_autoptr(ThResponse) fits = create_upload_full (ts, o.mate, o.group, 2 * MiB, "fits.mp4");
  g_assert_cmpuint (fits->status, ==, 201);
  g_assert_cmpint (storage_used (o.org), ==, 5 * MiB);
  g_autoptr(ThResponse) byte = create_upload_full (ts, o.mate, o.group, 1, "byte.mp4");
  g_assert_cmpuint (byte->status, ==, 507);

  /* Without its own quota the organization has the server's (40 MiB). */
  th_db_exec (ts, o.org, "UPDATE organizations SET storage_quota = NULL WHERE id = $1", "s", o.org);
  g_autoptr(ThResponse) now_fits = create_upload_full (ts, o.mate, o.group, 35 * MiB, "x.mp4");
  g_assert_cmpuint (now_fits->status, ==, 413);   /* over the per-file limit first */
  g_autoptr(ThResponse) a = create_upload_full (ts, o.mate, o.group, 8 * MiB, "a.mp4");
  g_assert_cmpuint (a->status, ==, 201);
  g_assert_cmpint (storage_used (o.org), ==, 13 * MiB);
}

static void
test_termination (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "tt");
  gint64 before = storage_used (o.org);
  g_autoptr(GBytes) data = th_random_bytes (MiB, 17);
  g_autofree char *asset_id = NULL;
  g_autofree char *upload = create_upload (o.student, o.group, MiB, &asset_id);
  g_autofree char *stored = media_path (ts, o.org, upload);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (data, 0, MiB / 2);
  g_autoptr(ThResponse) ok = th_tus_patch (ts, upload, o.student, 0, half, NULL);
  g_assert_cmpuint (ok->status, ==, 204);
  g_assert_cmpint (file_size (stored), ==, MiB / 2);
  g_assert_cmpint (storage_used (o.org), ==, before + MiB);

  /* Others cannot terminate it. */
  g_autoptr(ThResponse) by_mate = th_tus_request (ts, "DELETE", upload, o.mate, NULL, NULL);
  g_assert_cmpuint (by_mate->status, ==, 404);

  g_autoptr(ThResponse) del = th_tus_request (ts, "DELETE", upload, o.student, NULL, NULL);
  g_assert_cmpuint (del->status, ==, 204);
  g_assert_cmpstr (th_header (del, "Tus-Resumable"), ==, "1.0.0");
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, -404);
  g_assert_cmpint (file_size (stored), ==, -1);
  g_assert_cmpint (storage_used (o.org), ==, before);
  g_autofree char *asset_path = g_strdup_printf ("/assets/%s", asset_id);
  g_autoptr(ThResponse) gone = th_request (ts, "GET", asset_path, o.student, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
  g_assert_cmpint (count_rows (o.org, "videos"), ==, 0);
  g_autoptr(ThResponse) again = th_tus_request (ts, "DELETE", upload, o.student, NULL, NULL);
  g_assert_cmpuint (again->status, ==, 404);
  g_autoptr(ThResponse) patch = th_tus_patch (ts, upload, o.student, MiB / 2, half, NULL);
  g_assert_cmpuint (patch->status, ==, 404);

  /* Terminated while a PATCH is mid-body: that PATCH ends with 404 and
   * leaves no file behind. */
  g_autoptr(GBytes) big = th_random_bytes (MiB, 18);
  g_autofree char *busy = create_upload (o.student, o.group, MiB, NULL);
  g_autofree char *busy_file = media_path (ts, o.org, busy);
  GIOStream *held = th_tus_patch_hold (ts, busy, o.student, 0, big, 600 * 1024);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (file_size (busy_file) <= 0 && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_autoptr(ThResponse) del_busy = th_tus_request (ts, "DELETE", busy, o.student, NULL, NULL);
  g_assert_cmpuint (del_busy->status, ==, 204);
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (held);
  g_output_stream_write_all (out, (const guint8 *) g_bytes_get_data (big, NULL) + 600 * 1024,
                             MiB - 600 * 1024, NULL, NULL, &error);
  g_assert_no_error (error);
  char reply[64] = { 0 };
  g_input_stream_read_all (g_io_stream_get_input_stream (held), reply, sizeof reply - 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 404"));
  g_object_unref (held);
  g_assert_cmpint (file_size (busy_file), ==, -1);
  g_assert_cmpint (storage_used (o.org), ==, before);

  /* A complete upload terminates too (admins may). */
  g_autofree char *done = create_upload (o.student, o.group, MiB, NULL);
  th_tus_upload_rest (ts, done, o.student, data, MiB);
  g_autoptr(ThResponse) by_admin = th_tus_request (ts, "DELETE", done, o.admin, NULL, NULL);
  g_assert_cmpuint (by_admin->status, ==, 204);
  g_assert_cmpint (storage_used (o.org), ==, before);
}

static void
test_permissions (void)
{
  g_auto(Org) o = { 0 };
  g_auto(Org) other = { 0 };
  org_setup (&o, "tp");
  org_setup (&other, "tp2");
  g_autoptr(GBytes) data = th_random_bytes (1000, 19);
  g_autofree char *upload = create_upload (o.student, o.group, 1000, NULL);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (data, 0, 100);

  const char *strangers[] = { other.admin, other.student, o.mate, o.expert };
  for (guint i = 0; i < G_N_ELEMENTS (strangers); i++)
    {
      g_assert_cmpint (th_tus_offset (ts, upload, strangers[i]), ==, -404);
      g_autoptr(ThResponse) p = th_tus_patch (ts, upload, strangers[i], 0, part, NULL);
      g_assert_cmpuint (p->status, ==, 404);
      g_autoptr(ThResponse) d = th_tus_request (ts, "DELETE", upload, strangers[i], NULL, NULL);
      g_assert_cmpuint (d->status, ==, 404);
    }
  /* The organization's admin sees the offset but does not write. */
  g_assert_cmpint (th_tus_offset (ts, upload, o.admin), ==, 0);
  g_autoptr(ThResponse) admin_patch = th_tus_patch (ts, upload, o.admin, 0, part, NULL);
  g_assert_cmpuint (admin_patch->status, ==, 404);
  g_autoptr(ThResponse) anon = th_tus_patch (ts, upload, NULL, 0, part, NULL);
  g_assert_cmpuint (anon->status, ==, 401);
  g_assert_cmpstr (th_header (anon, "Tus-Resumable"), ==, "1.0.0");
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, 0);
  g_autofree char *stored = media_path (ts, o.org, upload);
  g_assert_cmpint (file_size (stored), <=, 0);
}

static void
test_expiry (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "te");
  g_autoptr(GBytes) data = th_random_bytes (1000, 23);
  g_autofree char *upload = create_upload (o.student, o.group, 1000, NULL);
  g_autoptr(ThResponse) head = th_tus_request (ts, "HEAD", upload, o.student, NULL, NULL);
  g_autoptr(GDateTime) expires = soup_date_time_new_from_http_string (th_header (head, "Upload-Expires"));
  g_assert_nonnull (expires);
  gint64 in = g_date_time_to_unix (expires) - g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (in, >, 7 * 24 * 3600 - 120);
  g_assert_cmpint (in, <=, 7 * 24 * 3600);

  th_db_exec (ts, o.org, "UPDATE uploads SET expires_at = 1 WHERE id = $1", "s", last_segment (upload));
  g_assert_cmpint (th_tus_offset (ts, upload, o.student), ==, -410);
  g_autoptr(ThResponse) p = th_tus_patch (ts, upload, o.student, 0, data, NULL);
  g_assert_cmpuint (p->status, ==, 410);
  g_assert_cmpstr (th_json_str (p, "error.code"), ==, "gone");
  g_autoptr(ThResponse) d = th_tus_request (ts, "DELETE", upload, o.student, NULL, NULL);
  g_assert_cmpuint (d->status, ==, 204);
  g_assert_cmpint (storage_used (o.org), ==, 0);
}

static void
tweak_fast_sweep (SdConfig *config,
                  gpointer  data)
{
  config->upload_sweep_interval_s = 1;
  /* As in tweak(): the finished random-bytes upload must stay as it is. */
  config->media_jobs = FALSE;
}

/* The sweeper deletes unfinished uploads past their expiry, with their
 * video, asset, file and reserved quota; finished ones stay. */
static void
test_expiry_sweeper (void)
{
  ThServer *main_server = ts;
  ts = th_server_start_full (tweak_fast_sweep, NULL);
  {
    g_auto(Org) o = { 0 };
    org_setup (&o, "tw");
    g_autoptr(GBytes) data = th_random_bytes (1000, 31);
    g_autofree char *asset_id = NULL;
    g_autofree char *stale = create_upload (o.student, o.group, 1000, &asset_id);
    g_autofree char *done = create_upload (o.student, o.group, 1000, NULL);
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (data, 0, 500);
    g_autoptr(ThResponse) p = th_tus_patch (ts, stale, o.student, 0, half, NULL);
    g_assert_cmpuint (p->status, ==, 204);
    th_tus_upload_rest (ts, done, o.student, data, 1000);
    g_autofree char *stale_file = media_path (ts, o.org, stale);
    g_assert_cmpint (file_size (stale_file), ==, 500);
    g_assert_cmpint (storage_used (o.org), ==, 2000);

    th_db_exec (ts, o.org, "UPDATE uploads SET expires_at = 1 WHERE org_id = $1", "s", o.org);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (count_rows (o.org, "uploads") > 1 && g_get_monotonic_time () < deadline)
      g_usleep (50000);
    g_assert_cmpint (count_rows (o.org, "uploads"), ==, 1);
    g_assert_cmpint (count_rows (o.org, "assets"), ==, 1);
    g_assert_cmpint (storage_used (o.org), ==, 1000);
    g_assert_cmpint (file_size (stale_file), ==, -1);
    g_assert_cmpint (th_tus_offset (ts, stale, o.student), ==, -404);
    g_assert_cmpint (th_tus_offset (ts, done, o.student), ==, 1000);
    g_autofree char *asset_path = g_strdup_printf ("/assets/%s", asset_id);
    g_autoptr(ThResponse) gone = th_request (ts, "GET", asset_path, o.student, NULL);
    g_assert_cmpuint (gone->status, ==, 404);
  }
  th_server_stop (ts);
  ts = main_server;
}

/* ---- the real process, killed and started again ---- */

typedef struct {
  GSubprocess *proc;
  GDataInputStream *out;
  char *url;
} Proc;

static Proc *
proc_start (const char *dir,
            const char *db,
            const char *owner)
{
  g_autoptr(GError) error = NULL;
  Proc *p = g_new0 (Proc, 1);
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (owner != NULL)
    g_subprocess_launcher_setenv (l, "TANDEM_DATABASE_OWNER", owner, TRUE);
  p->proc = g_subprocess_launcher_spawn (l, &error, g_getenv ("SIGNALD_BINARY"), "--data-dir", dir,
                                         "--database", db, "--workers", "2", "--listen", "127.0.0.1:0",
                                         "--max-upload-size", "16MiB", NULL);
  g_assert_no_error (error);
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->proc));
  g_autofree char *line = g_data_input_stream_read_line_utf8 (p->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_autoptr(JsonParser) parser = json_parser_new ();
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  p->url = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "url"));
  return p;
}

static void
proc_kill (Proc *p)
{
  g_subprocess_force_exit (p->proc);
  g_subprocess_wait (p->proc, NULL, NULL);
  g_object_unref (p->out);
  g_object_unref (p->proc);
  g_free (p->url);
  g_free (p);
}

static void
test_resume_after_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signald-restart-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *db = NULL, *owner = NULL, *pg_db = NULL;
  if (th_backend_is_postgres ())
    {
#ifdef HAVE_POSTGRES
      pg_db = th_pg_create_database (&error);
      g_assert_no_error (error);
      db = th_pg_url ("TANDEM_TEST_PG_APP", pg_db);
      owner = th_pg_url ("TANDEM_TEST_PG_OWNER", pg_db);
#endif
    }
  else
    db = g_strconcat ("sqlite:", dir, "/signald.db", NULL);

  gsize size = 5 * MiB + 17;
  g_autoptr(GBytes) data = th_random_bytes (size, 29);
  g_autofree char *sha = th_sha256_hex (data);

  Proc *p = proc_start (dir, db, owner);
  ThServer srv = { .url = p->url, .session = soup_session_new () };
  g_autofree char *admin = th_register_admin (&srv, "restart@example.org", "Restart club", NULL);
  g_autofree char *org = th_org_of (&srv, admin);
  g_autoptr(ThResponse) g = th_request (&srv, "POST", "/groups", admin, "{\"name\":\"Crew\"}");
  g_assert_cmpuint (g->status, ==, 201);
  g_autoptr(ThResponse) created = create_upload_full (&srv, admin, th_json_str (g, "id"), (gint64) size, "crew.mkv");
  g_assert_cmpuint (created->status, ==, 201);
  g_autofree char *upload = th_url_path (th_header (created, "Location"));
  g_autofree char *asset_path = g_strdup_printf ("/assets/%s", th_json_str (created, "asset.id"));

  g_autoptr(GBytes) first = g_bytes_new_from_bytes (data, 0, 2 * MiB);
  g_autoptr(ThResponse) ok = th_tus_patch (&srv, upload, admin, 0, first, NULL);
  g_assert_cmpuint (ok->status, ==, 204);
  /* A second PATCH is mid-body when the process dies. */
  g_autoptr(GBytes) rest = g_bytes_new_from_bytes (data, 2 * MiB, size - 2 * MiB);
  GIOStream *held = th_tus_patch_hold (&srv, upload, admin, 2 * MiB, rest, MiB);
  g_usleep (100000);
  proc_kill (p);
  g_object_unref (held);
  g_clear_object (&srv.session);

  p = proc_start (dir, db, owner);
  srv.url = p->url;
  srv.session = soup_session_new ();
  gint64 offset = th_tus_offset (&srv, upload, admin);
  /* Whatever was committed: at least the first PATCH, and never a byte
   * that was not durable. */
  g_assert_cmpint (offset, >=, 2 * MiB);
  g_assert_cmpint (offset, <=, 3 * MiB);
  th_tus_upload_rest (&srv, upload, admin, data, 2 * MiB);
  g_autoptr(ThResponse) asset = th_request (&srv, "GET", asset_path, admin, NULL);
  g_assert_cmpuint (asset->status, ==, 200);
  g_assert_cmpstr (th_json_str (asset, "videos.0.sha256"), ==, sha);
  g_autofree char *stored = g_build_filename (dir, "media", org, "uploads", last_segment (upload), NULL);
  g_autofree char *stored_sha = th_sha256_file (stored);
  g_assert_cmpstr (stored_sha, ==, sha);

  g_clear_object (&srv.session);
  proc_kill (p);
#ifdef HAVE_POSTGRES
  if (pg_db != NULL)
    th_pg_drop_database (pg_db);
#endif
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
}

static void
tweak (SdConfig *config,
       gpointer  data)
{
  config->max_upload_bytes = MAX_UPLOAD;
  /* Uploads here are random bytes that must stay 'processing': the media
   * worker, which would fail them, is tested in test-api-videos.c. */
  config->media_jobs = FALSE;
  config->storage_quota_bytes = 40 * MiB;
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start_full (tweak, NULL);
  g_test_add_func ("/Api/uploads/discovery-and-version", test_discovery_and_version);
  g_test_add_func ("/Api/uploads/full-flow", test_full_flow);
  g_test_add_func ("/Api/uploads/offsets-and-types", test_offsets_and_types);
  g_test_add_func ("/Api/uploads/checksum", test_checksum);
  g_test_add_func ("/Api/uploads/cut-connection", test_cut_connection);
  g_test_add_func ("/Api/uploads/limits", test_limits);
  g_test_add_func ("/Api/uploads/quota", test_quota);
  g_test_add_func ("/Api/uploads/termination", test_termination);
  g_test_add_func ("/Api/uploads/permissions", test_permissions);
  g_test_add_func ("/Api/uploads/expiry", test_expiry);
  g_test_add_func ("/Api/uploads/expiry-sweeper", test_expiry_sweeper);
  g_test_add_func ("/Api/uploads/resume-after-restart", test_resume_after_restart);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
