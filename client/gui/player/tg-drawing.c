/* tg-drawing.c — review drawings: model, JSON and painting; see
 * tg-drawing.h. */
#define G_LOG_DOMAIN "tg-drawing"

#include "tg-drawing.h"

#include <math.h>
#include <string.h>

static const GdkRGBA default_color = { 0.878, 0.106, 0.141, 1.0 };  /* #e01b24 */

static const char *const kind_names[] = {
  [TG_SHAPE_STROKE] = "stroke",
  [TG_SHAPE_ARROW] = "arrow",
  [TG_SHAPE_CIRCLE] = "circle",
  [TG_SHAPE_RECT] = "rect",
  [TG_SHAPE_TEXT] = "text",
};

struct _TgDrawing
{
  gatomicrefcount ref;
  GPtrArray *shapes;   /* TgShape */
};

G_DEFINE_BOXED_TYPE (TgDrawing, tg_drawing, tg_drawing_ref, tg_drawing_unref)

/* ---- colours ---- */

char *
tg_color_to_hex (const GdkRGBA *color)
{
  int r = (int) lround (CLAMP (color->red, 0.0, 1.0) * 255.0);
  int g = (int) lround (CLAMP (color->green, 0.0, 1.0) * 255.0);
  int b = (int) lround (CLAMP (color->blue, 0.0, 1.0) * 255.0);
  return g_strdup_printf ("#%02x%02x%02x", r, g, b);
}

gboolean
tg_color_from_hex (const char *text,
                   GdkRGBA    *color)
{
  if (text == NULL || strlen (text) != 7 || text[0] != '#')
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  int v[3];
  for (int i = 0; i < 3; i++)
    v[i] = g_ascii_xdigit_value (text[1 + 2 * i]) * 16 + g_ascii_xdigit_value (text[2 + 2 * i]);
  *color = (GdkRGBA) { v[0] / 255.0f, v[1] / 255.0f, v[2] / 255.0f, 1.0f };
  return TRUE;
}

/* ---- shapes ---- */

TgShape *
tg_shape_new (TgShapeKind    kind,
              const GdkRGBA *color,
              double         width)
{
  TgShape *shape = g_new0 (TgShape, 1);
  shape->kind = kind;
  shape->points = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  shape->color = color != NULL ? *color : default_color;
  shape->color.alpha = 1.0;
  if (width <= 0.0)
    width = kind == TG_SHAPE_TEXT ? TG_DRAWING_DEFAULT_TEXT_WIDTH : TG_DRAWING_DEFAULT_WIDTH;
  shape->width = CLAMP (width, 0.0001, 0.25);
  return shape;
}

void
tg_shape_free (TgShape *shape)
{
  if (shape == NULL)
    return;
  g_array_unref (shape->points);
  g_free (shape->text);
  g_free (shape);
}

void
tg_shape_add_point (TgShape *shape,
                    double   x,
                    double   y)
{
  g_return_if_fail (shape != NULL);
  if (shape->kind == TG_SHAPE_STROKE && shape->points->len >= TG_DRAWING_MAX_STROKE_POINTS)
    return;
  graphene_point_t p = GRAPHENE_POINT_INIT (CLAMP (x, 0.0, 1.0), CLAMP (y, 0.0, 1.0));
  g_array_append_val (shape->points, p);
}

void
tg_shape_set_last_point (TgShape *shape,
                         double   x,
                         double   y)
{
  g_return_if_fail (shape != NULL);
  if (shape->points->len == 0)
    {
      tg_shape_add_point (shape, x, y);
      return;
    }
  graphene_point_t *p = &g_array_index (shape->points, graphene_point_t, shape->points->len - 1);
  *p = GRAPHENE_POINT_INIT (CLAMP (x, 0.0, 1.0), CLAMP (y, 0.0, 1.0));
}

