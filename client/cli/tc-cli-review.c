/* tc-cli-review.c — `tandem-cli review add|list`: time-stamped comments on
 * a video (POST/GET /assets/{id}/videos/{videoId}/reviews), shown as
 * threads in the order of the video. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include "tc-timecode.h"

#include <stdio.h>
#include <string.h>

/* The longest review text read from stdin. */
#define MAX_TEXT_BYTES (64 * 1024)

gboolean
tc_cli_parse_position (const char  *option,
                       const char  *text,
                       gint64      *ms,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  if (tc_timecode_parse (text, ms, &local_error))
    return TRUE;
  tc_cli_set_usage_error (error, "%s: %s", option, local_error->message);
  return FALSE;
}

static gint64
int_member (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  return node != NULL && json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : fallback;
}

static char *
reviews_path (const char *asset_id,
              const char *video_id)
{
  return g_strdup_printf ("/assets/%s/videos/%s/reviews", asset_id, video_id);
}

/* ---- ordering ---- */

/* Earlier in the video first, then older first, then by id. */
static int
compare_reviews (gconstpointer a,
                 gconstpointer b)
{
  JsonObject *x = tc_cli_obj (*(JsonNode **) a);
  JsonObject *y = tc_cli_obj (*(JsonNode **) b);
  gint64 ax = int_member (x, "at_ms", 0);
  gint64 ay = int_member (y, "at_ms", 0);
  if (ax != ay)
    return ax < ay ? -1 : 1;
  int c = g_strcmp0 (tc_cli_str (x, "created_at"), tc_cli_str (y, "created_at"));
  return c != 0 ? c : g_strcmp0 (tc_cli_str (x, "id"), tc_cli_str (y, "id"));
}

/* Older first: replies read as a conversation. */
static int
compare_replies (gconstpointer a,
                 gconstpointer b)
{
  JsonObject *x = tc_cli_obj (*(JsonNode **) a);
  JsonObject *y = tc_cli_obj (*(JsonNode **) b);
  int c = g_strcmp0 (tc_cli_str (x, "created_at"), tc_cli_str (y, "created_at"));
  return c != 0 ? c : g_strcmp0 (tc_cli_str (x, "id"), tc_cli_str (y, "id"));
}

/* The reviews of @items in reading order: each thread's first comment by
 * its time in the video, its replies (at any depth) after it, oldest
 * first.  Replies whose parent is missing count as threads.  Sets each
 * node's depth in @depths (same order). */
static GPtrArray *
thread_order (JsonArray *items,
              GArray    *depths)
{
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *id = tc_cli_str (tc_cli_obj (json_array_get_element (items, i)), "id");
      if (id != NULL)
        g_hash_table_add (ids, (gpointer) id);
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      const char *parent = tc_cli_str (tc_cli_obj (node), "parent_id");
      if (parent == NULL || !g_hash_table_contains (ids, parent))
        {
          g_ptr_array_add (roots, node);
          continue;
        }
      GPtrArray *list = g_hash_table_lookup (children, parent);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (children, (gpointer) parent, list);
        }
      g_ptr_array_add (list, node);
    }

  g_ptr_array_sort (roots, compare_reviews);
  GPtrArray *order = g_ptr_array_new ();
  /* Depth-first with an explicit stack (a reply chain may be long). */
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) stack_depth = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint r = roots->len; r > 0; r--)
    {
      guint zero = 0;
      g_ptr_array_add (stack, g_ptr_array_index (roots, r - 1));
      g_array_append_val (stack_depth, zero);
    }
  while (stack->len > 0 && order->len <= json_array_get_length (items))
    {
      JsonNode *node = g_ptr_array_steal_index (stack, stack->len - 1);
      guint depth = g_array_index (stack_depth, guint, stack_depth->len - 1);
      g_array_set_size (stack_depth, stack_depth->len - 1);
      g_ptr_array_add (order, node);
      g_array_append_val (depths, depth);

      GPtrArray *list = g_hash_table_lookup (children, tc_cli_str (tc_cli_obj (node), "id"));
      if (list == NULL)
        continue;
      g_ptr_array_sort (list, compare_replies);
      for (guint c = list->len; c > 0; c--)
        {
          guint next = depth + 1;
          g_ptr_array_add (stack, g_ptr_array_index (list, c - 1));
          g_array_append_val (stack_depth, next);
        }
    }
  return order;
}

/* The reviews of a page of threads (each may carry its "replies") in one
 * flat array; the replies point at their thread with parent_id. */
static JsonArray *
flatten_threads (JsonArray *threads)
{
  JsonArray *flat = json_array_new ();
  for (guint i = 0; i < json_array_get_length (threads); i++)
    {
      JsonNode *node = json_array_get_element (threads, i);
      JsonObject *thread = tc_cli_obj (node);
      if (thread == NULL)
        continue;
      json_array_add_element (flat, json_node_ref (node));
      JsonNode *replies = json_object_get_member (thread, "replies");
      if (replies == NULL || !JSON_NODE_HOLDS_ARRAY (replies))
        continue;
      JsonArray *list = json_node_get_array (replies);
      for (guint r = 0; r < json_array_get_length (list); r++)
        json_array_add_element (flat, json_node_ref (json_array_get_element (list, r)));
    }
  return flat;
}

