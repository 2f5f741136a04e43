/* test-api-reviews.c — reviews of videos and finalizing assets over HTTP
 * against a real signald: threads and their order, pagination, editing and
 * deleting, drawing and range validation, the permission matrix (admin,
 * group owner, expert member, expert outside the group, student owner,
 * another student of the group, another organization), the finalize
 * transitions and the owner's e-mail in their language.  Runs on SQLite and
 * PostgreSQL.
 *
 * Assets are made through POST /assets and completed through the API; only
 * the media worker's step — a video becoming `ready` with its duration — is
 * written straight into the store (seed_asset): probing is tested on its
 * own, and here we need chosen (or unknown) durations without uploading. */
#include "th-server.h"
#include "th-smtp.h"

#include "store/sd-db.h"

#include <string.h>

static ThServer *ts;

/* ---- people ---- */

typedef struct {
  char *org_id;
  char *admin, *admin_id;
  char *coach, *coach_id;        /* expert, owner of the group */
  char *expert, *expert_id;      /* expert, member of the group */
  char *outsider, *outsider_id;  /* expert, not in the group */
  char *student, *student_id;    /* owns the assets */
  char *mate, *mate_id;          /* student in the same group */
  char *group_id;
  char *other_admin;             /* admin of another organization */
} Club;

static void
club_free (Club *c)
{
  g_free (c->org_id);
  g_free (c->admin); g_free (c->admin_id);
  g_free (c->coach); g_free (c->coach_id);
  g_free (c->expert); g_free (c->expert_id);
  g_free (c->outsider); g_free (c->outsider_id);
  g_free (c->student); g_free (c->student_id);
  g_free (c->mate); g_free (c->mate_id);
  g_free (c->group_id);
  g_free (c->other_admin);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Club, club_free)

static void
set_name (const char *token,
          const char *name)
{
  g_autoptr(ThResponse) r = th_requestf (ts, "PATCH", "/auth/me", token, "{\"name\":\"%s\"}", name);
  g_assert_cmpuint (r->status, ==, 200);
}

/* A club named @tag: its people, and a group owned by the coach with the
 * expert, the student and the mate as members. */
static Club *
club_new (const char *tag)
{
  Club *c = g_new0 (Club, 1);
  g_autofree char *admin_mail = g_strdup_printf ("%s-admin@example.org", tag);
  g_autofree char *org = g_strdup_printf ("%s Club", tag);
  c->admin = th_register_admin (ts, admin_mail, org, &c->admin_id);
  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", c->admin, NULL);
  c->org_id = g_strdup (th_json_str (me, "organization_id"));
  g_assert_nonnull (c->org_id);

#define ADD(field, role, who) G_STMT_START {                                   \
    g_autofree char *mail_ = g_strdup_printf ("%s-%s@example.org", tag, who);   \
    c->field = th_add_user (ts, c->admin, mail_, role, &c->field##_id);         \
  } G_STMT_END
  ADD (coach, "expert", "coach");
  ADD (expert, "expert", "expert");
  ADD (outsider, "expert", "outsider");
  ADD (student, "student", "student");
  ADD (mate, "student", "mate");
#undef ADD
  set_name (c->coach, "Carla Coach");
  set_name (c->expert, "Erik Expert");
  set_name (c->student, "Sam Student");

  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", c->coach, "{\"name\":\"Rowing\"}");
  g_assert_cmpuint (g->status, ==, 201);
  c->group_id = g_strdup (th_json_str (g, "id"));
  const char *who[] = { "expert", "student", "mate" };
  const char *tokens[] = { c->expert, c->student, c->mate };
  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autofree char *mail = g_strdup_printf ("%s-%s@example.org", tag, who[i]);
      th_join_group (ts, c->coach, c->group_id, mail, tokens[i]);
    }

  g_autofree char *other_mail = g_strdup_printf ("%s-other@example.org", tag);
  g_autofree char *other_org = g_strdup_printf ("%s Rivals", tag);
  c->other_admin = th_register_admin (ts, other_mail, other_org, NULL);
  return c;
}

/* ---- the store ---- */

static void
store_exec (const char *org_id,
            const char *sql,
            const char *fmt,
            ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (ts->server), &error);
  g_assert_no_error (error);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org_id, &error));
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = sd_db_query_va (conn, &error, sql, fmt, args);
  va_end (args);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

/* An asset of the club's student with one video, made through POST /assets.
 * With @duration_ms >= 0 the video is then marked `ready` with that duration
 * through the store — the media worker's job, tested on its own — and, for
 * @status "pending", the student completes the asset (POST …/complete).
 * With @duration_ms < 0 the video stays `waiting_upload` (duration
 * unknown) and so must the asset.  Returns the asset id and sets
 * *@video_id. */
