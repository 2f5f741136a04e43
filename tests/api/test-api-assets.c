/* test-api-assets.c — /assets against a real signald: creating an asset
 * with its files (one video and one ready tus upload each, resumed through
 * upload_url with HEAD + PATCH), validation, the per-file limit and the
 * quota (nothing left behind), completing (409 naming the video that is
 * not ready), who sees, lists, edits and deletes what (404 for outsiders,
 * other students of the group and other organizations), list filters and
 * pagination, and deleting (files gone, quota released exactly).  Runs on
 * SQLite and PostgreSQL. */
#include "th-server.h"
#include "th-tus.h"

#include <glib/gstdio.h>
#include <string.h>

#define MAX_UPLOAD (4 * 1024 * 1024)
#define KiB 1024

static ThServer *ts;

/* An organization whose group is owned by an expert (the coach). */
typedef struct {
  char *admin;
  char *org;
  char *group;
  char *coach;          /* expert, owns the group */
  char *expert;         /* expert, member of the group */
  char *outsider;       /* expert, not in the group */
  char *student;        /* member */
  char *student_id;
  char *mate;           /* member */
  char *mate_id;
} Org;

static void
org_clear (Org *o)
{
  g_free (o->admin); g_free (o->org); g_free (o->group); g_free (o->coach);
  g_free (o->expert); g_free (o->outsider); g_free (o->student); g_free (o->student_id);
  g_free (o->mate); g_free (o->mate_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Org, org_clear)

static void
org_setup (Org        *o,
           const char *p)
{
  g_autofree char *admin = g_strdup_printf ("%s-admin@example.org", p);
  g_autofree char *coach = g_strdup_printf ("%s-coach@example.org", p);
  g_autofree char *expert = g_strdup_printf ("%s-expert@example.org", p);
  g_autofree char *outsider = g_strdup_printf ("%s-outsider@example.org", p);
  g_autofree char *student = g_strdup_printf ("%s-student@example.org", p);
  g_autofree char *mate = g_strdup_printf ("%s-mate@example.org", p);
  g_autofree char *name = g_strdup_printf ("%s club", p);

  o->admin = th_register_admin (ts, admin, name, NULL);
  o->org = th_org_of (ts, o->admin);
  o->coach = th_add_user (ts, o->admin, coach, "expert", NULL);
  o->expert = th_add_user (ts, o->admin, expert, "expert", NULL);
  o->outsider = th_add_user (ts, o->admin, outsider, "expert", NULL);
  o->student = th_add_user (ts, o->admin, student, "student", &o->student_id);
  o->mate = th_add_user (ts, o->admin, mate, "student", &o->mate_id);
  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", o->coach, "{\"name\":\"Sculling\"}");
  g_assert_cmpuint (g->status, ==, 201);
  o->group = g_strdup (th_json_str (g, "id"));
  th_join_group (ts, o->coach, o->group, expert, o->expert);
  th_join_group (ts, o->coach, o->group, student, o->student);
  th_join_group (ts, o->coach, o->group, mate, o->mate);
}

static ThResponse *
create_asset (const char *token,
              const char *group,
              const char *name,
              gint64      size0,
              gint64      size1)
{
  if (size1 > 0)
    return th_requestf (ts, "POST", "/assets", token,
                        "{\"name\":\"%s\",\"description\":\"Start and finish\",\"group_id\":\"%s\","
                        "\"files\":[{\"filename\":\"start.mp4\",\"size\":%" G_GINT64_FORMAT "},"
                        "{\"filename\":\"finish.webm\",\"size\":%" G_GINT64_FORMAT "}]}",
                        name, group, size0, size1);
  return th_requestf (ts, "POST", "/assets", token,
                      "{\"name\":\"%s\",\"group_id\":\"%s\",\"files\":[{\"filename\":\"one.mp4\",\"size\":%"
                      G_GINT64_FORMAT "}]}", name, group, size0);
}

static char *
create_asset_id (const char *token,
                 const char *group,
                 const char *name)
{
  g_autoptr(ThResponse) r = create_asset (token, group, name, 1000, 0);
  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (th_json_str (r, "asset.id"));
}

static guint
status_of (const char *method,
           const char *path,
           const char *token,
           const char *body)
{
  g_autoptr(ThResponse) r = th_request (ts, method, path, token, body);
  return r->status;
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

static gboolean
list_has (ThResponse *r,
          const char *id)
{
  for (guint i = 0; i < th_json_len (r, "items"); i++)
    {
      g_autofree char *p = g_strdup_printf ("items.%u.id", i);
      if (g_strcmp0 (th_json_str (r, p), id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ---- tests ---- */

static void
test_create_and_upload (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "ac");
  g_autoptr(GBytes) start = th_random_bytes (300 * KiB + 5, 1);
  g_autoptr(GBytes) finish = th_random_bytes (200 * KiB, 2);

  g_autoptr(ThResponse) r = create_asset (o.student, o.group, "Regatta", 300 * KiB + 5, 200 * KiB);
  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpstr (th_json_str (r, "asset.name"), ==, "Regatta");
  g_assert_cmpstr (th_json_str (r, "asset.description"), ==, "Start and finish");
  g_assert_cmpstr (th_json_str (r, "asset.status"), ==, "waiting_upload");
  g_assert_cmpstr (th_json_str (r, "asset.group_id"), ==, o.group);
  g_assert_cmpstr (th_json_str (r, "asset.owner_id"), ==, o.student_id);
  g_assert_cmpstr (th_json_str (r, "asset.group_name"), ==, "Sculling");
  g_assert_cmpint (th_json_int (r, "asset.video_count"), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (r, "asset.completed_at")));
  g_assert_cmpuint (th_json_len (r, "videos"), ==, 2);
  g_assert_cmpstr (th_json_str (r, "videos.0.filename"), ==, "start.mp4");
  g_assert_cmpint (th_json_int (r, "videos.0.position"), ==, 0);
  g_assert_cmpstr (th_json_str (r, "videos.1.filename"), ==, "finish.webm");
  g_assert_cmpint (th_json_int (r, "videos.1.size"), ==, 200 * KiB);
  g_assert_cmpstr (th_json_str (r, "videos.1.status"), ==, "waiting_upload");
  g_assert_nonnull (th_json_str (r, "videos.1.upload_expires_at"));
  g_autofree char *asset_id = g_strdup (th_json_str (r, "asset.id"));
  g_autofree char *url0 = g_strdup (th_json_str (r, "videos.0.upload_url"));
  g_autofree char *url1 = g_strdup (th_json_str (r, "videos.1.upload_url"));
  g_autofree char *prefix = g_strconcat (ts->url, "/uploads/", NULL);
  g_assert_true (g_str_has_prefix (url0, prefix));
  g_assert_cmpint (storage_used (o.org), ==, 500 * KiB + 5);

  /* Any tus client resumes upload_url with HEAD + PATCH. */
  g_autoptr(ThResponse) head = th_tus_request (ts, "HEAD", url0, o.student, NULL, NULL);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpint (th_header_int (head, "Upload-Offset"), ==, 0);
  g_assert_cmpint (th_header_int (head, "Upload-Length"), ==, 300 * KiB + 5);
  th_tus_upload_rest (ts, url0, o.student, start, 128 * KiB);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (finish, 0, 50 * KiB);
  g_autoptr(ThResponse) p = th_tus_patch (ts, url1, o.student, 0, part, NULL);
  g_assert_cmpuint (p->status, ==, 204);

  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);
  g_autoptr(ThResponse) show = th_request (ts, "GET", path, o.student, NULL);
  g_assert_cmpuint (show->status, ==, 200);
  g_autofree char *sha = th_sha256_hex (start);
  g_assert_cmpstr (th_json_str (show, "videos.0.status"), ==, "processing");
  g_assert_cmpstr (th_json_str (show, "videos.0.sha256"), ==, sha);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (show, "videos.0.duration_ms")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (show, "videos.0.thumbnail_url")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (show, "videos.0.error")));
  g_assert_cmpstr (th_json_str (show, "videos.1.status"), ==, "waiting_upload");
  g_assert_cmpint (th_json_int (show, "videos.1.uploaded_bytes"), ==, 50 * KiB);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (show, "videos.1.sha256")));
}