gboolean
tg_shape_is_complete (const TgShape *shape)
{
  switch (shape->kind)
    {
    case TG_SHAPE_STROKE:
      return shape->points->len >= 1;
    case TG_SHAPE_ARROW:
    case TG_SHAPE_CIRCLE:
    case TG_SHAPE_RECT:
      return shape->points->len == 2;
    case TG_SHAPE_TEXT:
      if (shape->points->len != 1 || shape->text == NULL)
        return FALSE;
      for (const char *c = shape->text; *c != '\0'; c = g_utf8_next_char (c))
        if (!g_unichar_isspace (g_utf8_get_char (c)))
          return TRUE;
      return FALSE;
    default:
      return FALSE;
    }
}

/* ---- drawings ---- */

TgDrawing *
tg_drawing_new (void)
{
  TgDrawing *drawing = g_new0 (TgDrawing, 1);
  g_atomic_ref_count_init (&drawing->ref);
  drawing->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) tg_shape_free);
  return drawing;
}

TgDrawing *
tg_drawing_ref (TgDrawing *drawing)
{
  g_return_val_if_fail (drawing != NULL, NULL);
  g_atomic_ref_count_inc (&drawing->ref);
  return drawing;
}

void
tg_drawing_unref (TgDrawing *drawing)
{
  g_return_if_fail (drawing != NULL);
  if (!g_atomic_ref_count_dec (&drawing->ref))
    return;
  g_ptr_array_unref (drawing->shapes);
  g_free (drawing);
}

guint
tg_drawing_get_n_shapes (TgDrawing *drawing)
{
  g_return_val_if_fail (drawing != NULL, 0);
  return drawing->shapes->len;
}

const TgShape *
tg_drawing_get_shape (TgDrawing *drawing,
                      guint      index)
{
  g_return_val_if_fail (drawing != NULL && index < drawing->shapes->len, NULL);
  return g_ptr_array_index (drawing->shapes, index);
}

void
tg_drawing_add_shape (TgDrawing *drawing,
                      TgShape   *shape)
{
  g_return_if_fail (drawing != NULL && shape != NULL);
  if (drawing->shapes->len >= TG_DRAWING_MAX_SHAPES)
    {
      tg_shape_free (shape);
      return;
    }
  g_ptr_array_add (drawing->shapes, shape);
}

gboolean
tg_drawing_remove_last (TgDrawing *drawing)
{
  g_return_val_if_fail (drawing != NULL, FALSE);
  if (drawing->shapes->len == 0)
    return FALSE;
  g_ptr_array_remove_index (drawing->shapes, drawing->shapes->len - 1);
  return TRUE;
}

void
tg_drawing_clear (TgDrawing *drawing)
{
  g_return_if_fail (drawing != NULL);
  g_ptr_array_set_size (drawing->shapes, 0);
}

/* ---- JSON ---- */

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
  return isfinite (*out);
}

static gboolean
read_point (JsonNode *node,
            TgShape  *shape)
{
  double x, y;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  JsonArray *pair = json_node_get_array (node);
  if (json_array_get_length (pair) != 2 ||
      !read_number (json_array_get_element (pair, 0), &x) ||
      !read_number (json_array_get_element (pair, 1), &y))
    return FALSE;
  tg_shape_add_point (shape, x, y);
  return TRUE;
}

static TgShape *
read_shape (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  JsonObject *o = json_node_get_object (node);
  const char *kind_name = json_object_get_string_member_with_default (o, "kind", "");
  int kind = -1;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind_names[i], kind_name))
      kind = (int) i;
  if (kind < 0)
    return NULL;

  GdkRGBA color = default_color;
  tg_color_from_hex (json_object_get_string_member_with_default (o, "color", NULL), &color);
  double width = 0.0;
  read_number (json_object_get_member (o, "width"), &width);
  g_autoptr(TgShape) shape = tg_shape_new ((TgShapeKind) kind, &color, width);

  switch (shape->kind)
    {
    case TG_SHAPE_STROKE:
      {
        JsonNode *points = json_object_get_member (o, "points");
        if (points == NULL || !JSON_NODE_HOLDS_ARRAY (points))
          return NULL;
        JsonArray *array = json_node_get_array (points);
        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!read_point (json_array_get_element (array, i), shape))
            return NULL;
        break;
      }
    case TG_SHAPE_ARROW:
    case TG_SHAPE_CIRCLE:
    case TG_SHAPE_RECT:
      if (!read_point (json_object_get_member (o, "from"), shape) ||
          !read_point (json_object_get_member (o, "to"), shape))
        return NULL;
      break;
    case TG_SHAPE_TEXT:
      if (!read_point (json_object_get_member (o, "at"), shape))
        return NULL;
      shape->text = g_strdup (json_object_get_string_member_with_default (o, "text", NULL));
      break;
    default:
      g_assert_not_reached ();
    }
  return tg_shape_is_complete (shape) ? g_steal_pointer (&shape) : NULL;
}