/* ---- review list ---- */

static const char *
author_name (JsonObject *review)
{
  const char *name = tc_cli_str (tc_cli_member_obj (review, "author"), "name");
  if (name == NULL)
    name = tc_cli_str (review, "author_name");
  return name != NULL ? name : tc_cli_str (review, "author_id");
}

static void
print_review (JsonObject *review,
              guint       depth)
{
  g_autofree char *indent = g_strnfill (depth * 4, ' ');
  g_autofree char *at = tc_timecode_format (int_member (review, "at_ms", 0));
  gint64 end_ms = int_member (review, "end_ms", -1);
  g_autofree char *end = end_ms >= 0 ? tc_timecode_format (end_ms) : NULL;
  g_autofree char *when = end != NULL ? g_strdup_printf ("%s–%s", at, end) : g_strdup (at);
  g_autofree char *author = tc_cli_printable (author_name (review));
  g_autofree char *created = tc_cli_format_time (tc_cli_str (review, "created_at"));
  g_autofree char *id = tc_cli_printable (tc_cli_str (review, "id"));
  gboolean drawing = json_object_has_member (review, "drawing") &&
                     !JSON_NODE_HOLDS_NULL (json_object_get_member (review, "drawing"));

  if (depth == 0)
    g_print ("%s  %s · %s · %s%s\n", when, author, created != NULL ? created : "", id,
             drawing ? _(" · with drawing") : "");
  else
    g_print ("%s↳ %s · %s · %s%s\n", indent, author, created != NULL ? created : "", id,
             drawing ? _(" · with drawing") : "");

  /* The text, every line indented under its header; control characters
   * are replaced line by line. */
  g_auto(GStrv) lines = g_strsplit (tc_cli_str (review, "text") != NULL ? tc_cli_str (review, "text") : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = tc_cli_printable (lines[i]);
      g_print ("%s  %s\n", indent, line);
    }
}

/* GET the reviews of one video; "items" of the list. */
static JsonNode *
list_reviews (TcCli       *cli,
              const char  *asset_id,
              const char  *video_id,
              GError     **error)
{
  g_autofree char *path = reviews_path (asset_id, video_id);
  return tc_cli_call_list (cli, path, error);
}

static int
cmd_list (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status;
  g_autofree char *asset_id = NULL;
  g_autofree char *video_id = NULL;

  if (!tc_cli_parse (cli, NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!tc_cli_resolve_video (cli, argv[1], TRUE, &asset_id, &video_id, &error))
    return tc_cli_fail (cli, error);

  /* The videos to list: the one named, or every video of the asset. */
  g_autoptr(GPtrArray) video_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) video_names = g_ptr_array_new_with_free_func (g_free);
  if (video_id != NULL)
    {
      g_ptr_array_add (video_ids, g_strdup (video_id));
      g_ptr_array_add (video_names, NULL);
    }
  else
    {
      JsonArray *videos = NULL;
      g_autoptr(JsonNode) asset = tc_cli_get_asset (cli, asset_id, NULL, &videos, &error);
      if (asset == NULL)
        return tc_cli_fail (cli, error);
      for (guint i = 0; i < json_array_get_length (videos); i++)
        {
          JsonObject *video = tc_cli_obj (json_array_get_element (videos, i));
          g_ptr_array_add (video_ids, g_strdup (tc_cli_str (video, "id")));
          g_ptr_array_add (video_names, g_strdup (tc_cli_str (video, "filename")));
        }
    }

  JsonArray *all = json_array_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  json_object_set_array_member (result, "items", all);
  for (guint v = 0; v < video_ids->len; v++)
    {
      g_autoptr(JsonNode) list = list_reviews (cli, asset_id, g_ptr_array_index (video_ids, v), &error);
      if (list == NULL)
        return tc_cli_fail (cli, error);
      JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
      g_autoptr(JsonArray) flat = flatten_threads (items);
      g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GPtrArray) order = thread_order (flat, depths);

      if (!cli->json && video_ids->len > 1)
        {
          g_autofree char *name = tc_cli_printable (g_ptr_array_index (video_names, v));
          g_print ("%s== %s (%s) ==\n", v > 0 ? "\n" : "", name, (char *) g_ptr_array_index (video_ids, v));
        }
      if (cli->json)
        {
          /* The server's threads, as they came. */
          for (guint i = 0; i < json_array_get_length (items); i++)
            json_array_add_element (all, json_node_copy (json_array_get_element (items, i)));
          continue;
        }
      if (order->len == 0)
        g_print ("%s\n", _("No reviews yet."));
      for (guint i = 0; i < order->len; i++)
        print_review (tc_cli_obj (g_ptr_array_index (order, i)), g_array_index (depths, guint, i));
    }

  if (cli->json)
    {
      json_object_set_string_member (result, "asset_id", asset_id);
      json_object_set_string_member (result, "video_id", video_id);
      json_object_set_null_member (result, "next_cursor");
      tc_cli_print_object (cli, g_steal_pointer (&result));
    }
  return TC_CLI_EXIT_OK;
}

