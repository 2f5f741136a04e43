/* test-api-groups.c — groups over HTTP against a real signald: who may
 * create, see, rename and delete them; members, removing and leaving; the
 * group picture (PNG and JPEG made here with GdkPixbuf, refused formats,
 * size limits, metadata stripped); and that another organization sees none
 * of it (404 on every group route).  Runs on SQLite and PostgreSQL. */
#include "th-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdlib.h>
#include <string.h>

static ThServer *ts;

/* ---- helpers ---- */

static char *
create_group (const char *token,
              const char *name)
{
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", "/groups", token, "{\"name\":\"%s\"}", name);
  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (th_json_str (r, "id"));
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

static guint
status_of (const char *method,
           const char *path,
           const char *token,
           const char *body)
{
  g_autoptr(ThResponse) r = th_request (ts, method, path, token, body);
  return r->status;
}

/* A picture of @w×@h in @format ("png" or "jpeg"); extra save options as
 * key/value pairs, NULL-terminated. */
static GBytes *
make_image (int         w,
            int         h,
            const char *format,
            const char *key,
            const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  g_assert_nonnull (pb);
  gdk_pixbuf_fill (pb, 0x3366ccff);
  gchar *buf = NULL;
  gsize len = 0;
  g_assert_true (gdk_pixbuf_save_to_buffer (pb, &buf, &len, format, &error, key, value, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buf, len);
}

static GdkPixbuf *
decode_png (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", &error);
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static gboolean
is_png (GBytes *bytes)
{
  return g_bytes_get_size (bytes) > 8 && memcmp (g_bytes_get_data (bytes, NULL), "\x89PNG\r\n\x1a\n", 8) == 0;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  return memmem (data, size, needle, strlen (needle)) != NULL;
}

/* ---- tests ---- */

static void
test_create_and_list_by_role (void)
{
  g_autofree char *admin_id = NULL, *expert_id = NULL;
  g_autofree char *admin = th_register_admin (ts, "g1-admin@example.org", "G1 Club", &admin_id);
  g_autofree char *expert = th_add_user (ts, admin, "g1-coach@example.org", "expert", &expert_id);
  g_autofree char *student = th_add_user (ts, admin, "g1-student@example.org", "student", NULL);

  g_autoptr(ThResponse) denied = th_request (ts, "POST", "/groups", student, "{\"name\":\"Mine\"}");
  g_assert_cmpuint (denied->status, ==, 403);
  g_assert_cmpstr (th_json_str (denied, "error.code"), ==, "forbidden");

  g_autoptr(ThResponse) by_expert = th_request (ts, "POST", "/groups", expert, "{\"name\":\"  Rowing juniors \"}");
  g_assert_cmpuint (by_expert->status, ==, 201);
  g_assert_cmpstr (th_json_str (by_expert, "name"), ==, "Rowing juniors");
  g_assert_cmpstr (th_json_str (by_expert, "owner_id"), ==, expert_id);
  g_assert_cmpint (th_json_int (by_expert, "member_count"), ==, 1);
  g_assert_false (json_node_get_boolean (th_json_at (by_expert, "has_avatar")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (by_expert, "avatar_url")));
  g_assert_nonnull (th_json_str (by_expert, "created_at"));
  g_assert_nonnull (th_json_str (by_expert, "updated_at"));
  const char *expert_group = th_json_str (by_expert, "id");

  g_autofree char *admin_group = create_group (admin, "Rowing seniors");
  g_assert_nonnull (admin_group);
  g_autofree char *admin_group2 = create_group (admin, "Rowing masters");
  g_assert_nonnull (admin_group2);

  /* Admins see every group of the organization; others only their own. */
  g_autoptr(ThResponse) all = th_request (ts, "GET", "/groups", admin, NULL);
  g_assert_cmpuint (all->status, ==, 200);
  g_assert_cmpuint (th_json_len (all, "items"), ==, 3);
  g_assert_true (list_has (all, expert_group));
  g_autoptr(ThResponse) mine = th_request (ts, "GET", "/groups", expert, NULL);
  g_assert_cmpuint (th_json_len (mine, "items"), ==, 1);
  g_assert_true (list_has (mine, expert_group));
  g_autoptr(ThResponse) none = th_request (ts, "GET", "/groups", student, NULL);
  g_assert_cmpuint (none->status, ==, 200);
  g_assert_cmpuint (th_json_len (none, "items"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (none, "next_cursor")));

  /* Pagination over (created_at, id). */
  g_autoptr(ThResponse) p1 = th_request (ts, "GET", "/groups?limit=2", admin, NULL);
  g_assert_cmpuint (th_json_len (p1, "items"), ==, 2);
  g_assert_nonnull (th_json_str (p1, "next_cursor"));
  g_autofree char *next = g_strdup_printf ("/groups?limit=2&cursor=%s", th_json_str (p1, "next_cursor"));
  g_autoptr(ThResponse) p2 = th_request (ts, "GET", next, admin, NULL);
  g_assert_cmpuint (p2->status, ==, 200);
  g_assert_cmpuint (th_json_len (p2, "items"), ==, 1);
  g_assert_null (th_json_str (p2, "next_cursor"));
  g_assert_false (list_has (p1, th_json_str (p2, "items.0.id")));

  /* Names: required, trimmed, no control characters. */
  g_assert_cmpuint (status_of ("POST", "/groups", admin, "{\"name\":\"   \"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", "/groups", admin, "{\"name\":\"a\\nb\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", "/groups", admin, "{}"), ==, 422);
  g_assert_cmpuint (status_of ("GET", "/groups", NULL, NULL), ==, 401);
}

static void
test_visibility (void)
{
  g_autofree char *admin = th_register_admin (ts, "g2-admin@example.org", "G2 Club", NULL);
  g_autofree char *expert = th_add_user (ts, admin, "g2-coach@example.org", "expert", NULL);
  g_autofree char *student = th_add_user (ts, admin, "g2-student@example.org", "student", NULL);
  g_autofree char *other_student = th_add_user (ts, admin, "g2-other@example.org", "student", NULL);
  g_autofree char *admin_group = create_group (admin, "Admins' group");
  g_autofree char *expert_group = create_group (expert, "Coach's group");
  th_join_group (ts, admin, admin_group, "g2-student@example.org", student);

  g_autoptr(ThResponse) list = th_request (ts, "GET", "/groups", student, NULL);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (list, "items.0.id"), ==, admin_group);
  g_assert_cmpint (th_json_int (list, "items.0.member_count"), ==, 2);

  g_autofree char *a_path = g_strdup_printf ("/groups/%s", admin_group);
  g_autofree char *e_path = g_strdup_printf ("/groups/%s", expert_group);
  g_autoptr(ThResponse) show = th_request (ts, "GET", a_path, student, NULL);
  g_assert_cmpuint (show->status, ==, 200);
  g_assert_cmpstr (th_json_str (show, "name"), ==, "Admins' group");
  /* Not a member, not an admin: the group does not exist for them. */
  g_autoptr(ThResponse) hidden = th_request (ts, "GET", e_path, student, NULL);
  g_assert_cmpuint (hidden->status, ==, 404);
  g_assert_cmpstr (th_json_str (hidden, "error.code"), ==, "not_found");
  g_assert_cmpuint (status_of ("GET", a_path, other_student, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", a_path, expert, NULL), ==, 404);
  g_autoptr(ThResponse) expert_list = th_request (ts, "GET", "/groups", expert, NULL);
  g_assert_false (list_has (expert_list, admin_group));
  g_assert_cmpuint (status_of ("GET", e_path, admin, NULL), ==, 200);
  g_assert_cmpuint (status_of ("GET", "/groups/00000000-0000-4000-8000-000000000000", admin, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", "/groups/not-a-uuid", admin, NULL), ==, 404);
}

static void
test_rename_and_delete (void)
{
  g_autofree char *admin = th_register_admin (ts, "g3-admin@example.org", "G3 Club", NULL);
  g_autofree char *owner = th_add_user (ts, admin, "g3-owner@example.org", "expert", NULL);
  g_autofree char *expert = th_add_user (ts, admin, "g3-coach@example.org", "expert", NULL);
  g_autofree char *student = th_add_user (ts, admin, "g3-student@example.org", "student", NULL);
  g_autofree char *group = create_group (owner, "Before");
  th_join_group (ts, owner, group, "g3-coach@example.org", expert);
  th_join_group (ts, owner, group, "g3-student@example.org", student);
  g_autofree char *path = g_strdup_printf ("/groups/%s", group);

  g_autoptr(ThResponse) by_owner = th_request (ts, "PATCH", path, owner, "{\"name\":\"After\"}");
  g_assert_cmpuint (by_owner->status, ==, 200);
  g_assert_cmpstr (th_json_str (by_owner, "name"), ==, "After");
  g_autoptr(ThResponse) by_admin = th_request (ts, "PATCH", path, admin, "{\"name\":\"After all\"}");
  g_assert_cmpuint (by_admin->status, ==, 200);
  g_assert_cmpstr (th_json_str (by_admin, "name"), ==, "After all");
  g_assert_cmpint (th_json_int (by_admin, "member_count"), ==, 3);

  /* Members without rights: 403, and nothing changes. */
  g_autoptr(ThResponse) by_student = th_request (ts, "PATCH", path, student, "{\"name\":\"Mine now\"}");
  g_assert_cmpuint (by_student->status, ==, 403);
  g_assert_cmpstr (th_json_str (by_student, "error.code"), ==, "forbidden");
  g_assert_cmpuint (status_of ("PATCH", path, expert, "{\"name\":\"Mine now\"}"), ==, 403);
  g_assert_cmpuint (status_of ("PATCH", path, owner, "{\"name\":\"\"}"), ==, 422);
  g_assert_cmpuint (status_of ("DELETE", path, student, NULL), ==, 403);
  g_assert_cmpuint (status_of ("DELETE", path, expert, NULL), ==, 403);
  g_autoptr(ThResponse) still = th_request (ts, "GET", path, student, NULL);
  g_assert_cmpstr (th_json_str (still, "name"), ==, "After all");

  /* A pending invitation goes with the group. */
  g_autofree char *inv_path = g_strdup_printf ("/groups/%s/invitations", group);
  g_autoptr(ThResponse) inv = th_request (ts, "POST", inv_path, owner, "{\"email\":\"late@example.org\"}");
  g_assert_cmpuint (inv->status, ==, 201);
  g_autofree char *public = g_strdup_printf ("/invitations/%s", th_json_str (inv, "code"));
  g_assert_cmpuint (status_of ("GET", public, NULL, NULL), ==, 200);

  g_assert_cmpuint (status_of ("DELETE", path, owner, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", path, owner, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", path, admin, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", path, admin, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", public, NULL, NULL), ==, 404);
  g_autoptr(ThResponse) list = th_request (ts, "GET", "/groups", student, NULL);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 0);

  /* Admins delete groups they do not own. */
  g_autofree char *other = create_group (owner, "Other");
  g_autofree char *other_path = g_strdup_printf ("/groups/%s", other);
  g_assert_cmpuint (status_of ("DELETE", other_path, admin, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", other_path, owner, NULL), ==, 404);
}

static void
test_members (void)
{
  g_autofree char *admin_id = NULL, *student_id = NULL, *expert_id = NULL;
  g_autofree char *admin = th_register_admin (ts, "g4-admin@example.org", "G4 Club", &admin_id);
  g_autofree char *expert = th_add_user (ts, admin, "g4-coach@example.org", "expert", &expert_id);
  g_autofree char *student = th_add_user (ts, admin, "g4-student@example.org", "student", &student_id);
  g_autofree char *outsider = th_add_user (ts, admin, "g4-outsider@example.org", "student", NULL);
  g_autofree char *group = create_group (admin, "Members");
  th_join_group (ts, admin, group, "g4-coach@example.org", expert);
  th_join_group (ts, admin, group, "g4-student@example.org", student);
  g_autofree char *path = g_strdup_printf ("/groups/%s/members", group);

  g_autoptr(ThResponse) all = th_request (ts, "GET", path, admin, NULL);
  g_assert_cmpuint (all->status, ==, 200);
  g_assert_cmpuint (th_json_len (all, "items"), ==, 3);
  g_assert_true (list_has (all, admin_id));
  g_assert_true (list_has (all, expert_id));
  g_assert_true (list_has (all, student_id));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *joined = g_strdup_printf ("items.%u.joined_at", i);
      g_autofree char *name = g_strdup_printf ("items.%u.name", i);
      g_autofree char *email = g_strdup_printf ("items.%u.email", i);
      g_assert_nonnull (th_json_str (all, joined));
      g_assert_nonnull (th_json_str (all, name));
      g_assert_nonnull (th_json_str (all, email));
    }
  /* Only the owner is marked so. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("items.%u.id", i);
      g_autofree char *is_owner = g_strdup_printf ("items.%u.is_owner", i);
      g_assert_cmpint (json_node_get_boolean (th_json_at (all, is_owner)), ==,
                       g_strcmp0 (th_json_str (all, id), admin_id) == 0);
    }

  /* Students see their group mates but not their e-mail addresses. */
  g_autoptr(ThResponse) as_student = th_request (ts, "GET", path, student, NULL);
  g_assert_cmpuint (as_student->status, ==, 200);
  g_assert_cmpuint (th_json_len (as_student, "items"), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("items.%u.id", i);
      g_autofree char *email = g_strdup_printf ("items.%u.email", i);
      if (g_strcmp0 (th_json_str (as_student, id), student_id) == 0)
        g_assert_cmpstr (th_json_str (as_student, email), ==, "g4-student@example.org");
      else
        g_assert_null (th_json_at (as_student, email));
    }
  g_assert_cmpuint (status_of ("GET", path, outsider, NULL), ==, 404);

  g_autofree char *page = g_strdup_printf ("%s?limit=2", path);
  g_autoptr(ThResponse) p1 = th_request (ts, "GET", page, admin, NULL);
  g_assert_cmpuint (th_json_len (p1, "items"), ==, 2);
  g_autofree char *next = g_strdup_printf ("%s?limit=2&cursor=%s", path, th_json_str (p1, "next_cursor"));
  g_autoptr(ThResponse) p2 = th_request (ts, "GET", next, admin, NULL);
  g_assert_cmpuint (th_json_len (p2, "items"), ==, 1);
  g_assert_false (list_has (p1, th_json_str (p2, "items.0.id")));
  g_assert_null (th_json_str (p2, "next_cursor"));
}

static void
test_remove_and_leave (void)
{
  g_autofree char *admin_id = NULL, *owner_id = NULL, *expert_id = NULL, *s1_id = NULL, *s2_id = NULL;
  g_autofree char *admin = th_register_admin (ts, "g5-admin@example.org", "G5 Club", &admin_id);
  g_autofree char *owner = th_add_user (ts, admin, "g5-owner@example.org", "expert", &owner_id);
  g_autofree char *expert = th_add_user (ts, admin, "g5-coach@example.org", "expert", &expert_id);
  g_autofree char *s1 = th_add_user (ts, admin, "g5-s1@example.org", "student", &s1_id);
  g_autofree char *s2 = th_add_user (ts, admin, "g5-s2@example.org", "student", &s2_id);
  g_autofree char *group = create_group (owner, "Leavers");
  th_join_group (ts, owner, group, "g5-coach@example.org", expert);
  th_join_group (ts, owner, group, "g5-s1@example.org", s1);
  th_join_group (ts, owner, group, "g5-s2@example.org", s2);
  g_autofree char *group_path = g_strdup_printf ("/groups/%s", group);
  g_autofree char *p_owner = g_strdup_printf ("/groups/%s/members/%s", group, owner_id);
  g_autofree char *p_expert = g_strdup_printf ("/groups/%s/members/%s", group, expert_id);
  g_autofree char *p_s1 = g_strdup_printf ("/groups/%s/members/%s", group, s1_id);
  g_autofree char *p_s2 = g_strdup_printf ("/groups/%s/members/%s", group, s2_id);
  g_autofree char *p_admin = g_strdup_printf ("/groups/%s/members/%s", group, admin_id);

  /* A member may not remove others. */
  g_autoptr(ThResponse) not_yours = th_request (ts, "DELETE", p_s2, s1, NULL);
  g_assert_cmpuint (not_yours->status, ==, 403);
  g_assert_cmpuint (status_of ("DELETE", p_s2, expert, NULL), ==, 403);

  /* Leaving. */
  g_assert_cmpuint (status_of ("DELETE", p_s1, s1, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", group_path, s1, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", p_s1, s1, NULL), ==, 404);
  g_autoptr(ThResponse) s1_list = th_request (ts, "GET", "/groups", s1, NULL);
  g_assert_cmpuint (th_json_len (s1_list, "items"), ==, 0);

  /* The owner and admins remove members. */
  g_assert_cmpuint (status_of ("DELETE", p_s2, owner, NULL), ==, 204);
  g_assert_cmpuint (status_of ("DELETE", p_expert, admin, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", group_path, expert, NULL), ==, 404);
  g_autoptr(ThResponse) gone = th_request (ts, "DELETE", p_s2, owner, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
  /* The admin is no member; removing them is "not a member". */
  g_assert_cmpuint (status_of ("DELETE", p_admin, owner, NULL), ==, 404);

  /* The owner stays. */
  g_autoptr(ThResponse) owner_removed = th_request (ts, "DELETE", p_owner, admin, NULL);
  g_assert_cmpuint (owner_removed->status, ==, 409);
  g_assert_cmpstr (th_json_str (owner_removed, "error.code"), ==, "conflict");
  g_assert_nonnull (th_json_str (owner_removed, "error.message"));
  g_assert_cmpuint (status_of ("DELETE", p_owner, owner, NULL), ==, 409);

  g_autoptr(ThResponse) after = th_request (ts, "GET", group_path, owner, NULL);
  g_assert_cmpint (th_json_int (after, "member_count"), ==, 1);
}

static void
test_avatar (void)
{
  g_autofree char *admin = th_register_admin (ts, "g6-admin@example.org", "G6 Club", NULL);
  g_autofree char *student = th_add_user (ts, admin, "g6-student@example.org", "student", NULL);
  g_autofree char *group = create_group (admin, "Pictures");
  th_join_group (ts, admin, group, "g6-student@example.org", student);
  g_autofree char *path = g_strdup_printf ("/groups/%s/avatar", group);
  g_autofree char *group_path = g_strdup_printf ("/groups/%s", group);

  g_assert_cmpuint (status_of ("GET", path, admin, NULL), ==, 404);

  /* PNG, larger than 512: scaled down, aspect kept, metadata dropped. */
  g_autoptr(GBytes) png = make_image (1024, 768, "png", "tEXt::Comment", "secret-metadata-42");
  g_assert_true (bytes_contain (png, "secret-metadata-42"));
  g_autoptr(ThResponse) up = th_request_bytes (ts, "PUT", path, admin, "image/png", png);
  g_assert_cmpuint (up->status, ==, 200);
  g_assert_true (json_node_get_boolean (th_json_at (up, "has_avatar")));
  g_assert_nonnull (th_json_str (up, "avatar_url"));
  g_assert_true (g_str_has_prefix (th_json_str (up, "avatar_url"), path));

  g_autoptr(ThResponse) got = th_request (ts, "GET", path, student, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (got->headers, NULL), ==, "image/png");
  g_assert_true (is_png (got->body));
  g_assert_false (bytes_contain (got->body, "secret-metadata-42"));
  g_autoptr(GdkPixbuf) pb = decode_png (got->body);
  g_assert_cmpint (gdk_pixbuf_get_width (pb), ==, 512);
  g_assert_cmpint (gdk_pixbuf_get_height (pb), ==, 384);
  /* The colour survived. */
  const guint8 *px = gdk_pixbuf_read_pixels (pb);
  g_assert_cmpint (abs (px[0] - 0x33), <=, 2);
  g_assert_cmpint (abs (px[1] - 0x66), <=, 2);
  g_assert_cmpint (abs (px[2] - 0xcc), <=, 2);

  /* JPEG, small: stored as PNG at its own size. */
  g_autoptr(GBytes) jpeg = make_image (300, 200, "jpeg", "quality", "90");
  g_autoptr(ThResponse) up2 = th_request_bytes (ts, "PUT", path, admin, "image/jpeg", jpeg);
  g_assert_cmpuint (up2->status, ==, 200);
  g_autoptr(ThResponse) got2 = th_request (ts, "GET", path, admin, NULL);
  g_assert_true (is_png (got2->body));
  g_autoptr(GdkPixbuf) pb2 = decode_png (got2->body);
  g_assert_cmpint (gdk_pixbuf_get_width (pb2), ==, 300);
  g_assert_cmpint (gdk_pixbuf_get_height (pb2), ==, 200);

  /* A tall one keeps its long side at 512. */
  g_autoptr(GBytes) tall = make_image (600, 1200, "jpeg", "quality", "80");
  g_autoptr(ThResponse) up3 = th_request_bytes (ts, "PUT", path, admin, "image/jpeg", tall);
  g_assert_cmpuint (up3->status, ==, 200);
  g_autoptr(ThResponse) got3 = th_request (ts, "GET", path, admin, NULL);
  g_autoptr(GdkPixbuf) pb3 = decode_png (got3->body);
  g_assert_cmpint (gdk_pixbuf_get_width (pb3), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (pb3), ==, 512);

  /* Only the owner and admins change it. */
  g_autoptr(ThResponse) by_student = th_request_bytes (ts, "PUT", path, student, "image/png", png);
  g_assert_cmpuint (by_student->status, ==, 403);
  g_assert_cmpuint (status_of ("DELETE", path, student, NULL), ==, 403);

  /* Refused: other formats (415), undecodable data and huge images (422),
   * bodies over 2 MiB (413).  A 1×1 GIF, made byte by byte: */
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0,
    0, 0, 0, 0xff, 0xff, 0xff,
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0,
    2, 2, 0x44, 0x01, 0,
    0x3b
  };
  g_autoptr(GBytes) gif_bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(ThResponse) r_gif = th_request_bytes (ts, "PUT", path, admin, "image/gif", gif_bytes);
  g_assert_cmpuint (r_gif->status, ==, 415);
  g_assert_cmpstr (th_json_str (r_gif, "error.code"), ==, "unsupported_media_type");
  g_autoptr(ThResponse) r_gif2 = th_request_bytes (ts, "PUT", path, admin, "image/png", gif_bytes);
  g_assert_cmpuint (r_gif2->status, ==, 415);
  g_assert_cmpstr (th_json_str (r_gif2, "error.code"), ==, "unsupported_media_type");
  g_assert_nonnull (strstr (th_json_str (r_gif2, "error.message"), "GIF"));
  g_autoptr(ThResponse) r_text = th_request_bytes (ts, "PUT", path, admin, "text/plain", png);
  g_assert_cmpuint (r_text->status, ==, 415);

  guint8 noise[4096];
  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_random_int ();
  noise[0] = 0x00;
  noise[1] = 0x11;
  g_autoptr(GBytes) noise_bytes = g_bytes_new (noise, sizeof noise);
  g_autoptr(ThResponse) r_noise = th_request_bytes (ts, "PUT", path, admin, "image/png", noise_bytes);
  g_assert_cmpuint (r_noise->status, ==, 422);
  g_assert_cmpstr (th_json_str (r_noise, "error.code"), ==, "validation_failed");

  /* A PNG signature followed by garbage, and a cut-off JPEG. */
  memcpy (noise, "\x89PNG\r\n\x1a\n", 8);
  g_autoptr(GBytes) fake_png = g_bytes_new (noise, sizeof noise);
  g_autoptr(ThResponse) r_fake = th_request_bytes (ts, "PUT", path, admin, "image/png", fake_png);
  g_assert_cmpuint (r_fake->status, ==, 422);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(ThResponse) r_cut = th_request_bytes (ts, "PUT", path, admin, "image/png", cut);
  g_assert_cmpuint (r_cut->status, ==, 422);
  g_autoptr(GBytes) cut_jpeg = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) - 200);
  g_autoptr(ThResponse) r_cut_jpeg = th_request_bytes (ts, "PUT", path, admin, "image/jpeg", cut_jpeg);
  g_assert_cmpuint (r_cut_jpeg->status, ==, 422);
  g_assert_cmpstr (th_json_str (r_cut_jpeg, "error.code"), ==, "validation_failed");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(ThResponse) r_empty = th_request_bytes (ts, "PUT", path, admin, "image/png", empty);
  g_assert_cmpuint (r_empty->status, ==, 422);

  g_autoptr(GBytes) wide = make_image (5000, 4, "png", NULL, NULL);
  g_autoptr(ThResponse) r_wide = th_request_bytes (ts, "PUT", path, admin, "image/png", wide);
  g_assert_cmpuint (r_wide->status, ==, 422);
  g_assert_nonnull (strstr (th_json_str (r_wide, "error.message"), "4096"));
  g_autoptr(GBytes) high = make_image (4, 5000, "jpeg", NULL, NULL);
  g_autoptr(ThResponse) r_high = th_request_bytes (ts, "PUT", path, admin, "image/jpeg", high);
  g_assert_cmpuint (r_high->status, ==, 422);

  gsize big_size = 3 * 1024 * 1024;
  g_autofree guint8 *big = g_malloc0 (big_size);
  memcpy (big, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autoptr(GBytes) big_bytes = g_bytes_new_take (g_steal_pointer (&big), big_size);
  g_autoptr(ThResponse) r_big = th_request_bytes (ts, "PUT", path, admin, "image/png", big_bytes);
  g_assert_cmpuint (r_big->status, ==, 413);
  g_assert_cmpstr (th_json_str (r_big, "error.code"), ==, "payload_too_large");

  /* None of the refusals replaced the picture. */
  g_autoptr(ThResponse) kept = th_request (ts, "GET", path, admin, NULL);
  g_assert_cmpmem (g_bytes_get_data (kept->body, NULL), g_bytes_get_size (kept->body),
                   g_bytes_get_data (got3->body, NULL), g_bytes_get_size (got3->body));

  g_assert_cmpuint (status_of ("DELETE", path, admin, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", path, admin, NULL), ==, 404);
  g_autoptr(ThResponse) plain = th_request (ts, "GET", group_path, admin, NULL);
  g_assert_false (json_node_get_boolean (th_json_at (plain, "has_avatar")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (plain, "avatar_url")));
}

static void
test_other_organization (void)
{
  g_autofree char *a_admin = th_register_admin (ts, "g7-a@example.org", "G7 A", NULL);
  g_autofree char *a_student_id = NULL;
  g_autofree char *a_student = th_add_user (ts, a_admin, "g7-a-student@example.org", "student", &a_student_id);
  g_autofree char *b_admin = th_register_admin (ts, "g7-b@example.org", "G7 B", NULL);
  g_autofree char *b_expert = th_add_user (ts, b_admin, "g7-b-coach@example.org", "expert", NULL);
  g_autofree char *group = create_group (a_admin, "Private to A");
  th_join_group (ts, a_admin, group, "g7-a-student@example.org", a_student);
  g_autoptr(GBytes) png = make_image (64, 64, "png", NULL, NULL);
  g_autofree char *avatar = g_strdup_printf ("/groups/%s/avatar", group);
  g_autoptr(ThResponse) up = th_request_bytes (ts, "PUT", avatar, a_admin, "image/png", png);
  g_assert_cmpuint (up->status, ==, 200);
  g_autofree char *invitations = g_strdup_printf ("/groups/%s/invitations", group);
  g_autoptr(ThResponse) inv = th_request (ts, "POST", invitations, a_admin, "{\"email\":\"g7-new@example.org\"}");
  g_assert_cmpuint (inv->status, ==, 201);

  g_autofree char *group_path = g_strdup_printf ("/groups/%s", group);
  g_autofree char *members = g_strdup_printf ("/groups/%s/members", group);
  g_autofree char *member = g_strdup_printf ("/groups/%s/members/%s", group, a_student_id);
  g_autofree char *revoke = g_strdup_printf ("/groups/%s/invitations/%s", group, th_json_str (inv, "id"));

  struct { const char *method; const char *path; const char *body; } routes[] = {
    { "GET", group_path, NULL },
    { "PATCH", group_path, "{\"name\":\"Taken over\"}" },
    { "DELETE", group_path, NULL },
    { "GET", avatar, NULL },
    { "PUT", avatar, NULL },
    { "DELETE", avatar, NULL },
    { "GET", members, NULL },
    { "DELETE", member, NULL },
    { "POST", invitations, "{\"email\":\"g7-spy@example.org\"}" },
    { "GET", invitations, NULL },
    { "DELETE", revoke, NULL },
  };
  const char *tokens[] = { b_admin, b_expert };
  for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
    for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
      {
        g_autoptr(ThResponse) r = NULL;
        if (g_str_equal (routes[i].method, "PUT"))
          r = th_request_bytes (ts, "PUT", routes[i].path, tokens[t], "image/png", png);
        else
          r = th_request (ts, routes[i].method, routes[i].path, tokens[t], routes[i].body);
        if (r->status != 404)
          g_error ("%s %s by another organization: %u, not 404", routes[i].method, routes[i].path, r->status);
        g_assert_cmpstr (th_json_str (r, "error.code"), ==, "not_found");
      }

  /* B's lists show nothing of A. */
  g_autoptr(ThResponse) b_list = th_request (ts, "GET", "/groups", b_admin, NULL);
  g_assert_false (list_has (b_list, group));

  /* And A's group is untouched. */
  g_autoptr(ThResponse) show = th_request (ts, "GET", group_path, a_admin, NULL);
  g_assert_cmpuint (show->status, ==, 200);
  g_assert_cmpstr (th_json_str (show, "name"), ==, "Private to A");
  g_assert_cmpint (th_json_int (show, "member_count"), ==, 2);
  g_assert_true (json_node_get_boolean (th_json_at (show, "has_avatar")));
  g_autoptr(ThResponse) invs = th_request (ts, "GET", invitations, a_admin, NULL);
  g_assert_cmpuint (th_json_len (invs, "items"), ==, 2);  /* the student's, and the pending one */
  gboolean found = FALSE;
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("items.%u.id", i);
      g_autofree char *status = g_strdup_printf ("items.%u.status", i);
      if (g_strcmp0 (th_json_str (invs, id), th_json_str (inv, "id")) == 0)
        {
          found = TRUE;
          g_assert_cmpstr (th_json_str (invs, status), ==, "pending");
        }
    }
  g_assert_true (found);
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start ();
  g_test_add_func ("/Api/groups/create-and-list-by-role", test_create_and_list_by_role);
  g_test_add_func ("/Api/groups/visibility", test_visibility);
  g_test_add_func ("/Api/groups/rename-and-delete", test_rename_and_delete);
  g_test_add_func ("/Api/groups/members", test_members);
  g_test_add_func ("/Api/groups/remove-and-leave", test_remove_and_leave);
  g_test_add_func ("/Api/groups/avatar", test_avatar);
  g_test_add_func ("/Api/groups/other-organization", test_other_organization);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