static char *
seed_asset (const Club *c,
            const char *name,
            const char *status,
            gint64      duration_ms,
            char      **video_id)
{
  g_autoptr(JsonNode) name_node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (name_node, name);
  g_autofree char *name_json = json_to_string (name_node, FALSE);
  g_autoptr(ThResponse) made = th_requestf (ts, "POST", "/assets", c->student,
    "{\"name\":%s,\"description\":\"\",\"group_id\":\"%s\","
    " \"files\":[{\"filename\":\"clip.webm\",\"size\":1000}]}", name_json, c->group_id);
  if (made->status != 201)
    g_error ("POST /assets: %u %s", made->status, th_json_str (made, "error.message"));
  char *asset_id = g_strdup (th_json_str (made, "asset.id"));
  *video_id = g_strdup (th_json_str (made, "videos.0.id"));
  g_assert_cmpstr (th_json_str (made, "asset.status"), ==, "waiting_upload");

  if (duration_ms < 0)
    {
      g_assert_cmpstr (status, ==, "waiting_upload");
      return asset_id;
    }
  store_exec (c->org_id,
              "UPDATE videos SET status = 'ready', duration_ms = $3, width = 640, height = 360"
              " WHERE id = $1 AND org_id = $2",
              "ssi", *video_id, c->org_id, duration_ms);
  if (g_str_equal (status, "pending"))
    {
      g_autofree char *complete = g_strdup_printf ("/assets/%s/complete", asset_id);
      g_autoptr(ThResponse) done = th_request (ts, "POST", complete, c->student, NULL);
      g_assert_cmpuint (done->status, ==, 200);
      g_assert_cmpstr (th_json_str (done, "status"), ==, "pending");
    }
  return asset_id;
}

/* ---- requests ---- */

static char *
reviews_path (const char *asset_id,
              const char *video_id)
{
  return g_strdup_printf ("/assets/%s/videos/%s/reviews", asset_id, video_id);
}

