/* test-api-invitations.c — inviting into groups over HTTP against a real
 * signald: the whole flow from the invitation e-mail (spool and a real SMTP
 * exchange) to the public view, QR code, web page, signing up with the code
 * and accepting it; single use, withdrawal, expiry, other organizations,
 * the code alphabet and the rate limit on wrong codes.  Runs on SQLite and
 * PostgreSQL. */
#include "th-server.h"
#include "th-smtp.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

static ThServer *ts;

/* ---- helpers ---- */

static char *
create_group (ThServer   *server,
              const char *token,
              const char *name)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, name);
  g_autofree char *quoted = json_to_string (node, FALSE);
  g_autoptr(ThResponse) r = th_requestf (server, "POST", "/groups", token, "{\"name\":%s}", quoted);
  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (th_json_str (r, "id"));
}

static ThResponse *
invite (ThServer   *server,
        const char *token,
        const char *group_id,
        const char *email)
{
  g_autofree char *path = g_strdup_printf ("/groups/%s/invitations", group_id);
  return th_requestf (server, "POST", path, token, "{\"email\":\"%s\"}", email);
}

/* The code of a new invitation (asserting it was made). */
static char *
invite_code (ThServer   *server,
             const char *token,
             const char *group_id,
             const char *email)
{
  g_autoptr(ThResponse) r = invite (server, token, group_id, email);
  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (th_json_str (r, "code"));
}

static ThResponse *
accept (ThServer   *server,
        const char *token,
        const char *code)
{
  g_autofree char *path = g_strdup_printf ("/invitations/%s/accept", code);
  return th_request (server, "POST", path, token, NULL);
}

static ThResponse *
register_with_code (ThServer   *server,
                    const char *email,
                    const char *code)
{
  return th_requestf (server, "POST", "/auth/register", NULL,
                      "{\"email\":\"%s\",\"password\":\"" TH_PASSWORD "\",\"name\":\"New %s\",\"invite_code\":\"%s\"}",
                      email, email, code);
}

static ThResponse *
public_view (ThServer   *server,
             const char *code)
{
  g_autofree char *path = g_strdup_printf ("/invitations/%s", code);
  return th_request (server, "GET", path, NULL, NULL);
}

static gboolean
code_ok (const char *code)
{
  if (code == NULL || strlen (code) != 6)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (strchr (CODE_ALPHABET, *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The spooled message whose To names @to; waits up to 10 s. */
static char *
spooled_mail_to (ThServer   *server,
                 const char *to)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      g_autoptr(GPtrArray) files = th_spool_wait (server, 1, 200);
      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *text = NULL;
          if (!g_file_get_contents (files->pdata[i], &text, NULL, NULL))
            continue;
          g_autofree char *header = th_mail_get_header (text, "To");
          if (header != NULL && strstr (header, to) != NULL)
            return g_steal_pointer (&text);
        }
      g_usleep (50000);
    }
  while (g_get_monotonic_time () < deadline);
  g_error ("no e-mail to %s arrived in the spool", to);
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

/* Checks that @png is a QR code of @text (8-pixel modules, 4-module quiet
 * zone, black on white) by comparing every module with libqrencode's
 * encoding of @text at any error-correction level. */
static void
assert_qr_of (GBytes     *png,
              const char *text)
{
  g_assert_cmpuint (g_bytes_get_size (png), >, 8);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  g_autoptr(GdkPixbuf) pb = decode_png (png);
  int w = gdk_pixbuf_get_width (pb);
  int h = gdk_pixbuf_get_height (pb);
  int stride = gdk_pixbuf_get_rowstride (pb);
  int channels = gdk_pixbuf_get_n_channels (pb);
  const guint8 *px = gdk_pixbuf_read_pixels (pb);
  g_assert_cmpint (w, ==, h);
  g_assert_cmpint (w % 8, ==, 0);
  int modules = w / 8 - 8;
  g_assert_cmpint (modules, >=, 21);
  g_assert_cmpint ((modules - 17) % 4, ==, 0);

  /* Quiet zone white; the finder pattern's corner black. */
  for (int i = 0; i < 32; i++)
    g_assert_cmpint (px[i * stride + i * channels], ==, 255);
  g_assert_cmpint (px[32 * stride + 32 * channels], ==, 0);

  static const QRecLevel levels[] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H };
  gboolean matched = FALSE;
  for (guint l = 0; l < G_N_ELEMENTS (levels) && !matched; l++)
    {
      QRcode *qr = QRcode_encodeString (text, 0, levels[l], QR_MODE_8, 1);
      g_assert_nonnull (qr);
      if (qr->width == modules)
        {
          matched = TRUE;
          for (int y = 0; y < modules && matched; y++)
            for (int x = 0; x < modules && matched; x++)
              {
                gboolean black = px[((y + 4) * 8 + 4) * stride + ((x + 4) * 8 + 4) * channels] < 128;
                matched = black == ((qr->data[y * modules + x] & 1) != 0);
              }
        }
      QRcode_free (qr);
    }
  g_assert_true (matched);
}