static void
test_validation_and_limits (void)
{
  g_auto(Org) o = { 0 };
  g_auto(Org) other = { 0 };
  org_setup (&o, "av");
  org_setup (&other, "av2");
  g_autofree char *outsider_student = th_add_user (ts, o.admin, "av-loner@example.org", "student", NULL);

  const char *bad[] = {
    "{}",
    "{\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"a.mp4\",\"size\":1}]}",
    "{\"name\":\"x\",\"files\":[{\"filename\":\"a.mp4\",\"size\":1}]}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\"}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\",\"files\":[]}",
    "{\"name\":\"  \",\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"a.mp4\",\"size\":1}]}",
    "{\"name\":\"a\\nb\",\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"a.mp4\",\"size\":1}]}",
    "{\"name\":\"x\",\"group_id\":\"not-an-id-but-36-characters-long-xx\",\"files\":[{\"filename\":\"a.mp4\",\"size\":1}]}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"../a.mp4\",\"size\":1}]}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"\",\"size\":1}]}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"a.mp4\",\"size\":0}]}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\",\"files\":[{\"filename\":\"a.mp4\"}]}",
    "{\"name\":\"x\",\"group_id\":\"GROUP\",\"files\":[\"a.mp4\"]}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GString) body = g_string_new (bad[i]);
      g_string_replace (body, "GROUP", o.group, 0);
      guint status = status_of ("POST", "/assets", o.student, body->str);
      if (status != 422)
        g_error ("case %u (%s): %u, expected 422", i, body->str, status);
    }
  /* 21 files is one too many. */
  GString *many = g_string_new (NULL);
  g_string_printf (many, "{\"name\":\"x\",\"group_id\":\"%s\",\"files\":[", o.group);
  for (guint i = 0; i < 21; i++)
    g_string_append_printf (many, "%s{\"filename\":\"f%u.mp4\",\"size\":10}", i > 0 ? "," : "", i);
  g_string_append (many, "]}");
  g_autofree char *many_body = g_string_free (many, FALSE);
  g_assert_cmpuint (status_of ("POST", "/assets", o.student, many_body), ==, 422);

  /* Groups one may not add to do not exist. */
  g_autoptr(ThResponse) loner = create_asset (outsider_student, o.group, "x", 10, 0);
  g_assert_cmpuint (loner->status, ==, 404);
  g_autoptr(ThResponse) foreign = create_asset (other.admin, o.group, "x", 10, 0);
  g_assert_cmpuint (foreign->status, ==, 404);
  g_assert_cmpuint (status_of ("POST", "/assets", NULL, "{}"), ==, 401);
  /* Admins and the group's owner may add without being students in it. */
  g_autoptr(ThResponse) by_admin = create_asset (o.admin, o.group, "by admin", 10, 0);
  g_assert_cmpuint (by_admin->status, ==, 201);
  g_autoptr(ThResponse) by_coach = create_asset (o.coach, o.group, "by coach", 10, 0);
  g_assert_cmpuint (by_coach->status, ==, 201);
  gint64 used = storage_used (o.org);
  g_assert_cmpint (used, ==, 20);

  /* One file over the per-file limit: 413, nothing created. */
  g_autoptr(ThResponse) big = create_asset (o.student, o.group, "big", 10, MAX_UPLOAD + 1);
  g_assert_cmpuint (big->status, ==, 413);
  g_assert_cmpstr (th_json_str (big, "error.code"), ==, "payload_too_large");
  /* The organization's quota (10 MiB here): 507, nothing created. */
  th_db_exec (ts, o.org, "UPDATE organizations SET storage_quota = $2 WHERE id = $1",
              "si", o.org, (gint64) 10 * 1024 * 1024);
  g_autoptr(ThResponse) over = create_asset (o.student, o.group, "over", MAX_UPLOAD, MAX_UPLOAD);
  g_assert_cmpuint (over->status, ==, 201);
  g_autoptr(ThResponse) full = create_asset (o.mate, o.group, "full", MAX_UPLOAD, 0);
  g_assert_cmpuint (full->status, ==, 507);
  g_assert_cmpstr (th_json_str (full, "error.code"), ==, "quota_exceeded");
  g_assert_cmpint (storage_used (o.org), ==, used + 2 * MAX_UPLOAD);
  g_assert_cmpint (count_rows (o.org, "assets"), ==, 3);
  g_assert_cmpint (count_rows (o.org, "videos"), ==, 4);
  g_assert_cmpint (count_rows (o.org, "uploads"), ==, 4);
  g_autofree char *media = g_build_filename (ts->tmpdir, "media", o.org, NULL);
  g_assert_false (g_file_test (media, G_FILE_TEST_EXISTS));
}