static char *
review_path (const char *asset_id,
             const char *video_id,
             const char *review_id)
{
  return g_strdup_printf ("/assets/%s/videos/%s/reviews/%s", asset_id, video_id, review_id);
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

/* POSTs @body as a review and returns the new id (201 expected). */
static char *
add_review (const char *path,
            const char *token,
            const char *body)
{
  g_autoptr(ThResponse) r = th_request (ts, "POST", path, token, body);
  if (r->status != 201)
    g_error ("POST %s %s: %u %s", path, body, r->status, th_json_str (r, "error.message"));
  return g_strdup (th_json_str (r, "id"));
}

static char *
item_path (guint       i,
           const char *rest)
{
  return g_strdup_printf ("items.%u.%s", i, rest);
}

/* ---- tests ---- */

static void
test_threads_and_order (void)
{
  g_autoptr(Club) c = club_new ("rv1");
  g_autofree char *video = NULL;
  g_autofree char *asset = seed_asset (c, "Sculling start", "pending", 60000, &video);
  g_autofree char *path = reviews_path (asset, video);

  /* A review with a range and a drawing; the reply carries the author. */
  g_autoptr(ThResponse) first = th_request (ts, "POST", path, c->expert,
    "{\"at_ms\":30000,\"end_ms\":32500,\"text\":\"  Catch is late here \","
    " \"drawing\":{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0.2,0.8],\"to\":[0.5,0.5],\"color\":\"#FF0000\"},"
    "                          {\"kind\":\"circle\",\"from\":[0.4,0.4],\"to\":[0.6,0.6],\"width\":0.01}]}}");
  g_assert_cmpuint (first->status, ==, 201);
  const char *first_id = th_json_str (first, "id");
  g_assert_true (g_uuid_string_is_valid (first_id));
  g_assert_cmpstr (th_json_str (first, "asset_id"), ==, asset);
  g_assert_cmpstr (th_json_str (first, "video_id"), ==, video);
  g_assert_cmpstr (th_json_str (first, "author.id"), ==, c->expert_id);
  g_assert_cmpstr (th_json_str (first, "author.name"), ==, "Erik Expert");
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (first, "parent_id")));
  g_assert_cmpint (th_json_int (first, "at_ms"), ==, 30000);
  g_assert_cmpint (th_json_int (first, "end_ms"), ==, 32500);
  g_assert_cmpstr (th_json_str (first, "text"), ==, "Catch is late here");
  g_assert_cmpstr (th_json_str (first, "drawing.shapes.0.kind"), ==, "arrow");
  g_assert_cmpstr (th_json_str (first, "drawing.shapes.0.color"), ==, "#ff0000");
  g_assert_cmpuint (th_json_len (first, "drawing.shapes.0.from"), ==, 2);
  g_assert_cmpstr (th_json_str (first, "drawing.shapes.1.kind"), ==, "circle");
  g_assert_nonnull (th_json_str (first, "created_at"));
  g_assert_nonnull (th_json_str (first, "updated_at"));

  /* Earlier in the video, added later; and one at the very start without
   * a range or drawing. */
  g_autofree char *early = add_review (path, c->coach, "{\"at_ms\":12000,\"text\":\"Good posture\"}");
  g_autofree char *start = add_review (path, c->admin, "{\"at_ms\":0,\"text\":\"Warm-up\"}");

  /* Replies: the owner answers the first review; the expert answers the
   * answer, which joins the same thread; at_ms defaults to the root's. */
  g_autofree char *reply_body = g_strdup_printf ("{\"text\":\"Should I row slower?\",\"parent_id\":\"%s\"}", first_id);
  g_autoptr(ThResponse) reply = th_request (ts, "POST", path, c->student, reply_body);
  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_cmpstr (th_json_str (reply, "parent_id"), ==, first_id);
  g_assert_cmpint (th_json_int (reply, "at_ms"), ==, 30000);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (reply, "drawing")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (reply, "end_ms")));
  g_autofree char *answer_body = g_strdup_printf ("{\"text\":\"No, earlier\",\"at_ms\":31000,\"parent_id\":\"%s\"}",
                                                  th_json_str (reply, "id"));
  g_autoptr(ThResponse) answer = th_request (ts, "POST", path, c->expert, answer_body);
  g_assert_cmpuint (answer->status, ==, 201);
  g_assert_cmpstr (th_json_str (answer, "parent_id"), ==, first_id);
  g_assert_cmpint (th_json_int (answer, "at_ms"), ==, 31000);

  /* The list: threads by at_ms, replies inside by creation. */
  g_autoptr(ThResponse) list = th_request (ts, "GET", path, c->student, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (th_json_len (list, "items"), ==, 3);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (list, "next_cursor")));
  g_assert_cmpstr (th_json_str (list, "items.0.id"), ==, start);
  g_assert_cmpstr (th_json_str (list, "items.1.id"), ==, early);
  g_assert_cmpstr (th_json_str (list, "items.2.id"), ==, first_id);
  g_assert_cmpuint (th_json_len (list, "items.0.replies"), ==, 0);
  g_assert_cmpuint (th_json_len (list, "items.2.replies"), ==, 2);
  g_assert_cmpstr (th_json_str (list, "items.2.replies.0.id"), ==, th_json_str (reply, "id"));
  g_assert_cmpstr (th_json_str (list, "items.2.replies.0.author.name"), ==, "Sam Student");
  g_assert_cmpstr (th_json_str (list, "items.2.replies.1.id"), ==, th_json_str (answer, "id"));
  g_assert_cmpstr (th_json_str (list, "items.2.drawing.shapes.1.kind"), ==, "circle");

  /* Same at_ms: ordered by created_at, then id. */
  g_autofree char *twin_a = add_review (path, c->coach, "{\"at_ms\":12000,\"text\":\"Twin A\"}");
  g_autofree char *twin_b = add_review (path, c->coach, "{\"at_ms\":12000,\"text\":\"Twin B\"}");
  g_autoptr(ThResponse) all = th_request (ts, "GET", path, c->coach, NULL);
  g_assert_cmpuint (th_json_len (all, "items"), ==, 5);
  for (guint i = 1; i + 1 < 5; i++)
    {
      g_autofree char *at_a = item_path (i, "at_ms"), *at_b = item_path (i + 1, "at_ms");
      g_autofree char *t_a = item_path (i, "created_at"), *t_b = item_path (i + 1, "created_at");
      g_autofree char *id_a = item_path (i, "id"), *id_b = item_path (i + 1, "id");
      gint64 a = th_json_int (all, at_a), b = th_json_int (all, at_b);
      g_assert_cmpint (a, <=, b);
      if (a == b)
        {
          int by_time = strcmp (th_json_str (all, t_a), th_json_str (all, t_b));
          g_assert_true (by_time < 0 || (by_time == 0 && strcmp (th_json_str (all, id_a), th_json_str (all, id_b)) < 0));
        }
    }

  /* Pages of two threads; replies come with their thread. */
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  guint pages = 0, replies = 0;
  do
    {
      g_autofree char *page_path = cursor != NULL ? g_strdup_printf ("%s?limit=2&cursor=%s", path, cursor)
                                                  : g_strdup_printf ("%s?limit=2", path);
      g_autoptr(ThResponse) page = th_request (ts, "GET", page_path, c->expert, NULL);
      g_assert_cmpuint (page->status, ==, 200);
      g_assert_cmpuint (th_json_len (page, "items"), <=, 2);
      for (guint i = 0; i < th_json_len (page, "items"); i++)
        {
          g_autofree char *id = item_path (i, "id"), *r = item_path (i, "replies");
          g_ptr_array_add (seen, g_strdup (th_json_str (page, id)));
          replies += th_json_len (page, r);
        }
      g_free (cursor);
      cursor = g_strdup (th_json_str (page, "next_cursor"));
      pages++;
    }
  while (cursor != NULL && pages < 10);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen->len, ==, 5);
  g_assert_cmpuint (replies, ==, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = item_path (i, "id");
      g_assert_cmpstr (seen->pdata[i], ==, th_json_str (all, id));
    }
  g_autofree char *bad_cursor = g_strdup_printf ("%s?cursor=nonsense", path);
  g_assert_cmpuint (status_of ("GET", bad_cursor, c->expert, NULL), ==, 400);
  (void) twin_a;
  (void) twin_b;
}