/* ---- tests ---- */

static void
test_whole_flow (void)
{
  g_autofree char *admin = th_register_admin (ts, "i1-admin@example.org", "I1 Rowing", NULL);
  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", admin, NULL);
  const char *org_id = th_json_str (me, "organization_id");
  g_autofree char *group = create_group (ts, admin, "Morning Rowers");

  /* Invite by e-mail. */
  g_autoptr(ThResponse) inv = invite (ts, admin, group, " Newbie@Example.org ");
  g_assert_cmpuint (inv->status, ==, 201);
  const char *code = th_json_str (inv, "code");
  g_assert_true (code_ok (code));
  g_assert_cmpstr (th_json_str (inv, "email"), ==, "newbie@example.org");
  g_assert_cmpstr (th_json_str (inv, "status"), ==, "pending");
  g_assert_cmpstr (th_json_str (inv, "group_id"), ==, group);
  g_assert_nonnull (th_json_str (inv, "id"));
  g_assert_nonnull (th_json_str (inv, "expires_at"));
  g_autofree char *url_suffix = g_strdup_printf ("/invite/%s", code);
  const char *url = th_json_str (inv, "url");
  g_assert_true (g_str_has_prefix (url, "http"));
  g_assert_true (g_str_has_suffix (url, url_suffix));
  g_autofree char *app = g_strdup_printf ("tandem://invite/%s", code);

  /* The e-mail. */
  g_autofree char *mail = spooled_mail_to (ts, "newbie@example.org");
  g_autofree char *subject = th_mail_get_header (mail, "Subject");
  g_assert_nonnull (strstr (subject, "Morning Rowers"));
  g_assert_nonnull (strstr (subject, "Admin of I1 Rowing"));
  g_autofree char *text = th_mail_get_text (mail, "text/plain");
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, code));
  g_assert_nonnull (strstr (text, url));
  g_assert_nonnull (strstr (text, app));
  g_assert_nonnull (strstr (text, "Morning Rowers"));
  g_assert_nonnull (strstr (text, "Admin of I1 Rowing"));

  /* The public view, with any letter case. */
  g_autoptr(ThResponse) view = public_view (ts, code);
  g_assert_cmpuint (view->status, ==, 200);
  g_assert_cmpstr (th_json_str (view, "code"), ==, code);
  g_assert_cmpstr (th_json_str (view, "group.name"), ==, "Morning Rowers");
  g_assert_cmpstr (th_json_str (view, "group.id"), ==, group);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (view, "group.avatar_url")));
  g_assert_cmpstr (th_json_str (view, "inviter_name"), ==, "Admin of I1 Rowing");
  g_assert_cmpstr (th_json_str (view, "status"), ==, "pending");
  g_assert_nonnull (th_json_str (view, "expires_at"));
  g_assert_null (th_json_at (view, "email"));
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autoptr(ThResponse) view_lower = public_view (ts, lower);
  g_assert_cmpuint (view_lower->status, ==, 200);
  g_assert_cmpstr (th_json_str (view_lower, "group.name"), ==, "Morning Rowers");

  /* The QR code holds the invite URL. */
  g_autofree char *qr_path = g_strdup_printf ("/invitations/%s/qr.png", code);
  g_autoptr(ThResponse) qr = th_request (ts, "GET", qr_path, NULL, NULL);
  g_assert_cmpuint (qr->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (qr->headers, NULL), ==, "image/png");
  assert_qr_of (qr->body, url);

  /* A newcomer signs up with the code: a student of this organization,
   * already in the group. */
  g_autoptr(ThResponse) reg = register_with_code (ts, "newbie@example.org", lower);
  g_assert_cmpuint (reg->status, ==, 201);
  g_assert_cmpstr (th_json_str (reg, "user.role"), ==, "student");
  g_assert_cmpstr (th_json_str (reg, "user.organization_id"), ==, org_id);
  const char *newbie = th_json_str (reg, "token");
  g_autoptr(ThResponse) groups = th_request (ts, "GET", "/groups", newbie, NULL);
  g_assert_cmpuint (groups->status, ==, 200);
  g_assert_cmpuint (th_json_len (groups, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (groups, "items.0.id"), ==, group);
  g_assert_cmpint (th_json_int (groups, "items.0.member_count"), ==, 2);

  /* The code is used now. */
  g_autoptr(ThResponse) again = register_with_code (ts, "second@example.org", code);
  g_assert_cmpuint (again->status, ==, 410);
  g_assert_cmpstr (th_json_str (again, "error.code"), ==, "invitation_used");
  g_autofree char *student = th_add_user (ts, admin, "i1-student@example.org", "student", NULL);
  g_autoptr(ThResponse) used = accept (ts, student, code);
  g_assert_cmpuint (used->status, ==, 410);
  g_assert_cmpstr (th_json_str (used, "error.code"), ==, "invitation_used");
  g_autoptr(ThResponse) view_used = public_view (ts, code);
  g_assert_cmpstr (th_json_str (view_used, "status"), ==, "accepted");

  /* Managers see the invitations; members without rights do not. */
  g_autofree char *list_path = g_strdup_printf ("/groups/%s/invitations", group);
  g_autoptr(ThResponse) list = th_request (ts, "GET", list_path, admin, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (list, "items.0.status"), ==, "accepted");
  g_assert_nonnull (th_json_str (list, "items.0.accepted_at"));
  g_autoptr(ThResponse) list_student = th_request (ts, "GET", list_path, newbie, NULL);
  g_assert_cmpuint (list_student->status, ==, 403);
  g_autoptr(ThResponse) invite_student = invite (ts, newbie, group, "friend@example.org");
  g_assert_cmpuint (invite_student->status, ==, 403);

  /* Inviting a member again is pointless. */
  g_autoptr(ThResponse) dup = invite (ts, admin, group, "newbie@example.org");
  g_assert_cmpuint (dup->status, ==, 409);
  g_assert_cmpstr (th_json_str (dup, "error.code"), ==, "already_member");
  g_autoptr(ThResponse) bad_email = invite (ts, admin, group, "not an address");
  g_assert_cmpuint (bad_email->status, ==, 422);
}