static void
test_complete (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "am");
  g_autoptr(GBytes) a = th_random_bytes (1000, 3);
  g_autoptr(ThResponse) r = create_asset (o.student, o.group, "Two", 1000, 2000);
  g_assert_cmpuint (r->status, ==, 201);
  g_autofree char *path = g_strdup_printf ("/assets/%s/complete", th_json_str (r, "asset.id"));

  g_autoptr(ThResponse) early = th_request (ts, "POST", path, o.student, NULL);
  g_assert_cmpuint (early->status, ==, 409);
  g_assert_cmpstr (th_json_str (early, "error.code"), ==, "invalid_transition");
  g_assert_nonnull (strstr (th_json_str (early, "error.message"), "start.mp4"));
  g_assert_nonnull (strstr (th_json_str (early, "error.message"), "not uploaded"));

  /* Uploaded but not probed yet: still not. */
  th_tus_upload_rest (ts, th_json_str (r, "videos.0.upload_url"), o.student, a, 1000);
  g_autoptr(ThResponse) processing = th_request (ts, "POST", path, o.student, NULL);
  g_assert_cmpuint (processing->status, ==, 409);
  g_assert_nonnull (strstr (th_json_str (processing, "error.message"), "start.mp4"));
  g_assert_nonnull (strstr (th_json_str (processing, "error.message"), "processed"));

  /* Only the owner and admins complete; others who see it get 403. */
  g_assert_cmpuint (status_of ("POST", path, o.coach, NULL), ==, 403);
  g_assert_cmpuint (status_of ("POST", path, o.expert, NULL), ==, 403);
  g_assert_cmpuint (status_of ("POST", path, o.mate, NULL), ==, 404);
  g_assert_cmpuint (status_of ("POST", path, o.admin, NULL), ==, 409);
}

