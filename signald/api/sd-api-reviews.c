/* sd-api-reviews.c — time-stamped reviews of a video, with drawings and
 * one level of replies.
 *
 *   POST   /assets/{id}/videos/{video_id}/reviews               add a review or a reply
 *   GET    /assets/{id}/videos/{video_id}/reviews               threads, by time in the video
 *   PATCH  /assets/{id}/videos/{video_id}/reviews/{review_id}   change one's own
 *   DELETE /assets/{id}/videos/{video_id}/reviews/{review_id}   one's own, or any as admin
 *
 * Who: everybody who sees the asset (sd-api-media-common.h: its owner,
 * admins, the group's owner and expert members) reads and writes reviews and
 * replies — the student owner comments on and answers the reviews of their
 * asset; the others get 404.  Changing is for the author only, deleting
 * for the author and admins (403 for the others who see the asset).
 *
 * Threads: a review without parent_id starts a thread at at_ms (optionally
 * a range to end_ms) with an optional drawing (api/sd-drawing.h).  A reply
 * names any review of the same video as parent_id and is attached to that
 * review's thread root, so threads are one level deep: a reply to a reply
 * gets the root as its parent_id.  A reply's at_ms defaults to the root's.
 * Deleting a thread root deletes its replies.
 *
 * The list is a page of thread roots ordered by (at_ms, created_at, id), each
 * with all its replies in "replies" ordered by (created_at, id): what a
 * player needs for timeline markers and a comment pane in one call.  Review
 * ids are time-ordered (sd_api_ordered_id), so rows made in the same second
 * still come in the order they were made.
 *
 * at_ms and end_ms must lie within the video's duration once it is known
 * (the video was probed); before that only their order is checked. */
#define G_LOG_DOMAIN "sd-api-reviews"

#include "api/sd-api-media-common.h"
#include "api/sd-drawing.h"

#include <string.h>

/* Positions fit in 31 bits (24.8 days of video): the list cursor packs
 * at_ms and created_at into one integer (see page_key). */
#define MAX_POSITION_MS G_GINT64_CONSTANT (2147483647)
#define MAX_TEXT_CHARS 10000

#define REVIEW_COLUMNS \
  "r.id, r.asset_id, r.video_id, r.author_id, u.name AS author_name, r.parent_id, r.at_ms, r.end_ms," \
  " r.text, r.drawing, r.created_at, r.updated_at"
#define REVIEW_FROM " FROM reviews r JOIN users u ON u.id = r.author_id AND u.org_id = r.org_id"

static JsonObject *
review_json (SdDbRows *rows,
             guint     i)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", sd_db_rows_text (rows, i, "id"));
  json_object_set_string_member (o, "asset_id", sd_db_rows_text (rows, i, "asset_id"));
  json_object_set_string_member (o, "video_id", sd_db_rows_text (rows, i, "video_id"));
  JsonObject *author = json_object_new ();
  json_object_set_string_member (author, "id", sd_db_rows_text (rows, i, "author_id"));
  json_object_set_string_member (author, "name", sd_db_rows_text (rows, i, "author_name"));
  json_object_set_object_member (o, "author", author);
  sd_json_set_string_or_null (o, "parent_id", sd_db_rows_text (rows, i, "parent_id"));
  json_object_set_int_member (o, "at_ms", sd_db_rows_int (rows, i, "at_ms"));
  if (sd_db_rows_is_null (rows, i, "end_ms"))
    json_object_set_null_member (o, "end_ms");
  else
    json_object_set_int_member (o, "end_ms", sd_db_rows_int (rows, i, "end_ms"));
  json_object_set_string_member (o, "text", sd_db_rows_text (rows, i, "text"));
  JsonNode *drawing = sd_drawing_parse (sd_db_rows_text (rows, i, "drawing"));
  if (drawing != NULL)
    json_object_set_member (o, "drawing", drawing);
  else
    json_object_set_null_member (o, "drawing");
  sd_json_set_time (o, "created_at", sd_db_rows_int (rows, i, "created_at"));
  sd_json_set_time (o, "updated_at", sd_db_rows_int (rows, i, "updated_at"));
  return o;
}