static void
test_revoke (void)
{
  g_autofree char *admin = th_register_admin (ts, "i2-admin@example.org", "I2 Club", NULL);
  g_autofree char *expert = th_add_user (ts, admin, "i2-coach@example.org", "expert", NULL);
  g_autofree char *student = th_add_user (ts, admin, "i2-student@example.org", "student", NULL);
  g_autofree char *group = create_group (ts, admin, "Revocable");

  g_autoptr(ThResponse) inv = invite (ts, admin, group, "i2-student@example.org");
  g_assert_cmpuint (inv->status, ==, 201);
  const char *code = th_json_str (inv, "code");
  g_autofree char *path = g_strdup_printf ("/groups/%s/invitations/%s", group, th_json_str (inv, "id"));
  g_autoptr(ThResponse) del = th_request (ts, "DELETE", path, admin, NULL);
  g_assert_cmpuint (del->status, ==, 204);
  g_autoptr(ThResponse) del2 = th_request (ts, "DELETE", path, admin, NULL);
  g_assert_cmpuint (del2->status, ==, 204);

  g_autoptr(ThResponse) view = public_view (ts, code);
  g_assert_cmpuint (view->status, ==, 200);
  g_assert_cmpstr (th_json_str (view, "status"), ==, "revoked");
  g_autoptr(ThResponse) acc = accept (ts, student, code);
  g_assert_cmpuint (acc->status, ==, 410);
  g_assert_cmpstr (th_json_str (acc, "error.code"), ==, "gone");
  g_autoptr(ThResponse) reg = register_with_code (ts, "i2-new@example.org", code);
  g_assert_cmpuint (reg->status, ==, 410);
  g_assert_cmpstr (th_json_str (reg, "error.code"), ==, "gone");
  g_autoptr(ThResponse) groups = th_request (ts, "GET", "/groups", student, NULL);
  g_assert_cmpuint (th_json_len (groups, "items"), ==, 0);

  /* Expert members invite, and withdraw their own invitations, but do not
   * manage the others'. */
  g_autofree char *admin_code = invite_code (ts, admin, group, "i2-coach@example.org");
  g_autoptr(ThResponse) joined = accept (ts, expert, admin_code);
  g_assert_cmpuint (joined->status, ==, 200);
  g_autoptr(ThResponse) by_expert = invite (ts, expert, group, "i2-friend@example.org");
  g_assert_cmpuint (by_expert->status, ==, 201);
  g_autoptr(ThResponse) by_admin = invite (ts, admin, group, "i2-other@example.org");
  g_assert_cmpuint (by_admin->status, ==, 201);
  g_autofree char *own = g_strdup_printf ("/groups/%s/invitations/%s", group, th_json_str (by_expert, "id"));
  g_autofree char *others = g_strdup_printf ("/groups/%s/invitations/%s", group, th_json_str (by_admin, "id"));
  g_autoptr(ThResponse) r_others = th_request (ts, "DELETE", others, expert, NULL);
  g_assert_cmpuint (r_others->status, ==, 403);
  g_autoptr(ThResponse) r_own = th_request (ts, "DELETE", own, expert, NULL);
  g_assert_cmpuint (r_own->status, ==, 204);
  g_autofree char *list_path = g_strdup_printf ("/groups/%s/invitations", group);
  g_autoptr(ThResponse) list_expert = th_request (ts, "GET", list_path, expert, NULL);
  g_assert_cmpuint (list_expert->status, ==, 403);

  /* A used invitation cannot be withdrawn; an unknown one is not found. */
  g_autoptr(ThResponse) list = th_request (ts, "GET", list_path, admin, NULL);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 4);
  const char *accepted_id = NULL;
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *s = g_strdup_printf ("items.%u.status", i);
      g_autofree char *id = g_strdup_printf ("items.%u.id", i);
      if (g_strcmp0 (th_json_str (list, s), "accepted") == 0)
        accepted_id = th_json_str (list, id);
    }
  g_assert_nonnull (accepted_id);
  g_autofree char *accepted_path = g_strdup_printf ("/groups/%s/invitations/%s", group, accepted_id);
  g_autoptr(ThResponse) r_used = th_request (ts, "DELETE", accepted_path, admin, NULL);
  g_assert_cmpuint (r_used->status, ==, 409);
  g_autofree char *unknown = g_strdup_printf ("/groups/%s/invitations/00000000-0000-4000-8000-000000000000", group);
  g_autoptr(ThResponse) r_unknown = th_request (ts, "DELETE", unknown, admin, NULL);
  g_assert_cmpuint (r_unknown->status, ==, 404);
}