static void
test_edit_and_delete (void)
{
  g_autoptr(Club) c = club_new ("rv2");
  g_autofree char *video = NULL;
  g_autofree char *asset = seed_asset (c, "Sprint", "pending", 20000, &video);
  g_autofree char *path = reviews_path (asset, video);

  g_autofree char *mine = add_review (path, c->expert,
    "{\"at_ms\":1000,\"end_ms\":2000,\"text\":\"Hands\","
    " \"drawing\":{\"shapes\":[{\"kind\":\"text\",\"at\":[0.1,0.1],\"text\":\"here\"}]}}");
  g_autofree char *mine_path = review_path (asset, video, mine);

  /* Only the given members change; null removes range and drawing. */
  g_autoptr(ThResponse) text = th_request (ts, "PATCH", mine_path, c->expert, "{\"text\":\"Hands higher\"}");
  g_assert_cmpuint (text->status, ==, 200);
  g_assert_cmpstr (th_json_str (text, "text"), ==, "Hands higher");
  g_assert_cmpint (th_json_int (text, "at_ms"), ==, 1000);
  g_assert_cmpint (th_json_int (text, "end_ms"), ==, 2000);
  g_assert_cmpstr (th_json_str (text, "drawing.shapes.0.text"), ==, "here");
  g_autoptr(ThResponse) moved = th_request (ts, "PATCH", mine_path, c->expert,
                                            "{\"at_ms\":5000,\"end_ms\":null,\"drawing\":null}");
  g_assert_cmpuint (moved->status, ==, 200);
  g_assert_cmpint (th_json_int (moved, "at_ms"), ==, 5000);
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (moved, "end_ms")));
  g_assert_true (JSON_NODE_HOLDS_NULL (th_json_at (moved, "drawing")));
  g_assert_cmpstr (th_json_str (moved, "text"), ==, "Hands higher");
  g_autoptr(ThResponse) drawn = th_request (ts, "PATCH", mine_path, c->expert,
    "{\"drawing\":{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[0,0],[1,1]]}]},\"end_ms\":6000}");
  g_assert_cmpuint (drawn->status, ==, 200);
  g_assert_cmpstr (th_json_str (drawn, "drawing.shapes.0.kind"), ==, "stroke");
  g_assert_cmpint (th_json_int (drawn, "end_ms"), ==, 6000);

  /* Checked against the stored values: moving at_ms past end_ms fails. */
  g_autoptr(ThResponse) crossed = th_request (ts, "PATCH", mine_path, c->expert, "{\"at_ms\":7000}");
  g_assert_cmpuint (crossed->status, ==, 422);
  g_assert_cmpuint (status_of ("PATCH", mine_path, c->expert, "{\"at_ms\":20001,\"end_ms\":null}"), ==, 422);
  g_assert_cmpuint (status_of ("PATCH", mine_path, c->expert, "{}"), ==, 422);
  g_assert_cmpuint (status_of ("PATCH", mine_path, c->expert, "{\"text\":\"  \"}"), ==, 422);
  g_assert_cmpuint (status_of ("PATCH", mine_path, c->expert,
                               "{\"drawing\":{\"shapes\":[{\"kind\":\"blob\"}]}}"), ==, 400);

  /* Nobody else edits it, not even admins or the asset's owner. */
  const char *others[] = { c->admin, c->coach, c->student };
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "PATCH", mine_path, others[i], "{\"text\":\"mine now\"}");
      g_assert_cmpuint (r->status, ==, 403);
      g_assert_cmpstr (th_json_str (r, "error.code"), ==, "forbidden");
    }

  /* A thread with replies; deleting the root deletes them. */
  g_autofree char *reply_body = g_strdup_printf ("{\"text\":\"Thanks\",\"parent_id\":\"%s\"}", mine);
  g_autofree char *reply = add_review (path, c->student, reply_body);
  g_autofree char *reply2 = add_review (path, c->coach, reply_body);
  g_autofree char *reply_path = review_path (asset, video, reply);
  g_autofree char *reply2_path = review_path (asset, video, reply2);
  g_autofree char *other = add_review (path, c->coach, "{\"at_ms\":100,\"text\":\"Keep\"}");

  /* Deleting: the author or an admin; the owner and the group owner may not
   * delete the expert's review. */
  g_assert_cmpuint (status_of ("DELETE", mine_path, c->student, NULL), ==, 403);
  g_assert_cmpuint (status_of ("DELETE", mine_path, c->coach, NULL), ==, 403);
  g_assert_cmpuint (status_of ("DELETE", reply_path, c->expert, NULL), ==, 403);
  /* A reply alone. */
  g_assert_cmpuint (status_of ("DELETE", reply2_path, c->coach, NULL), ==, 204);
  g_assert_cmpuint (status_of ("DELETE", reply2_path, c->coach, NULL), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", mine_path, c->expert, NULL), ==, 204);
  g_assert_cmpuint (status_of ("PATCH", reply_path, c->student, "{\"text\":\"x\"}"), ==, 404);
  g_autoptr(ThResponse) left = th_request (ts, "GET", path, c->expert, NULL);
  g_assert_cmpuint (th_json_len (left, "items"), ==, 1);
  g_assert_cmpstr (th_json_str (left, "items.0.id"), ==, other);
  g_assert_cmpuint (th_json_len (left, "items.0.replies"), ==, 0);

  /* Admins delete anybody's. */
  g_autofree char *other_path = review_path (asset, video, other);
  g_assert_cmpuint (status_of ("DELETE", other_path, c->admin, NULL), ==, 204);
  g_autoptr(ThResponse) none = th_request (ts, "GET", path, c->expert, NULL);
  g_assert_cmpuint (th_json_len (none, "items"), ==, 0);

  /* Deleting the asset takes its reviews along. */
  g_autofree char *kept = add_review (path, c->coach, "{\"at_ms\":100,\"text\":\"Going soon\"}");
  g_autofree char *asset_path = g_strdup_printf ("/assets/%s", asset);
  g_assert_cmpuint (status_of ("DELETE", asset_path, c->student, NULL), ==, 204);
  g_assert_cmpuint (status_of ("GET", path, c->coach, NULL), ==, 404);
  g_autofree char *kept_path = review_path (asset, video, kept);
  g_assert_cmpuint (status_of ("PATCH", kept_path, c->coach, "{\"text\":\"x\"}"), ==, 404);
}

