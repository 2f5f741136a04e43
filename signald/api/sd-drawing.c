/* sd-drawing.c — validation and canonical form of review drawings; the
 * format is described in sd-drawing.h. */
#define G_LOG_DOMAIN "sd-drawing"

#include "api/sd-drawing.h"

#include "tandem-error.h"

#include <stdarg.h>
#include <string.h>

typedef struct {
  guint total_points;
} Walk;

/* Members each kind accepts, "kind" included; the geometry ones are
 * required, "color" and "width" optional. */
typedef struct {
  const char *kind;
  const char *geometry[3];   /* NULL-terminated */
} Kind;

static const Kind kinds[] = {
  { "stroke", { "points", NULL } },
  { "arrow",  { "from", "to", NULL } },
  { "circle", { "from", "to", NULL } },
  { "rect",   { "from", "to", NULL } },
  { "text",   { "at", "text", NULL } },
};

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError    **error,
      const char *path,
      const char *format,
      ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "%s: %s", path, what);
  return FALSE;
}

/* Non-negative @x rounded to 4 decimals (no libm needed). */
static double
round4 (double x)
{
  return (double) (gint64) (x * 10000.0 + 0.5) / 10000.0;
}

static gboolean
read_number (JsonNode *node,
             double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

/* [x, y] with both in [0, 1]; appends the rounded point to @into. */
static gboolean
read_point (JsonNode    *node,
            const char  *path,
            JsonArray   *into,
            GError     **error)
{
  double x, y;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) != 2 ||
      !read_number (json_array_get_element (json_node_get_array (node), 0), &x) ||
      !read_number (json_array_get_element (json_node_get_array (node), 1), &y))
    return fail (error, path, "must be a point [x, y] of two numbers");
  if (x < 0.0 || x > 1.0 || y < 0.0 || y > 1.0)
    return fail (error, path, "coordinates must be between 0 and 1 (normalized to the frame)");
  JsonArray *point = json_array_sized_new (2);
  json_array_add_double_element (point, round4 (x));
  json_array_add_double_element (point, round4 (y));
  json_array_add_array_element (into, point);
  return TRUE;
}

static gboolean
read_points (JsonNode    *node,
             const char  *path,
             Walk        *walk,
             JsonObject  *out,
             GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, path, "must be an array of points [x, y]");
  JsonArray *array = json_node_get_array (node);
  guint n = json_array_get_length (array);
  if (n == 0 || n > SD_DRAWING_MAX_STROKE_POINTS)
    return fail (error, path, "a stroke has 1 to %d points (it has %u)", SD_DRAWING_MAX_STROKE_POINTS, n);
  walk->total_points += n;
  if (walk->total_points > SD_DRAWING_MAX_TOTAL_POINTS)
    return fail (error, path, "a drawing has at most %d points in all", SD_DRAWING_MAX_TOTAL_POINTS);

  JsonArray *points = json_array_sized_new (n);
  json_object_set_array_member (out, "points", points);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s[%u]", path, i);
      if (!read_point (json_array_get_element (array, i), item, points, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_text (JsonNode    *node,
           const char  *path,
           JsonObject  *out,
           GError     **error)
{
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, path, "must be a string");
  const char *text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, path, "must be UTF-8");
  glong chars = g_utf8_strlen (text, -1);
  gboolean visible = FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c != '\n' && (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029))
        return fail (error, path, "may not contain control characters other than line breaks");
      if (!g_unichar_isspace (c))
        visible = TRUE;
    }
  if (!visible || chars > SD_DRAWING_MAX_TEXT_CHARS)
    return fail (error, path, "must have 1 to %d characters, not only spaces", SD_DRAWING_MAX_TEXT_CHARS);
  json_object_set_string_member (out, "text", text);
  return TRUE;
}

static gboolean
read_color (JsonNode    *node,
            const char  *path,
            JsonObject  *out,
            GError     **error)
{
  const char *color = node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
                      ? json_node_get_string (node) : NULL;
  gboolean ok = color != NULL && strlen (color) == 7 && color[0] == '#';
  for (guint i = 1; ok && i < 7; i++)
    ok = g_ascii_isxdigit (color[i]);
  if (!ok)
    return fail (error, path, "must be a colour “#rrggbb”");
  g_autofree char *lower = g_ascii_strdown (color, -1);
  json_object_set_string_member (out, "color", lower);
  return TRUE;
}

static gboolean
read_width (JsonNode    *node,
            const char  *path,
            JsonObject  *out,
            GError     **error)
{
  double width;
  if (!read_number (node, &width))
    return fail (error, path, "must be a number");
  if (width < 0.0001 || width > SD_DRAWING_MAX_WIDTH)
    return fail (error, path, "must be between 0.0001 and %g (a fraction of the frame's height)",
                 SD_DRAWING_MAX_WIDTH);
  json_object_set_double_member (out, "width", round4 (width));
  return TRUE;
}

static const Kind *
find_kind (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, name) == 0)
      return &kinds[i];
  return NULL;
}