static void
test_accept_existing_users (void)
{
  g_autofree char *admin = th_register_admin (ts, "i3-admin@example.org", "I3 Club", NULL);
  g_autofree char *student_id = NULL;
  g_autofree char *student = th_add_user (ts, admin, "i3-student@example.org", "student", &student_id);
  g_autofree char *other_admin = th_register_admin (ts, "i3-other@example.org", "I3 Other", NULL);
  g_autofree char *group = create_group (ts, admin, "Existing");

  /* A user of the same organization accepts. */
  g_autofree char *code = invite_code (ts, admin, group, "i3-student@example.org");
  g_autoptr(ThResponse) ok = accept (ts, student, code);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (th_json_str (ok, "group.id"), ==, group);
  g_assert_cmpstr (th_json_str (ok, "group.name"), ==, "Existing");
  g_assert_cmpint (th_json_int (ok, "group.member_count"), ==, 2);
  g_autoptr(ThResponse) groups = th_request (ts, "GET", "/groups", student, NULL);
  g_assert_cmpuint (th_json_len (groups, "items"), ==, 1);
  g_autofree char *members = g_strdup_printf ("/groups/%s/members", group);
  g_autoptr(ThResponse) list = th_request (ts, "GET", members, admin, NULL);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 2);

  /* Accepting for a group one is in already: 409, the code stays usable. */
  g_autofree char *code2 = invite_code (ts, admin, group, "someone-else@example.org");
  g_autoptr(ThResponse) twice = accept (ts, student, code2);
  g_assert_cmpuint (twice->status, ==, 409);
  g_assert_cmpstr (th_json_str (twice, "error.code"), ==, "already_member");
  g_autoptr(ThResponse) still = public_view (ts, code2);
  g_assert_cmpstr (th_json_str (still, "status"), ==, "pending");

  /* Another organization's user cannot: accounts belong to one organization. */
  g_autoptr(ThResponse) foreign = accept (ts, other_admin, code2);
  g_assert_cmpuint (foreign->status, ==, 403);
  g_assert_cmpstr (th_json_str (foreign, "error.code"), ==, "forbidden");
  g_assert_nonnull (strstr (th_json_str (foreign, "error.message"), "organization"));
  g_autoptr(ThResponse) pending = public_view (ts, code2);
  g_assert_cmpstr (th_json_str (pending, "status"), ==, "pending");
  g_autoptr(ThResponse) other_groups = th_request (ts, "GET", "/groups", other_admin, NULL);
  g_assert_cmpuint (th_json_len (other_groups, "items"), ==, 0);

  /* Signed-in only; unknown codes are 404. */
  g_autoptr(ThResponse) anon = accept (ts, NULL, code2);
  g_assert_cmpuint (anon->status, ==, 401);
  g_autoptr(ThResponse) unknown = accept (ts, student, "ZZZZZZ");
  g_assert_cmpuint (unknown->status, ==, 404);
}