/* ---- review add ---- */

/* The review text: the words after the options, or stdin for "-". */
static char *
review_text (int      argc,
             char   **argv,
             GError **error)
{
  if (argc == 3 && g_str_equal (argv[2], "-"))
    {
      g_autoptr(GString) text = g_string_new (NULL);
      char buffer[4096];
      size_t n;
      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        {
          g_string_append_len (text, buffer, (gssize) n);
          if (text->len > MAX_TEXT_BYTES)
            {
              tc_cli_set_usage_error (error, _("the review text is longer than %u bytes"), MAX_TEXT_BYTES);
              return NULL;
            }
        }
      while (text->len > 0 && (text->str[text->len - 1] == '\n' || text->str[text->len - 1] == '\r'))
        g_string_truncate (text, text->len - 1);
      if (!g_utf8_validate (text->str, (gssize) text->len, NULL))
        {
          tc_cli_set_usage_error (error, _("the review text is not valid UTF-8"));
          return NULL;
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  return g_strjoinv (" ", argv + 2);
}

static int
cmd_add (TcCli  *cli,
         int     argc,
         char  **argv)
{
  g_autofree char *at_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *reply_to = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("Where in the video: [h:]m:s[.fff] or seconds"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("The end of the part the comment is about"), N_("TIME") },
    { "reply-to", 0, 0, G_OPTION_ARG_STRING, &reply_to, N_("Answer this review (its id)"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;
  gint64 at_ms = -1;
  gint64 end_ms = -1;
  g_autofree char *asset_id = NULL;
  g_autofree char *video_id = NULL;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 2, -1, &status))
    return status;
  if (at_text != NULL && !tc_cli_parse_position ("--at", at_text, &at_ms, &error))
    return tc_cli_fail (cli, error);
  if (to_text != NULL && !tc_cli_parse_position ("--to", to_text, &end_ms, &error))
    return tc_cli_fail (cli, error);
  if (at_text == NULL && reply_to == NULL)
    tc_cli_set_usage_error (&error, _("say where in the video with --at (like --at 1:02.5)"));
  else if (end_ms >= 0 && at_ms >= 0 && end_ms < at_ms)
    tc_cli_set_usage_error (&error, _("--to must not be before --at"));
  else if (end_ms >= 0 && at_ms < 0)
    tc_cli_set_usage_error (&error, _("--to needs --at"));
  else if (reply_to != NULL && !g_uuid_string_is_valid (reply_to))
    tc_cli_set_usage_error (&error, _("--reply-to wants the id of a review (see “%s review list”)"),
                            g_get_prgname ());
  if (error != NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *text = review_text (argc, argv, &error);
  if (text == NULL)
    return tc_cli_fail (cli, error);
  if (*g_strstrip (text) == '\0')
    {
      tc_cli_set_usage_error (&error, _("the review text is empty"));
      return tc_cli_fail (cli, error);
    }
  if (!tc_cli_resolve_video (cli, argv[1], FALSE, &asset_id, &video_id, &error))
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  /* A reply without --at sits where its thread starts (the server's default). */
  if (at_ms >= 0)
    json_object_set_int_member (body, "at_ms", at_ms);
  if (end_ms >= 0)
    json_object_set_int_member (body, "end_ms", end_ms);
  json_object_set_string_member (body, "text", text);
  if (reply_to != NULL)
    {
      g_autofree char *parent = g_ascii_strdown (reply_to, -1);
      json_object_set_string_member (body, "parent_id", parent);
    }
  g_autofree char *path = reviews_path (asset_id, video_id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "POST", path, body, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, reply);
  else
    {
      JsonObject *review = tc_cli_obj (reply);
      JsonObject *inner = tc_cli_member_obj (review, "review");
      if (inner != NULL)
        review = inner;
      g_autofree char *at = tc_timecode_format (int_member (review, "at_ms", MAX (at_ms, 0)));
      g_autofree char *id = tc_cli_printable (tc_cli_str (review, "id"));
      if (reply_to != NULL)
        g_print (_("Replied at %s (review %s).\n"), at, id);
      else
        g_print (_("Added a review at %s (review %s).\n"), at, id);
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_review_commands[] = {
  { "review", "add", "ASSET_OR_VIDEO --at TIME TEXT...",
    N_("Comment on a moment of a video (TEXT “-” reads stdin)"), cmd_add },
  { "review", "list", "ASSET_OR_VIDEO", N_("Show the reviews of a video as threads, in the order of the video"),
    cmd_list },
  { NULL }
};