/* ---- loading ---- */

/* The video @video_id of @asset_id; *@duration_ms is -1 while unknown. */
static gboolean
load_video (SdRequest   *req,
            const char  *asset_id,
            const char  *video_id,
            gint64      *duration_ms,
            GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT duration_ms FROM videos WHERE id = $1 AND asset_id = $2 AND org_id = $3",
    "sss", video_id, asset_id, req->auth.org_id);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "this asset has no such video");
      return FALSE;
    }
  *duration_ms = sd_db_rows_is_null (rows, 0, "duration_ms") ? -1 : sd_db_rows_int (rows, 0, "duration_ms");
  return TRUE;
}

/* The asset and video of the path, as the caller sees them. */
static gboolean
load_target (SdRequest         *req,
             SdApiAsset  *asset,
             gint64            *duration_ms,
             GError           **error)
{
  return sd_api_asset_load (req, sd_request_param (req, "id"), asset, error) &&
         load_video (req, asset->id, sd_request_param (req, "video_id"), duration_ms, error);
}

/* One review of the path's video, or NOT_FOUND. */
static SdDbRows *
load_review (SdRequest   *req,
             const char  *review_id,
             GError     **error)
{
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
    "SELECT " REVIEW_COLUMNS REVIEW_FROM " WHERE r.id = $1 AND r.video_id = $2 AND r.org_id = $3",
    "sss", review_id, sd_request_param (req, "video_id"), req->auth.org_id);
  if (rows == NULL)
    return NULL;
  if (sd_db_rows_n (rows) != 1)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "this video has no such review");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
reply_review (SdRequest   *req,
              guint        status,
              const char  *review_id,
              GError     **error)
{
  g_autoptr(SdDbRows) rows = load_review (req, review_id, error);
  if (rows == NULL || !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_json (req, status, review_json (rows, 0));
  return TRUE;
}

/* ---- checking input ---- */

/* The trimmed review text; line breaks and tabs are fine, other control
 * characters are not (the rule of asset descriptions). */
static char *
body_text (SdRequest  *req,
           GError    **error)
{
  g_autofree char *text = g_strstrip (g_strdup (sd_json_get_string (req->body, "text")));
  if (!sd_api_media_text_ok (text, TRUE))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "“text” may not contain control characters other than line breaks and tabs");
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* The body's "drawing" in canonical form: *@out NULL when absent or null
 * (*@present says which).  The field table leaves it out so that every
 * mistake, the wrong type included, is reported by sd-drawing.c with its
 * path. */
static gboolean
body_drawing (SdRequest  *req,
              gboolean   *present,
              char      **out,
              GError    **error)
{
  JsonNode *node = json_object_get_member (req->body, "drawing");
  *present = node != NULL;
  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  *out = sd_drawing_canonicalize (node, "drawing", error);
  return *out != NULL;
}

static gboolean
check_range (gint64       at_ms,
             gint64       end_ms,       /* -1: none */
             gint64       duration_ms,  /* -1: unknown */
             GError     **error)
{
  if (end_ms >= 0 && end_ms < at_ms)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "“end_ms” (%" G_GINT64_FORMAT ") is before “at_ms” (%" G_GINT64_FORMAT ")", end_ms, at_ms);
      return FALSE;
    }
  if (duration_ms >= 0 && MAX (at_ms, end_ms) > duration_ms)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "“%s” (%" G_GINT64_FORMAT ") is past the end of the video (%" G_GINT64_FORMAT " ms)",
                   end_ms > at_ms ? "end_ms" : "at_ms", MAX (at_ms, end_ms), duration_ms);
      return FALSE;
    }
  return TRUE;
}

/* Text form of a nullable integer for binding with 's' (NULL binds SQL
 * NULL; both backends store the text as an integer in integer columns). */
static char *
int_or_null (gint64 value)
{
  return value >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;
}

/* ---- POST ---- */