static void
test_validation (void)
{
  g_autoptr(Club) c = club_new ("rv3");
  g_autofree char *video = NULL, *video2 = NULL, *raw_video = NULL;
  g_autofree char *asset = seed_asset (c, "Turn", "pending", 10000, &video);
  g_autofree char *asset2 = seed_asset (c, "Other", "pending", 10000, &video2);
  g_autofree char *raw = seed_asset (c, "Not probed yet", "waiting_upload", -1, &raw_video);
  g_autofree char *path = reviews_path (asset, video);

  /* Drawings: 400 naming the offending member. */
  struct { const char *drawing; const char *where; } drawings[] = {
    { "[]", "drawing:" },
    { "{\"shapes\":[{\"kind\":\"hexagon\"}]}", "drawing.shapes[0].kind" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1]},{\"kind\":\"stroke\",\"points\":[[0,0],[0.5,0.5],[0.5,2]]}]}",
      "drawing.shapes[1].points[2]" },
    { "{\"shapes\":[{\"kind\":\"text\",\"at\":[0,0],\"text\":\"x\",\"font\":\"Comic\"}]}", "drawing.shapes[0].font" },
    { "{\"shapes\":[{\"kind\":\"rect\",\"from\":[0,0],\"to\":[1,1],\"color\":\"blue\"}]}", "drawing.shapes[0].color" },
    { "{\"shapes\":[],\"layers\":1}", "drawing.layers" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (drawings); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"at_ms\":1,\"text\":\"x\",\"drawing\":%s}", drawings[i].drawing);
      g_autoptr(ThResponse) r = th_request (ts, "POST", path, c->expert, body);
      g_assert_cmpuint (r->status, ==, 400);
      g_assert_cmpstr (th_json_str (r, "error.code"), ==, "invalid_request");
      if (strstr (th_json_str (r, "error.message"), drawings[i].where) == NULL)
        g_error ("%s: the message “%s” does not name %s", drawings[i].drawing,
                 th_json_str (r, "error.message"), drawings[i].where);
    }

  /* Positions: within the duration (inclusive), end not before start. */
  g_autoptr(ThResponse) past = th_request (ts, "POST", path, c->expert, "{\"at_ms\":10001,\"text\":\"x\"}");
  g_assert_cmpuint (past->status, ==, 422);
  g_assert_cmpstr (th_json_str (past, "error.code"), ==, "validation_failed");
  g_assert_nonnull (strstr (th_json_str (past, "error.message"), "at_ms"));
  g_autoptr(ThResponse) end_past = th_request (ts, "POST", path, c->expert,
                                               "{\"at_ms\":9000,\"end_ms\":10500,\"text\":\"x\"}");
  g_assert_cmpuint (end_past->status, ==, 422);
  g_assert_nonnull (strstr (th_json_str (end_past, "error.message"), "end_ms"));
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":10000,\"end_ms\":10000,\"text\":\"last frame\"}"), ==, 201);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":5000,\"end_ms\":4999,\"text\":\"x\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":-1,\"text\":\"x\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":\"1\",\"text\":\"x\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"text\":\"no position\"}"), ==, 422);
  /* Text: required, not blank, no control characters except line breaks. */
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":1}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":1,\"text\":\" \\n \"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":1,\"text\":\"a\\u0000b\"}"), ==, 400);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":1,\"text\":\"bell\\u0007\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"at_ms\":1,\"text\":\"two\\nlines\\tok\"}"), ==, 201);

  /* Unknown duration (video not probed yet): only the order is checked. */
  g_autofree char *raw_path = reviews_path (raw, raw_video);
  g_assert_cmpuint (status_of ("POST", raw_path, c->expert, "{\"at_ms\":99999999,\"text\":\"early bird\"}"), ==, 201);
  g_assert_cmpuint (status_of ("POST", raw_path, c->expert, "{\"at_ms\":5,\"end_ms\":4,\"text\":\"x\"}"), ==, 422);

  /* Parents: on the same video only. */
  g_autofree char *path2 = reviews_path (asset2, video2);
  g_autofree char *elsewhere = add_review (path2, c->expert, "{\"at_ms\":1,\"text\":\"other video\"}");
  g_autofree char *foreign_parent = g_strdup_printf ("{\"text\":\"x\",\"parent_id\":\"%s\"}", elsewhere);
  g_assert_cmpuint (status_of ("POST", path, c->expert, foreign_parent), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert,
                               "{\"text\":\"x\",\"parent_id\":\"00000000-0000-4000-8000-000000000000\"}"), ==, 422);
  g_assert_cmpuint (status_of ("POST", path, c->expert, "{\"text\":\"x\",\"parent_id\":\"not-a-uuid-but-36-characters-long!!\"}"), ==, 422);
  /* ... and the review being edited must belong to the path's video. */
  g_autofree char *cross = review_path (asset, video, elsewhere);
  g_assert_cmpuint (status_of ("PATCH", cross, c->expert, "{\"text\":\"moved\"}"), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", cross, c->expert, NULL), ==, 404);

  /* Videos must belong to the path's asset. */
  g_autofree char *mixed = reviews_path (asset, video2);
  g_assert_cmpuint (status_of ("GET", mixed, c->expert, NULL), ==, 404);
  g_assert_cmpuint (status_of ("POST", mixed, c->expert, "{\"at_ms\":1,\"text\":\"x\"}"), ==, 404);
  g_autofree char *nowhere = reviews_path ("00000000-0000-4000-8000-000000000000", video);
  g_assert_cmpuint (status_of ("GET", nowhere, c->expert, NULL), ==, 404);
  g_assert_cmpuint (status_of ("GET", path, NULL, NULL), ==, 401);
}