static void
test_codes (void)
{
  g_autofree char *admin = th_register_admin (ts, "i4-admin@example.org", "I4 Club", NULL);
  g_autofree char *group = create_group (ts, admin, "Codes");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *email = g_strdup_printf ("i4-%u@example.org", i);
      char *code = invite_code (ts, admin, group, email);
      if (!code_ok (code))
        g_error ("invitation code “%s” is not 6 characters of %s", code, CODE_ALPHABET);
      g_assert_false (g_hash_table_contains (seen, code));
      g_hash_table_add (seen, code);
    }

  /* Paginated list of invitations. */
  g_autofree char *path = g_strdup_printf ("/groups/%s/invitations?limit=5", group);
  g_autoptr(ThResponse) p1 = th_request (ts, "GET", path, admin, NULL);
  g_assert_cmpuint (th_json_len (p1, "items"), ==, 5);
  g_assert_true (code_ok (th_json_str (p1, "items.0.code")));
  g_assert_nonnull (th_json_str (p1, "next_cursor"));
  guint total = 5;
  g_autofree char *cursor = g_strdup (th_json_str (p1, "next_cursor"));
  while (cursor != NULL)
    {
      g_autofree char *next = g_strdup_printf ("/groups/%s/invitations?limit=5&cursor=%s", group, cursor);
      g_autoptr(ThResponse) p = th_request (ts, "GET", next, admin, NULL);
      g_assert_cmpuint (p->status, ==, 200);
      total += th_json_len (p, "items");
      g_free (cursor);
      cursor = g_strdup (th_json_str (p, "next_cursor"));
    }
  g_assert_cmpuint (total, ==, 12);
}