static const SdField create_fields[] = {
  { "at_ms", SD_FIELD_INT, SD_FIELD_OPTIONAL, 0, MAX_POSITION_MS },
  { "end_ms", SD_FIELD_INT, SD_FIELD_NULLABLE, 0, MAX_POSITION_MS },
  { "text", SD_FIELD_STRING, SD_FIELD_REQUIRED | SD_FIELD_TRIM, 1, MAX_TEXT_CHARS },
  { "parent_id", SD_FIELD_STRING, SD_FIELD_NULLABLE, 36, 36 },
  /* "drawing": see body_drawing() */
  { NULL }
};

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  const char *parent_id = sd_json_get_string (req->body, "parent_id");
  g_auto(SdApiAsset) asset = { 0 };
  g_autoptr(SdDbRows) parent = NULL;
  g_autofree char *id = sd_api_ordered_id ();
  g_autofree char *drawing = NULL;
  gint64 duration_ms, now = sd_request_now (req);
  gboolean has_drawing;

  g_autofree char *text = body_text (req, error);
  if (text == NULL || !body_drawing (req, &has_drawing, &drawing, error))
    return FALSE;
  if (parent_id != NULL && !sd_json_is_uuid (parent_id))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“parent_id” is not a review id");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !load_target (req, &asset, &duration_ms, error))
    return FALSE;

  /* A reply joins the thread of its parent: the parent's own parent when
   * the parent is a reply. */
  const char *root_id = NULL;
  gint64 at_ms = sd_json_get_int (req->body, "at_ms", -1);
  if (parent_id != NULL)
    {
      parent = sd_db_query (db, error,
        "SELECT COALESCE(p.parent_id, p.id) AS root_id, COALESCE(root.at_ms, p.at_ms) AS root_at_ms"
        "  FROM reviews p LEFT JOIN reviews root ON root.id = p.parent_id AND root.org_id = p.org_id"
        " WHERE p.id = $1 AND p.video_id = $2 AND p.org_id = $3",
        "sss", parent_id, sd_request_param (req, "video_id"), req->auth.org_id);
      if (parent == NULL)
        return FALSE;
      if (sd_db_rows_n (parent) != 1)
        {
          g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                               "“parent_id” is not a review of this video");
          return FALSE;
        }
      root_id = sd_db_rows_text (parent, 0, "root_id");
      if (at_ms < 0)
        at_ms = sd_db_rows_int (parent, 0, "root_at_ms");
    }
  else if (at_ms < 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "“at_ms” is required");
      return FALSE;
    }
  gint64 end_ms = sd_json_get_int (req->body, "end_ms", -1);
  if (!check_range (at_ms, end_ms, duration_ms, error))
    return FALSE;

  g_autofree char *end_text = int_or_null (end_ms);
  if (sd_db_exec (db, error,
                  "INSERT INTO reviews (id, org_id, asset_id, video_id, author_id, parent_id, at_ms, end_ms,"
                  "                     text, drawing, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
                  "ssssssisssi",
                  id, req->auth.org_id, asset.id, sd_request_param (req, "video_id"), req->auth.user_id,
                  root_id, at_ms, end_text, text, drawing, now) < 0)
    return FALSE;
  return reply_review (req, 201, id, error);
}

/* ---- GET ---- */

/* The list's keyset is (at_ms, created_at, id); SdPage carries one integer
 * and an id, so the integer packs at_ms (< 2^31) above created_at (unix
 * seconds, < 2^32 until 2106). */
static gint64
page_key (gint64 at_ms,
          gint64 created_at)
{
  return (at_ms << 32) | (created_at & G_GINT64_CONSTANT (0xffffffff));
}