static void
test_visibility (void)
{
  g_auto(Org) o = { 0 };
  g_auto(Org) other = { 0 };
  org_setup (&o, "as");
  org_setup (&other, "as2");
  g_autofree char *asset_id = create_asset_id (o.student, o.group, "Mine");
  g_autofree char *mate_asset = create_asset_id (o.mate, o.group, "Mate's");
  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);

  const char *see[] = { o.student, o.admin, o.coach, o.expert };
  const char *not_see[] = { o.mate, o.outsider, other.admin, other.student };
  for (guint i = 0; i < G_N_ELEMENTS (see); i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "GET", path, see[i], NULL);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpuint (th_json_len (r, "videos"), ==, 1);
      g_autoptr(ThResponse) list = th_request (ts, "GET", "/assets", see[i], NULL);
      g_assert_true (list_has (list, asset_id));
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_see); i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "GET", path, not_see[i], NULL);
      g_assert_cmpuint (r->status, ==, 404);
      g_assert_cmpstr (th_json_str (r, "error.code"), ==, "not_found");
      g_autoptr(ThResponse) list = th_request (ts, "GET", "/assets", not_see[i], NULL);
      g_assert_cmpuint (list->status, ==, 200);
      g_assert_false (list_has (list, asset_id));
      g_assert_cmpuint (status_of ("PATCH", path, not_see[i], "{\"name\":\"x\"}"), ==, 404);
      g_assert_cmpuint (status_of ("DELETE", path, not_see[i], NULL), ==, 404);
      g_autofree char *complete = g_strdup_printf ("%s/complete", path);
      g_assert_cmpuint (status_of ("POST", complete, not_see[i], NULL), ==, 404);
    }
  /* The mate sees their own asset only. */
  g_autoptr(ThResponse) mates = th_request (ts, "GET", "/assets", o.mate, NULL);
  g_assert_cmpuint (th_json_len (mates, "items"), ==, 1);
  g_assert_true (list_has (mates, mate_asset));
  /* The upload behind it is the uploader's. */
  g_autoptr(ThResponse) show = th_request (ts, "GET", path, o.coach, NULL);
  const char *url = th_json_str (show, "videos.0.upload_url");
  g_assert_cmpint (th_tus_offset (ts, url, other.admin), ==, -404);
  g_assert_cmpint (th_tus_offset (ts, url, o.mate), ==, -404);
  g_assert_cmpint (th_tus_offset (ts, url, o.student), ==, 0);
  g_assert_cmpuint (status_of ("GET", "/assets/00000000-0000-4000-8000-000000000000", o.admin, NULL), ==, 404);
}