static void
test_invite_page (void)
{
  g_autofree char *admin = th_register_admin (ts, "i5-admin@example.org", "Club <i>x</i>", NULL);
  g_autofree char *group = create_group (ts, admin, "<b>Rowers & \"Friends\"</b>");
  g_autofree char *code = invite_code (ts, admin, group, "i5-page@example.org");
  g_autofree char *path = g_strdup_printf ("/invite/%s", code);

  g_autoptr(ThResponse) page = th_request (ts, "GET", path, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (page->headers, NULL), ==, "text/html");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Referrer-Policy"), ==, "no-referrer");
  g_autofree char *html = g_strndup (g_bytes_get_data (page->body, NULL), g_bytes_get_size (page->body));
  g_assert_nonnull (strstr (html, "&lt;b&gt;Rowers &amp; &quot;Friends&quot;&lt;/b&gt;"));
  g_assert_null (strstr (html, "<b>Rowers"));
  g_assert_nonnull (strstr (html, "Admin of Club &lt;i&gt;x&lt;/i&gt;"));
  g_assert_null (strstr (html, "<i>x</i>"));
  g_autofree char *big_code = g_strdup_printf (">%s<", code);
  g_assert_nonnull (strstr (html, big_code));
  g_autofree char *button = g_strdup_printf ("href=\"tandem://invite/%s\"", code);
  g_assert_nonnull (strstr (html, button));
  g_autofree char *qr = g_strdup_printf ("src=\"/invitations/%s/qr.png\"", code);
  g_assert_nonnull (strstr (html, qr));

  /* Lowercase works; unknown and withdrawn codes get a page too. */
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr(ThResponse) page_lower = th_request (ts, "GET", lower, NULL, NULL);
  g_assert_cmpuint (page_lower->status, ==, 200);
  g_autoptr(ThResponse) missing = th_request (ts, "GET", "/invite/ZZZZZZ", NULL, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (soup_message_headers_get_content_type (missing->headers, NULL), ==, "text/html");

  g_autofree char *list_path = g_strdup_printf ("/groups/%s/invitations", group);
  g_autoptr(ThResponse) list = th_request (ts, "GET", list_path, admin, NULL);
  g_autofree char *revoke = g_strdup_printf ("%s/%s", list_path, th_json_str (list, "items.0.id"));
  g_autoptr(ThResponse) del = th_request (ts, "DELETE", revoke, admin, NULL);
  g_assert_cmpuint (del->status, ==, 204);
  g_autoptr(ThResponse) gone = th_request (ts, "GET", path, NULL, NULL);
  g_assert_cmpuint (gone->status, ==, 410);
  g_assert_cmpstr (soup_message_headers_get_content_type (gone->headers, NULL), ==, "text/html");
}

static void
test_group_avatar_by_code (void)
{
  g_autofree char *admin = th_register_admin (ts, "i6-admin@example.org", "I6 Club", NULL);
  g_autofree char *group = create_group (ts, admin, "With picture");
  g_autofree char *code = invite_code (ts, admin, group, "i6-new@example.org");
  g_autofree char *avatar = g_strdup_printf ("/invitations/%s/avatar", code);

  g_autoptr(ThResponse) none = th_request (ts, "GET", avatar, NULL, NULL);
  g_assert_cmpuint (none->status, ==, 404);

  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  gdk_pixbuf_fill (pb, 0xff8800ff);
  gchar *buf = NULL;
  gsize len = 0;
  g_assert_true (gdk_pixbuf_save_to_buffer (pb, &buf, &len, "png", &error, NULL));
  g_autoptr(GBytes) png = g_bytes_new_take (buf, len);
  g_autofree char *put = g_strdup_printf ("/groups/%s/avatar", group);
  g_autoptr(ThResponse) up = th_request_bytes (ts, "PUT", put, admin, "image/png", png);
  g_assert_cmpuint (up->status, ==, 200);

  g_autoptr(ThResponse) view = public_view (ts, code);
  g_assert_cmpstr (th_json_str (view, "group.avatar_url"), ==, avatar);
  g_autoptr(ThResponse) got = th_request (ts, "GET", avatar, NULL, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (got->headers, NULL), ==, "image/png");
  g_autoptr(GdkPixbuf) back = decode_png (got->body);
  g_assert_cmpint (gdk_pixbuf_get_width (back), ==, 40);
  g_autofree char *page_path = g_strdup_printf ("/invite/%s", code);
  g_autoptr(ThResponse) page = th_request (ts, "GET", page_path, NULL, NULL);
  g_autofree char *html = g_strndup (g_bytes_get_data (page->body, NULL), g_bytes_get_size (page->body));
  g_assert_nonnull (strstr (html, avatar));
}

/* ---- tests on servers of their own ---- */

static void
short_ttl (SdConfig *config,
           gpointer  data)
{
  config->invitation_ttl_s = 1;
}

static void
test_expired (void)
{
  ThServer *server = th_server_start_full (short_ttl, NULL);
  g_autofree char *admin = th_register_admin (server, "i7-admin@example.org", "I7 Club", NULL);
  g_autofree char *student = NULL;
  {
    g_autoptr(ThResponse) add = th_request (server, "POST", "/users", admin,
      "{\"email\":\"i7-student@example.org\",\"password\":\"" TH_PASSWORD "\",\"name\":\"S\",\"role\":\"student\"}");
    g_assert_cmpuint (add->status, ==, 201);
    g_autoptr(ThResponse) login = th_request (server, "POST", "/auth/login", NULL,
      "{\"email\":\"i7-student@example.org\",\"password\":\"" TH_PASSWORD "\"}");
    student = g_strdup (th_json_str (login, "token"));
  }
  g_autofree char *group = create_group (server, admin, "Short-lived");
  g_autofree char *code = invite_code (server, admin, group, "i7-late@example.org");
  g_usleep (2200 * 1000);

  g_autoptr(ThResponse) view = public_view (server, code);
  g_assert_cmpuint (view->status, ==, 200);
  g_assert_cmpstr (th_json_str (view, "status"), ==, "expired");
  g_autoptr(ThResponse) acc = accept (server, student, code);
  g_assert_cmpuint (acc->status, ==, 410);
  g_assert_cmpstr (th_json_str (acc, "error.code"), ==, "invitation_expired");
  g_autoptr(ThResponse) reg = register_with_code (server, "i7-late@example.org", code);
  g_assert_cmpuint (reg->status, ==, 410);
  g_assert_cmpstr (th_json_str (reg, "error.code"), ==, "invitation_expired");
  g_autofree char *page_path = g_strdup_printf ("/invite/%s", code);
  g_autoptr(ThResponse) page = th_request (server, "GET", page_path, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 410);
  g_autofree char *list_path = g_strdup_printf ("/groups/%s/invitations", group);
  g_autoptr(ThResponse) list = th_request (server, "GET", list_path, admin, NULL);
  g_assert_cmpstr (th_json_str (list, "items.0.status"), ==, "expired");
  th_server_stop (server);
}

static void
test_rate_limit (void)
{
  ThServer *server = th_server_start ();
  g_autofree char *admin = th_register_admin (server, "i8-admin@example.org", "I8 Club", NULL);
  g_autofree char *group = create_group (server, admin, "Guarded");
  g_autofree char *code = invite_code (server, admin, group, "i8-new@example.org");

  /* Right codes do not count. */
  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(ThResponse) ok = public_view (server, code);
      g_assert_cmpuint (ok->status, ==, 200);
    }
  /* 20 wrong ones, through any of the code routes, then 429. */
  static const struct { const char *before, *after; } forms[] = {
    { "/invitations/", "" }, { "/invitations/", "/qr.png" }, { "/invite/", "" }, { "/invitations/", "/avatar" },
  };
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *wrong = g_strdup_printf ("W%05u", i);
      guint f = i % G_N_ELEMENTS (forms);
      g_autofree char *path = g_strconcat (forms[f].before, wrong, forms[f].after, NULL);
      g_autoptr(ThResponse) r = th_request (server, "GET", path, NULL, NULL);
      if (r->status != 404)
        g_error ("wrong code %u via %s: %u, not 404", i + 1, path, r->status);
    }
  g_autoptr(ThResponse) limited = public_view (server, "ZZZZZZ");
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (th_json_str (limited, "error.code"), ==, "rate_limited");
  const char *retry = soup_message_headers_get_one (limited->headers, "Retry-After");
  g_assert_nonnull (retry);
  g_assert_cmpint (atoi (retry), >, 0);
  /* While blocked, right codes are refused as well. */
  g_autoptr(ThResponse) right = public_view (server, code);
  g_assert_cmpuint (right->status, ==, 429);
  g_autoptr(ThResponse) reg = register_with_code (server, "i8-new@example.org", code);
  g_assert_cmpuint (reg->status, ==, 429);
  th_server_stop (server);
}