/* Expected statuses of one action for each person of the matrix. */
typedef struct {
  guint admin, coach, expert, outsider, student, mate, other_org;
} Row;

static void
check_row (const Club *c,
           const char *what,
           const Row  *want,
           guint     (*act) (const char *token, gpointer data),
           gpointer    data)
{
  struct { const char *who; const char *token; guint want; } people[] = {
    { "admin", c->admin, want->admin },
    { "group owner", c->coach, want->coach },
    { "expert member", c->expert, want->expert },
    { "expert outside the group", c->outsider, want->outsider },
    { "student owner", c->student, want->student },
    { "other student of the group", c->mate, want->mate },
    { "other organization", c->other_admin, want->other_org },
  };
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      guint got = act (people[i].token, data);
      if (got != people[i].want)
        g_error ("%s by the %s: expected %u, got %u", what, people[i].who, people[i].want, got);
    }
}

typedef struct {
  const Club *club;
  const char *asset, *video, *path;
  const char *target;   /* a review to reply to, edit or delete */
} Ctx;

static guint
act_read (const char *token, gpointer data)
{
  Ctx *x = data;
  return status_of ("GET", x->path, token, NULL);
}

static guint
act_add (const char *token, gpointer data)
{
  Ctx *x = data;
  return status_of ("POST", x->path, token, "{\"at_ms\":100,\"text\":\"A remark\"}");
}

static guint
act_reply (const char *token, gpointer data)
{
  Ctx *x = data;
  g_autofree char *body = g_strdup_printf ("{\"text\":\"A reply\",\"parent_id\":\"%s\"}", x->target);
  return status_of ("POST", x->path, token, body);
}