static void
test_list_filters_and_pages (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "al");
  g_autoptr(ThResponse) g2 = th_request (ts, "POST", "/groups", o.coach, "{\"name\":\"Second\"}");
  const char *group2 = th_json_str (g2, "id");
  th_join_group (ts, o.coach, group2, "al-student@example.org", o.student);

  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Asset %u", i);
      g_ptr_array_add (ids, create_asset_id (i == 4 ? o.mate : o.student, i == 3 ? group2 : o.group, name));
    }

  /* Pages of two, newest first, each asset once. */
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0;
  const char *last_created = NULL;
  g_autofree char *last_created_copy = NULL;
  do
    {
      g_autofree char *path = cursor != NULL ? g_strdup_printf ("/assets?limit=2&cursor=%s", cursor)
                                             : g_strdup ("/assets?limit=2");
      g_autoptr(ThResponse) r = th_request (ts, "GET", path, o.admin, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpuint (th_json_len (r, "items"), <=, 2);
      for (guint i = 0; i < th_json_len (r, "items"); i++)
        {
          g_autofree char *id_path = g_strdup_printf ("items.%u.id", i);
          g_autofree char *at_path = g_strdup_printf ("items.%u.created_at", i);
          g_assert_true (g_hash_table_add (seen, g_strdup (th_json_str (r, id_path))));
          last_created = th_json_str (r, at_path);
          if (last_created_copy != NULL)
            g_assert_cmpstr (last_created, <=, last_created_copy);
          g_free (last_created_copy);
          last_created_copy = g_strdup (last_created);
        }
      g_free (cursor);
      cursor = g_strdup (th_json_str (r, "next_cursor"));
      pages++;
    }
  while (cursor != NULL && pages < 10);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (ids, i)));

  g_autofree char *by_group = g_strdup_printf ("/assets?group_id=%s", group2);
  g_autoptr(ThResponse) g = th_request (ts, "GET", by_group, o.admin, NULL);
  g_assert_cmpuint (th_json_len (g, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (g, "items.0.id"), ==, g_ptr_array_index (ids, 3));
  g_autofree char *by_owner = g_strdup_printf ("/assets?owner_id=%s", o.mate_id);
  g_autoptr(ThResponse) ow = th_request (ts, "GET", by_owner, o.coach, NULL);
  g_assert_cmpuint (th_json_len (ow, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (ow, "items.0.id"), ==, g_ptr_array_index (ids, 4));
  g_autoptr(ThResponse) waiting = th_request (ts, "GET", "/assets?status=waiting_upload", o.student, NULL);
  g_assert_cmpuint (th_json_len (waiting, "items"), ==, 4);
  g_autoptr(ThResponse) pending = th_request (ts, "GET", "/assets?status=pending", o.admin, NULL);
  g_assert_cmpuint (th_json_len (pending, "items"), ==, 0);
  g_autofree char *combined = g_strdup_printf ("/assets?group_id=%s&owner_id=%s&status=waiting_upload",
                                               o.group, o.student_id);
  g_autoptr(ThResponse) c = th_request (ts, "GET", combined, o.admin, NULL);
  g_assert_cmpuint (th_json_len (c, "items"), ==, 3);

  g_assert_cmpuint (status_of ("GET", "/assets?status=done", o.admin, NULL), ==, 400);
  g_assert_cmpuint (status_of ("GET", "/assets?group_id=nope", o.admin, NULL), ==, 400);
  g_assert_cmpuint (status_of ("GET", "/assets?owner_id=1", o.admin, NULL), ==, 400);
  g_assert_cmpuint (status_of ("GET", "/assets?cursor=garbage", o.admin, NULL), ==, 400);
}

static void
test_edit (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "ae");
  g_autofree char *asset_id = create_asset_id (o.student, o.group, "Draft");
  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);

  g_autoptr(ThResponse) r = th_request (ts, "PATCH", path, o.student, "{\"name\":\"  Final \",\"description\":\"Heats\\nand finals\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (th_json_str (r, "name"), ==, "Final");
  g_assert_cmpstr (th_json_str (r, "description"), ==, "Heats\nand finals");
  g_assert_cmpuint (th_json_len (r, "videos"), ==, 1);
  g_autoptr(ThResponse) a = th_request (ts, "PATCH", path, o.admin, "{\"description\":\"\"}");
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpstr (th_json_str (a, "description"), ==, "");
  g_assert_cmpstr (th_json_str (a, "name"), ==, "Final");

  g_assert_cmpuint (status_of ("PATCH", path, o.coach, "{\"name\":\"x\"}"), ==, 403);
  g_assert_cmpuint (status_of ("PATCH", path, o.expert, "{\"name\":\"x\"}"), ==, 403);
  g_assert_cmpuint (status_of ("PATCH", path, o.student, "{}"), ==, 422);
  g_assert_cmpuint (status_of ("PATCH", path, o.student, "{\"name\":\"\"}"), ==, 422);
  g_assert_cmpuint (status_of ("PATCH", path, o.student, "{\"name\":\"a\\u0007b\"}"), ==, 422);
}