static gboolean
handle_list (SdRequest  *req,
             GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  const char *video_id = sd_request_param (req, "video_id");
  g_auto(SdPage) page = { 0 };
  g_auto(SdApiAsset) asset = { 0 };
  g_autoptr(SdDbRows) roots = NULL;
  g_autoptr(SdDbRows) replies = NULL;
  gint64 duration_ms;

  if (!sd_page_parse (req, &page, error))
    return FALSE;
  /* No cursor: start before every real key. */
  gint64 after_at = page.after_time < 0 ? -1 : page.after_time >> 32;
  gint64 after_created = page.after_time < 0 ? -1 : page.after_time & G_GINT64_CONSTANT (0xffffffff);

  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !load_target (req, &asset, &duration_ms, error) ||
      (roots = sd_db_query (db, error,
                            "SELECT " REVIEW_COLUMNS REVIEW_FROM
                            " WHERE r.video_id = $1 AND r.org_id = $2 AND r.parent_id IS NULL"
                            "   AND (r.at_ms, r.created_at, r.id) > ($3, $4, $5)"
                            " ORDER BY r.at_ms, r.created_at, r.id LIMIT $6",
                            "ssiisi", video_id, req->auth.org_id, after_at, after_created,
                            page.after_id, page.limit + 1)) == NULL)
    return FALSE;

  guint n = MIN (sd_db_rows_n (roots), (guint) page.limit);
  if (n > 0)
    {
      /* Every reply of the roots on this page: those whose root lies in
       * (cursor, last root of the page]. */
      gint64 last_at = sd_db_rows_int (roots, n - 1, "at_ms");
      gint64 last_created = sd_db_rows_int (roots, n - 1, "created_at");
      replies = sd_db_query (db, error,
        "SELECT " REVIEW_COLUMNS REVIEW_FROM
        "  JOIN reviews p ON p.id = r.parent_id AND p.org_id = r.org_id"
        " WHERE r.video_id = $1 AND r.org_id = $2"
        "   AND (p.at_ms, p.created_at, p.id) > ($3, $4, $5)"
        "   AND (p.at_ms, p.created_at, p.id) <= ($6, $7, $8)"
        " ORDER BY r.created_at, r.id",
        "ssiisiis", video_id, req->auth.org_id, after_at, after_created, page.after_id,
        last_at, last_created, sd_db_rows_text (roots, n - 1, "id"));
      if (replies == NULL)
        return FALSE;
    }
  if (!sd_request_commit (req, error))
    return FALSE;

  /* root id -> its "replies" array (owned by the root's object) */
  g_autoptr(GHashTable) threads = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *items = json_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = review_json (roots, i);
      JsonArray *thread = json_array_new ();
      json_object_set_array_member (o, "replies", thread);
      g_hash_table_insert (threads, (gpointer) sd_db_rows_text (roots, i, "id"), thread);
      json_array_add_object_element (items, o);
    }
  for (guint i = 0; replies != NULL && i < sd_db_rows_n (replies); i++)
    {
      JsonArray *thread = g_hash_table_lookup (threads, sd_db_rows_text (replies, i, "parent_id"));
      if (thread != NULL)
        json_array_add_object_element (thread, review_json (replies, i));
    }
  sd_request_reply_json (req, 200,
                         sd_page_result (items, sd_db_rows_n (roots) > n,
                                         n > 0 ? page_key (sd_db_rows_int (roots, n - 1, "at_ms"),
                                                           sd_db_rows_int (roots, n - 1, "created_at")) : 0,
                                         n > 0 ? sd_db_rows_text (roots, n - 1, "id") : NULL));
  return TRUE;
}

/* ---- PATCH ---- */

static const SdField update_fields[] = {
  { "at_ms", SD_FIELD_INT, SD_FIELD_OPTIONAL, 0, MAX_POSITION_MS },
  { "end_ms", SD_FIELD_INT, SD_FIELD_NULLABLE, 0, MAX_POSITION_MS },
  { "text", SD_FIELD_STRING, SD_FIELD_TRIM, 1, MAX_TEXT_CHARS },
  /* "drawing": see body_drawing() */
  { NULL }
};