static guint
act_edit (const char *token, gpointer data)
{
  Ctx *x = data;
  g_autofree char *p = review_path (x->asset, x->video, x->target);
  return status_of ("PATCH", p, token, "{\"text\":\"Edited\"}");
}

/* Deletes a fresh review of the expert each time. */
static guint
act_delete (const char *token, gpointer data)
{
  Ctx *x = data;
  g_autofree char *id = add_review (x->path, x->club->expert, "{\"at_ms\":200,\"text\":\"To delete\"}");
  g_autofree char *p = review_path (x->asset, x->video, id);
  return status_of ("DELETE", p, token, NULL);
}

static guint
act_delete_own (const char *token, gpointer data)
{
  Ctx *x = data;
  g_autoptr(ThResponse) r = th_request (ts, "POST", x->path, token, "{\"at_ms\":300,\"text\":\"Mine\"}");
  if (r->status != 201)
    return r->status;
  g_autofree char *p = review_path (x->asset, x->video, th_json_str (r, "id"));
  return status_of ("DELETE", p, token, NULL);
}

/* Finalizes a fresh pending asset each time. */
static guint
act_finalize (const char *token, gpointer data)
{
  Ctx *x = data;
  g_autofree char *video = NULL;
  g_autofree char *asset = seed_asset (x->club, "Matrix", "pending", 1000, &video);
  g_autofree char *p = g_strdup_printf ("/assets/%s/finalize", asset);
  return status_of ("POST", p, token, NULL);
}

static void
test_permissions (void)
{
  g_autoptr(Club) c = club_new ("rv4");
  g_autofree char *video = NULL;
  g_autofree char *asset = seed_asset (c, "Matrix", "pending", 60000, &video);
  g_autofree char *path = reviews_path (asset, video);
  g_autofree char *target = add_review (path, c->expert, "{\"at_ms\":50,\"text\":\"The expert's\"}");
  Ctx x = { c, asset, video, path, target };

  /* Who sees the asset reads and writes its reviews; the others do not
   * learn that it exists. */
  check_row (c, "read", &(Row) { 200, 200, 200, 404, 200, 404, 404 }, act_read, &x);
  check_row (c, "add", &(Row) { 201, 201, 201, 404, 201, 404, 404 }, act_add, &x);
  check_row (c, "reply", &(Row) { 201, 201, 201, 404, 201, 404, 404 }, act_reply, &x);
  /* Editing is the author's alone; deleting the author's and admins'. */
  check_row (c, "edit the expert's review", &(Row) { 403, 403, 200, 404, 403, 404, 404 }, act_edit, &x);
  check_row (c, "delete the expert's review", &(Row) { 204, 403, 204, 404, 403, 404, 404 }, act_delete, &x);
  check_row (c, "delete one's own review", &(Row) { 204, 204, 204, 404, 204, 404, 404 }, act_delete_own, &x);
  /* Finalizing is for reviewers; the student owner is refused. */
  check_row (c, "finalize", &(Row) { 200, 200, 200, 404, 403, 404, 404 }, act_finalize, &x);

  /* Another organization cannot reach even a known review. */
  g_autofree char *p = review_path (asset, video, target);
  g_autoptr(ThResponse) r = th_request (ts, "DELETE", p, c->other_admin, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_assert_cmpstr (th_json_str (r, "error.code"), ==, "not_found");
}

/* The spooled finalize e-mails (those linking to an asset) to @to, waiting
 * up to 10 s for @count of them. */
static GPtrArray *
mails_to (const char *to,
          guint       count)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) files = th_spool_wait (ts, 1, 200);
      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *text = NULL;
          if (!g_file_get_contents (files->pdata[i], &text, NULL, NULL))
            continue;
          g_autofree char *header = th_mail_get_header (text, "To");
          g_autofree char *body = th_mail_get_text (text, "text/plain");
          if (header != NULL && strstr (header, to) != NULL &&
              body != NULL && strstr (body, "tandem://assets/") != NULL)
            g_ptr_array_add (found, g_steal_pointer (&text));
        }
      if (found->len >= count || g_get_monotonic_time () > deadline)
        return found;
      g_ptr_array_unref (found);
      g_usleep (50000);
    }
}