static gboolean
kind_has_member (const Kind *kind,
                 const char *name)
{
  if (g_str_equal (name, "kind") || g_str_equal (name, "color") || g_str_equal (name, "width"))
    return TRUE;
  for (guint i = 0; kind->geometry[i] != NULL; i++)
    if (g_str_equal (kind->geometry[i], name))
      return TRUE;
  return FALSE;
}

static gboolean
read_geometry (const char  *member,
               JsonNode    *node,
               const char  *path,
               Walk        *walk,
               JsonObject  *out,
               GError     **error)
{
  if (g_str_equal (member, "points"))
    return read_points (node, path, walk, out, error);
  if (g_str_equal (member, "text"))
    return read_text (node, path, out, error);

  /* from, to, at: one point, stored as [x, y] */
  g_autoptr(JsonArray) holder = json_array_new ();
  if (!read_point (node, path, holder, error))
    return FALSE;
  json_object_set_member (out, member, json_node_copy (json_array_get_element (holder, 0)));
  return TRUE;
}

static JsonObject *
read_shape (JsonNode    *node,
            const char  *path,
            Walk        *walk,
            GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, path, "must be an object with a “kind”");
      return NULL;
    }
  JsonObject *in = json_node_get_object (node);
  g_autofree char *kind_path = g_strdup_printf ("%s.kind", path);
  JsonNode *kind_node = json_object_get_member (in, "kind");
  const Kind *kind = NULL;
  if (kind_node != NULL && json_node_get_value_type (kind_node) == G_TYPE_STRING)
    kind = find_kind (json_node_get_string (kind_node));
  if (kind == NULL)
    {
      fail (error, kind_path, "must be one of stroke, arrow, circle, rect, text");
      return NULL;
    }

  /* Unknown members first, so a typo is named rather than reported as a
   * missing member. */
  JsonObjectIter iter;
  const char *name;
  json_object_iter_init (&iter, in);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!kind_has_member (kind, name))
      {
        g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
        fail (error, member_path, "is not a member of a %s shape", kind->kind);
        return NULL;
      }

  g_autoptr(JsonObject) out = json_object_new ();
  json_object_set_string_member (out, "kind", kind->kind);
  for (guint i = 0; kind->geometry[i] != NULL; i++)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, kind->geometry[i]);
      JsonNode *member = json_object_get_member (in, kind->geometry[i]);
      if (member == NULL)
        {
          fail (error, member_path, "is required for a %s shape", kind->kind);
          return NULL;
        }
      if (!read_geometry (kind->geometry[i], member, member_path, walk, out, error))
        return NULL;
    }
  if (json_object_has_member (in, "color"))
    {
      g_autofree char *member_path = g_strdup_printf ("%s.color", path);
      if (!read_color (json_object_get_member (in, "color"), member_path, out, error))
        return NULL;
    }
  if (json_object_has_member (in, "width"))
    {
      g_autofree char *member_path = g_strdup_printf ("%s.width", path);
      if (!read_width (json_object_get_member (in, "width"), member_path, out, error))
        return NULL;
    }
  return g_steal_pointer (&out);
}

char *
sd_drawing_canonicalize (JsonNode    *drawing,
                         const char  *path,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (drawing == NULL || !JSON_NODE_HOLDS_OBJECT (drawing))
    {
      fail (error, path, "must be an object {\"shapes\": […]}");
      return NULL;
    }
  JsonObject *in = json_node_get_object (drawing);
  JsonObjectIter iter;
  const char *name;
  json_object_iter_init (&iter, in);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_str_equal (name, "shapes"))
      {
        g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
        fail (error, member_path, "is not a member of a drawing (only “shapes”)");
        return NULL;
      }

  g_autofree char *shapes_path = g_strdup_printf ("%s.shapes", path);
  JsonNode *shapes_node = json_object_get_member (in, "shapes");
  if (shapes_node == NULL || !JSON_NODE_HOLDS_ARRAY (shapes_node))
    {
      fail (error, shapes_path, "must be an array of shapes");
      return NULL;
    }
  JsonArray *shapes = json_node_get_array (shapes_node);
  guint n = json_array_get_length (shapes);
  if (n > SD_DRAWING_MAX_SHAPES)
    {
      fail (error, shapes_path, "a drawing has at most %d shapes (it has %u)", SD_DRAWING_MAX_SHAPES, n);
      return NULL;
    }

  Walk walk = { 0 };
  JsonArray *out_shapes = json_array_sized_new (n);
  g_autoptr(JsonObject) out = json_object_new ();
  json_object_set_array_member (out, "shapes", out_shapes);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *shape_path = g_strdup_printf ("%s[%u]", shapes_path, i);
      JsonObject *shape = read_shape (json_array_get_element (shapes, i), shape_path, &walk, error);
      if (shape == NULL)
        return NULL;
      json_array_add_object_element (out_shapes, shape);
    }

  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, out);
  return json_to_string (root, FALSE);
}

JsonNode *
sd_drawing_parse (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}