static void
use_smtp (SdConfig *config,
          gpointer  data)
{
  g_free (config->smtp_url);
  config->smtp_url = th_smtp_get_url (data);
}

static void
test_smtp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ThSmtp) smtp = th_smtp_start (&error);
  g_assert_no_error (error);
  ThServer *server = th_server_start_full (use_smtp, smtp);
  g_autofree char *admin = th_register_admin (server, "i9-admin@example.org", "I9 Club", NULL);
  g_autofree char *group = create_group (server, admin, "Über-Rowers");
  g_autoptr(ThResponse) inv = invite (server, admin, group, "i9-invitee@example.org");
  g_assert_cmpuint (inv->status, ==, 201);
  const char *code = th_json_str (inv, "code");

  g_assert_true (th_smtp_wait (smtp, 1, 15000));
  ThSmtpMessage *msg = NULL;
  for (guint i = 0; i < th_smtp_count (smtp) && msg == NULL; i++)
    {
      ThSmtpMessage *m = th_smtp_get (smtp, i);
      if (m->rcpt != NULL && g_strv_contains ((const char * const *) m->rcpt, "i9-invitee@example.org"))
        msg = m;
    }
  g_assert_nonnull (msg);
  g_assert_cmpuint (g_strv_length (msg->rcpt), ==, 1);
  g_autofree char *to = th_mail_get_header (msg->data, "To");
  g_assert_nonnull (strstr (to, "i9-invitee@example.org"));
  g_autofree char *subject = th_mail_get_header (msg->data, "Subject");
  g_assert_nonnull (strstr (subject, "Über-Rowers"));
  g_autofree char *text = th_mail_get_text (msg->data, "text/plain");
  g_assert_nonnull (strstr (text, code));
  g_assert_nonnull (strstr (text, th_json_str (inv, "url")));
  th_server_stop (server);
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start ();
  g_test_add_func ("/Api/invitations/whole-flow", test_whole_flow);
  g_test_add_func ("/Api/invitations/revoke", test_revoke);
  g_test_add_func ("/Api/invitations/accept-existing-users", test_accept_existing_users);
  g_test_add_func ("/Api/invitations/codes", test_codes);
  g_test_add_func ("/Api/invitations/invite-page", test_invite_page);
  g_test_add_func ("/Api/invitations/group-avatar-by-code", test_group_avatar_by_code);
  g_test_add_func ("/Api/invitations/expired", test_expired);
  g_test_add_func ("/Api/invitations/rate-limit", test_rate_limit);
  g_test_add_func ("/Api/invitations/smtp", test_smtp);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