static void
test_finalize (void)
{
  g_autoptr(Club) c = club_new ("rv5");
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL;
  g_autofree char *waiting = seed_asset (c, "Not uploaded yet", "waiting_upload", -1, &v1);
  g_autofree char *pending = seed_asset (c, "Sculling “start”", "pending", 5000, &v2);
  g_autofree char *later = seed_asset (c, "Second try", "pending", 5000, &v3);
  g_autofree char *waiting_path = g_strdup_printf ("/assets/%s/finalize", waiting);
  g_autofree char *pending_path = g_strdup_printf ("/assets/%s/finalize", pending);
  g_autofree char *later_path = g_strdup_printf ("/assets/%s/finalize", later);

  /* waiting_upload -> 409 */
  g_autoptr(ThResponse) early = th_request (ts, "POST", waiting_path, c->expert, NULL);
  g_assert_cmpuint (early->status, ==, 409);
  g_assert_cmpstr (th_json_str (early, "error.code"), ==, "invalid_transition");

  /* pending -> completed, with who and when */
  g_autoptr(ThResponse) done = th_request (ts, "POST", pending_path, c->expert, NULL);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpstr (th_json_str (done, "id"), ==, pending);
  g_assert_cmpstr (th_json_str (done, "status"), ==, "completed");
  g_assert_cmpstr (th_json_str (done, "finalized_by"), ==, c->expert_id);
  g_assert_nonnull (th_json_str (done, "finalized_at"));
  g_assert_cmpstr (th_json_str (done, "videos.0.id"), ==, v2);
  g_autofree char *show_path = g_strdup_printf ("/assets/%s", pending);
  g_autoptr(ThResponse) shown = th_request (ts, "GET", show_path, c->student, NULL);
  g_assert_cmpstr (th_json_str (shown, "status"), ==, "completed");
  g_assert_cmpstr (th_json_str (shown, "finalized_by"), ==, c->expert_id);

  /* completed -> 409, and nothing changes */
  g_autoptr(ThResponse) again = th_request (ts, "POST", pending_path, c->coach, NULL);
  g_assert_cmpuint (again->status, ==, 409);
  g_assert_cmpstr (th_json_str (again, "error.code"), ==, "invalid_transition");

  /* Reviews go on after finalizing. */
  g_autofree char *path = reviews_path (pending, v2);
  g_assert_cmpuint (status_of ("POST", path, c->student, "{\"at_ms\":10,\"text\":\"Thank you!\"}"), ==, 201);

  /* The owner's e-mail, in English: who, which video, links. */
  g_autoptr(GPtrArray) mails = mails_to ("rv5-student@example.org", 1);
  g_assert_cmpuint (mails->len, ==, 1);
  const char *mail = mails->pdata[0];
  g_autofree char *subject = th_mail_get_header (mail, "Subject");
  g_assert_cmpstr (subject, ==, "Your video “Sculling “start”” was reviewed");
  g_autofree char *body = th_mail_get_text (mail, "text/plain");
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "Hello Sam Student,"));
  g_assert_nonnull (strstr (body, "Erik Expert has reviewed your video “Sculling “start””"));
  g_autofree char *app_link = g_strdup_printf ("tandem://assets/%s", pending);
  g_autofree char *web_link = g_strdup_printf ("/assets/%s", pending);
  g_assert_nonnull (strstr (body, app_link));
  g_assert_nonnull (strstr (body, web_link));

  /* In German once the owner prefers it. */
  g_autoptr(ThResponse) lang = th_request (ts, "PATCH", "/auth/me", c->student, "{\"language\":\"de\"}");
  g_assert_cmpuint (lang->status, ==, 200);
  g_assert_cmpuint (status_of ("POST", later_path, c->coach, NULL), ==, 200);
  g_autoptr(GPtrArray) both = mails_to ("rv5-student@example.org", 2);
  g_assert_cmpuint (both->len, ==, 2);
  gboolean german = FALSE;
  for (guint i = 0; i < both->len; i++)
    {
      g_autofree char *s = th_mail_get_header (both->pdata[i], "Subject");
      if (g_strcmp0 (s, "Ihr Video „Second try“ wurde besprochen") == 0)
        {
          g_autofree char *text = th_mail_get_text (both->pdata[i], "text/plain");
          g_assert_nonnull (strstr (text, "Hallo Sam Student,"));
          g_assert_nonnull (strstr (text, "Carla Coach hat Ihr Video „Second try“ besprochen"));
          german = TRUE;
        }
    }
  g_assert_true (german);

  /* The refused attempts sent nothing. */
  g_usleep (300000);
  g_autoptr(GPtrArray) total = mails_to ("rv5-student@example.org", 2);
  g_assert_cmpuint (total->len, ==, 2);
}

int
main (int argc, char *argv[])
{
  th_init (&argc, &argv);
  ts = th_server_start ();
  g_test_add_func ("/Api/reviews/threads-and-order", test_threads_and_order);
  g_test_add_func ("/Api/reviews/edit-and-delete", test_edit_and_delete);
  g_test_add_func ("/Api/reviews/validation", test_validation);
  g_test_add_func ("/Api/reviews/permissions", test_permissions);
  g_test_add_func ("/Api/reviews/finalize", test_finalize);
  int rc = g_test_run ();
  th_server_stop (ts);
  return rc;
}