static gboolean
handle_update (SdRequest  *req,
               GError    **error)
{
  const char *review_id = sd_request_param (req, "review_id");
  g_auto(SdApiAsset) asset = { 0 };
  g_autoptr(SdDbRows) review = NULL;
  g_autofree char *text = NULL;
  g_autofree char *drawing = NULL;
  gboolean has_drawing;
  gint64 duration_ms;

  if (sd_json_has (req->body, "text") && (text = body_text (req, error)) == NULL)
    return FALSE;
  if (!body_drawing (req, &has_drawing, &drawing, error))
    return FALSE;
  if (text == NULL && !has_drawing && !sd_json_has (req->body, "at_ms") && !sd_json_has (req->body, "end_ms"))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "give at least one of “text”, “drawing”, “at_ms”, “end_ms”");
      return FALSE;
    }
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !load_target (req, &asset, &duration_ms, error) ||
      (review = load_review (req, review_id, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (sd_db_rows_text (review, 0, "author_id"), req->auth.user_id) != 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN, "only its author may change a review");
      return FALSE;
    }

  /* The new values: given ones replace, absent ones stay. */
  gint64 at_ms = sd_json_get_int (req->body, "at_ms", sd_db_rows_int (review, 0, "at_ms"));
  gint64 end_ms = sd_json_has (req->body, "end_ms")
                  ? sd_json_get_int (req->body, "end_ms", -1)
                  : (sd_db_rows_is_null (review, 0, "end_ms") ? -1 : sd_db_rows_int (review, 0, "end_ms"));
  if (!check_range (at_ms, end_ms, duration_ms, error))
    return FALSE;
  g_autofree char *end_text = int_or_null (end_ms);
  if (sd_db_exec (sd_request_db (req), error,
                  "UPDATE reviews SET at_ms = $3, end_ms = $4, text = COALESCE($5, text),"
                  "       drawing = CASE WHEN $6 THEN $7 ELSE drawing END, updated_at = $8"
                  " WHERE id = $1 AND org_id = $2",
                  "ssissbsi",
                  review_id, req->auth.org_id, at_ms, end_text, text, has_drawing, drawing,
                  sd_request_now (req)) < 0)
    return FALSE;
  return reply_review (req, 200, review_id, error);
}

/* ---- DELETE ---- */

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  const char *review_id = sd_request_param (req, "review_id");
  g_auto(SdApiAsset) asset = { 0 };
  g_autoptr(SdDbRows) review = NULL;
  gint64 duration_ms;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !load_target (req, &asset, &duration_ms, error) ||
      (review = load_review (req, review_id, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (sd_db_rows_text (review, 0, "author_id"), req->auth.user_id) != 0 &&
      req->auth.role != SD_ROLE_ADMIN)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                           "only its author and the organization's admins may delete a review");
      return FALSE;
    }
  /* Replies first (explicitly, not only by ON DELETE CASCADE, so every
   * statement carries the organization). */
  if (sd_db_exec (sd_request_db (req), error,
                  "DELETE FROM reviews WHERE parent_id = $1 AND org_id = $2",
                  "ss", review_id, req->auth.org_id) < 0 ||
      sd_db_exec (sd_request_db (req), error,
                  "DELETE FROM reviews WHERE id = $1 AND org_id = $2",
                  "ss", review_id, req->auth.org_id) < 0 ||
      !sd_request_commit (req, error))
    return FALSE;
  sd_request_reply_empty (req, 204);
  return TRUE;
}

const SdRoute sd_api_reviews_routes[] = {
  { "POST", "/assets/{id}/videos/{video_id}/reviews", handle_create, SD_ROUTE_AUTH, create_fields, 0, NULL },
  { "GET", "/assets/{id}/videos/{video_id}/reviews", handle_list, SD_ROUTE_AUTH, NULL, 0, NULL },
  { "PATCH", "/assets/{id}/videos/{video_id}/reviews/{review_id}", handle_update, SD_ROUTE_AUTH,
    update_fields, 0, NULL },
  { "DELETE", "/assets/{id}/videos/{video_id}/reviews/{review_id}", handle_delete, SD_ROUTE_AUTH, NULL, 0, NULL },
  { NULL }
};