TgDrawing *
tg_drawing_new_from_json (JsonNode  *node,
                          GError   **error)
{
  JsonNode *shapes = NULL;
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    shapes = json_object_get_member (json_node_get_object (node), "shapes");
  if (shapes == NULL || !JSON_NODE_HOLDS_ARRAY (shapes))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "a drawing is an object with a “shapes” array");
      return NULL;
    }
  TgDrawing *drawing = tg_drawing_new ();
  JsonArray *array = json_node_get_array (shapes);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      TgShape *shape = read_shape (json_array_get_element (array, i));
      if (shape != NULL)
        tg_drawing_add_shape (drawing, shape);
      else
        g_debug ("skipping shape %u, which this version cannot read", i);
    }
  return drawing;
}

static double
round4 (double v)
{
  return round (v * 10000.0) / 10000.0;
}

static void
add_point (JsonBuilder            *builder,
           const graphene_point_t *p)
{
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, round4 (p->x));
  json_builder_add_double_value (builder, round4 (p->y));
  json_builder_end_array (builder);
}

JsonNode *
tg_drawing_to_json (TgDrawing *drawing)
{
  g_return_val_if_fail (drawing != NULL, NULL);

  g_autoptr(JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shapes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < drawing->shapes->len; i++)
    {
      const TgShape *shape = g_ptr_array_index (drawing->shapes, i);
      if (!tg_shape_is_complete (shape))
        continue;
      const graphene_point_t *points = (const graphene_point_t *) (void *) shape->points->data;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_names[shape->kind]);
      switch (shape->kind)
        {
        case TG_SHAPE_STROKE:
          json_builder_set_member_name (builder, "points");
          json_builder_begin_array (builder);
          for (guint j = 0; j < shape->points->len; j++)
            add_point (builder, &points[j]);
          json_builder_end_array (builder);
          break;
        case TG_SHAPE_ARROW:
        case TG_SHAPE_CIRCLE:
        case TG_SHAPE_RECT:
          json_builder_set_member_name (builder, "from");
          add_point (builder, &points[0]);
          json_builder_set_member_name (builder, "to");
          add_point (builder, &points[1]);
          break;
        case TG_SHAPE_TEXT:
          json_builder_set_member_name (builder, "at");
          add_point (builder, &points[0]);
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, shape->text);
          break;
        default:
          g_assert_not_reached ();
        }
      g_autofree char *hex = tg_color_to_hex (&shape->color);
      json_builder_set_member_name (builder, "color");
      json_builder_add_string_value (builder, hex);
      json_builder_set_member_name (builder, "width");
      json_builder_add_double_value (builder, round4 (shape->width));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- painting ---- */

static graphene_point_t
to_frame (const graphene_rect_t  *frame,
          const graphene_point_t *p)
{
  return GRAPHENE_POINT_INIT (frame->origin.x + p->x * frame->size.width,
                              frame->origin.y + p->y * frame->size.height);
}

static void
paint_arrow_head (cairo_t          *cr,
                  graphene_point_t  from,
                  graphene_point_t  to,
                  double            line)
{
  double angle = atan2 (to.y - from.y, to.x - from.x);
  double length = MAX (line * 4.0, 8.0);
  double spread = G_PI / 7.0;
  cairo_move_to (cr, to.x, to.y);
  cairo_line_to (cr, to.x - length * cos (angle - spread), to.y - length * sin (angle - spread));
  cairo_line_to (cr, to.x - length * cos (angle + spread), to.y - length * sin (angle + spread));
  cairo_close_path (cr);
  cairo_fill (cr);
}