static void
test_delete (void)
{
  g_auto(Org) o = { 0 };
  org_setup (&o, "ad");
  g_autoptr(GBytes) a = th_random_bytes (64 * KiB, 4);
  g_autoptr(GBytes) b = th_random_bytes (32 * KiB, 5);
  g_autoptr(ThResponse) r = create_asset (o.student, o.group, "Gone", 64 * KiB, 32 * KiB);
  g_assert_cmpuint (r->status, ==, 201);
  g_autofree char *path = g_strdup_printf ("/assets/%s", th_json_str (r, "asset.id"));
  g_autofree char *url0 = g_strdup (th_json_str (r, "videos.0.upload_url"));
  g_autofree char *url1 = g_strdup (th_json_str (r, "videos.1.upload_url"));
  th_tus_upload_rest (ts, url0, o.student, a, 64 * KiB);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (b, 0, 10 * KiB);
  g_autoptr(ThResponse) p = th_tus_patch (ts, url1, o.student, 0, part, NULL);
  g_assert_cmpuint (p->status, ==, 204);
  g_assert_cmpint (storage_used (o.org), ==, 96 * KiB);

  /* Files a media job would have made for the video go too. */
  g_autoptr(ThResponse) show = th_request (ts, "GET", path, o.student, NULL);
  const char *video0 = th_json_str (show, "videos.0.id");
  g_autofree char *derived_dir = g_build_filename (ts->tmpdir, "media", o.org, "videos", video0, NULL);
  g_assert_cmpint (g_mkdir_with_parents (derived_dir, 0700), ==, 0);
  g_autofree char *thumb = g_build_filename (derived_dir, "thumb.jpg", NULL);
  g_assert_true (g_file_set_contents (thumb, "jpeg", 4, NULL));
  g_autofree char *thumb_key = g_strdup_printf ("%s/videos/%s/thumb.jpg", o.org, video0);
  th_db_exec (ts, o.org, "UPDATE videos SET thumbnail_key = $2, derived_bytes = 4 WHERE id = $1",
              "ss", video0, thumb_key);
  th_db_exec (ts, o.org, "UPDATE organizations SET storage_used = storage_used + 4 WHERE id = $1", "s", o.org);
  g_autoptr(ThResponse) with_thumb = th_request (ts, "GET", path, o.student, NULL);
  g_autofree char *thumb_url = g_strdup_printf ("/videos/%s/thumbnail", video0);
  g_assert_cmpstr (th_json_str (with_thumb, "videos.0.thumbnail_url"), ==, thumb_url);

  g_autofree char *upload_dir = g_build_filename (ts->tmpdir, "media", o.org, "uploads", NULL);
  g_autofree char *file0 = g_build_filename (upload_dir, strrchr (url0, '/') + 1, NULL);
  g_autofree char *file1 = g_build_filename (upload_dir, strrchr (url1, '/') + 1, NULL);
  g_assert_true (g_file_test (file0, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (file1, G_FILE_TEST_EXISTS));

  /* Experts of the group review, but do not delete; the mate does not see it. */
  g_assert_cmpuint (status_of ("DELETE", path, o.expert, NULL), ==, 403);
  g_assert_cmpuint (status_of ("DELETE", path, o.mate, NULL), ==, 404);
  /* The group's owner may. */
  g_assert_cmpuint (status_of ("DELETE", path, o.coach, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", path, o.student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", path, o.student, NULL), ==, 404);
  g_assert_false (g_file_test (file0, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (file1, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (derived_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpint (storage_used (o.org), ==, 0);
  g_assert_cmpint (count_rows (o.org, "videos"), ==, 0);
  g_assert_cmpint (count_rows (o.org, "uploads"), ==, 0);
  g_assert_cmpint (th_tus_offset (ts, url0, o.student), ==, -404);

  /* The owner deletes their own. */
  g_autofree char *mine = create_asset_id (o.student, o.group, "Again");
  g_autofree char *mine_path = g_strdup_printf ("/assets/%s", mine);
  g_assert_cmpuint (status_of ("DELETE", mine_path, o.student, NULL), ==, 204);
  g_assert_cmpint (storage_used (o.org), ==, 0);
}

static void
tweak (SdConfig *config,
       gpointer  data)
{
  config->max_upload_bytes = MAX_UPLOAD;
  /* Uploads here are random bytes that must stay 'processing': the media
   * worker, which would fail them, is tested in test-api-videos.c. */
  config->media_jobs = FALSE;
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start_full (tweak, NULL);
  g_test_add_func ("/Api/assets/create-and-upload", test_create_and_upload);
  g_test_add_func ("/Api/assets/validation-and-limits", test_validation_and_limits);
  g_test_add_func ("/Api/assets/complete", test_complete);
  g_test_add_func ("/Api/assets/visibility", test_visibility);
  g_test_add_func ("/Api/assets/list-filters-and-pages", test_list_filters_and_pages);
  g_test_add_func ("/Api/assets/edit", test_edit);
  g_test_add_func ("/Api/assets/delete", test_delete);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