void
tg_shape_paint (const TgShape         *shape,
                cairo_t               *cr,
                const graphene_rect_t *frame)
{
  if (shape == NULL || shape->points->len == 0 || frame->size.height <= 0)
    return;

  const graphene_point_t *points = (const graphene_point_t *) (void *) shape->points->data;
  double line = MAX (shape->width * frame->size.height, 1.0);

  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, &shape->color);
  cairo_set_line_width (cr, line);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  switch (shape->kind)
    {
    case TG_SHAPE_STROKE:
      {
        graphene_point_t p = to_frame (frame, &points[0]);
        cairo_move_to (cr, p.x, p.y);
        if (shape->points->len == 1)
          cairo_line_to (cr, p.x, p.y);  /* a dot: the round cap draws it */
        for (guint i = 1; i < shape->points->len; i++)
          {
            p = to_frame (frame, &points[i]);
            cairo_line_to (cr, p.x, p.y);
          }
        cairo_stroke (cr);
        break;
      }
    case TG_SHAPE_ARROW:
      if (shape->points->len == 2)
        {
          graphene_point_t from = to_frame (frame, &points[0]);
          graphene_point_t to = to_frame (frame, &points[1]);
          /* The shaft stops inside the head, so its round end does not show. */
          double angle = atan2 (to.y - from.y, to.x - from.x);
          double back = MAX (line * 2.0, 4.0);
          cairo_move_to (cr, from.x, from.y);
          cairo_line_to (cr, to.x - back * cos (angle), to.y - back * sin (angle));
          cairo_stroke (cr);
          paint_arrow_head (cr, from, to, line);
        }
      break;
    case TG_SHAPE_CIRCLE:
    case TG_SHAPE_RECT:
      if (shape->points->len == 2)
        {
          graphene_point_t a = to_frame (frame, &points[0]);
          graphene_point_t b = to_frame (frame, &points[1]);
          double x = MIN (a.x, b.x), y = MIN (a.y, b.y);
          double w = MAX (ABS (b.x - a.x), 1.0), h = MAX (ABS (b.y - a.y), 1.0);
          if (shape->kind == TG_SHAPE_RECT)
            cairo_rectangle (cr, x, y, w, h);
          else
            {
              cairo_save (cr);
              cairo_translate (cr, x + w / 2, y + h / 2);
              cairo_scale (cr, w / 2, h / 2);
              cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
              cairo_restore (cr);
            }
          cairo_stroke (cr);
        }
      break;
    case TG_SHAPE_TEXT:
      if (shape->text != NULL)
        {
          graphene_point_t at = to_frame (frame, &points[0]);
          double size = MAX (shape->width * frame->size.height, 6.0);
          PangoLayout *layout = pango_cairo_create_layout (cr);
          PangoFontDescription *font = pango_font_description_from_string ("Sans Bold");
          pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
          pango_layout_set_font_description (layout, font);
          pango_layout_set_text (layout, shape->text, -1);
          cairo_move_to (cr, at.x, at.y);
          /* A dark outline keeps the letters readable on any picture. */
          pango_cairo_layout_path (cr, layout);
          cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
          cairo_set_line_width (cr, MAX (size / 12.0, 1.5));
          cairo_stroke_preserve (cr);
          gdk_cairo_set_source_rgba (cr, &shape->color);
          cairo_fill (cr);
          pango_font_description_free (font);
          g_object_unref (layout);
        }
      break;
    default:
      break;
    }
  cairo_restore (cr);
}

void
tg_drawing_paint (TgDrawing             *drawing,
                  cairo_t               *cr,
                  const graphene_rect_t *frame)
{
  if (drawing == NULL)
    return;
  for (guint i = 0; i < drawing->shapes->len; i++)
    tg_shape_paint (g_ptr_array_index (drawing->shapes, i), cr, frame);
}
