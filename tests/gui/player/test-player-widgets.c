/* test-player-widgets.c — the player's parts that need no server: time
 * labels, review drawings (the server's JSON both ways, what is skipped,
 * painting every kind), the video area (letterboxing, the drawing tools
 * turning pointer moves into normalized shapes, undo), the timeline's
 * position mapping, and the German and French catalogs.  Runs under
 * run-gui-test.sh (Xvfb). */
#include "th-player-gui.h"

#include "api/sd-drawing.h"
#include "tg-drawing.h"
#include "tg-time.h"
#include "tg-timeline.h"
#include "tg-video-area.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

static void
test_time_format (void)
{
  struct { gint64 ms; const char *text; } cases[] = {
    { 0, "0:00.000" },
    { 40, "0:00.040" },
    { 1040, "0:01.040" },
    { 61005, "1:01.005" },
    { 599999, "9:59.999" },
    { 3723004, "1:02:03.004" },
    { -5, "0:00.000" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tg_time_format (cases[i].ms);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

/* The server's canonical form (sd-drawing.c) reads and writes back the
 * same. */
static void
test_drawing_json (void)
{
  const char *canonical =
    "{\"shapes\":["
    "{\"kind\":\"stroke\",\"points\":[[0.1,0.2],[0.3,0.4],[0.5,0.45]],\"color\":\"#e01b24\",\"width\":0.008},"
    "{\"kind\":\"arrow\",\"from\":[0.2,0.8],\"to\":[0.45,0.55],\"color\":\"#1c71d8\",\"width\":0.01},"
    "{\"kind\":\"circle\",\"from\":[0.55,0.2],\"to\":[0.85,0.5],\"color\":\"#2ec27e\",\"width\":0.005},"
    "{\"kind\":\"rect\",\"from\":[0.0,0.0],\"to\":[1.0,1.0],\"color\":\"#ffffff\",\"width\":0.25},"
    "{\"kind\":\"text\",\"at\":[0.5,0.6],\"text\":\"Knees “forward”\\nnow\",\"color\":\"#000000\",\"width\":0.05}]}";
  g_autoptr(JsonNode) node = parse (canonical);
  g_autoptr(GError) error = NULL;
  g_autoptr(TgDrawing) drawing = tg_drawing_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tg_drawing_get_n_shapes (drawing), ==, 5);
  const TgShape *stroke = tg_drawing_get_shape (drawing, 0);
  g_assert_cmpint (stroke->kind, ==, TG_SHAPE_STROKE);
  g_assert_cmpuint (stroke->points->len, ==, 3);
  g_assert_cmpfloat_with_epsilon (stroke->width, 0.008, 1e-9);
  const TgShape *text = tg_drawing_get_shape (drawing, 4);
  g_assert_cmpstr (text->text, ==, "Knees “forward”\nnow");

  g_autoptr(JsonNode) back = tg_drawing_to_json (drawing);
  g_autofree char *a = json_to_string (node, FALSE);
  g_autofree char *b = json_to_string (back, FALSE);
  g_assert_cmpstr (b, ==, a);

  /* What the player sends is what the server stores: its validator takes
   * it unchanged. */
  g_autofree char *stored = sd_drawing_canonicalize (back, "drawing", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, b);
}

/* Kinds this version does not know, and broken shapes, are skipped; a
 * drawing without shapes is refused; defaults fill in colour and width. */
static void
test_drawing_lenient (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"shapes\":[{\"kind\":\"spiral\",\"at\":[0.5,0.5]},"
    "{\"kind\":\"arrow\",\"from\":[0.1,0.1]},"
    "{\"kind\":\"text\",\"at\":[0.1,0.1],\"text\":\"   \"},"
    "{\"kind\":\"rect\",\"from\":[0.1,0.1],\"to\":[0.2,0.3]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(TgDrawing) drawing = tg_drawing_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tg_drawing_get_n_shapes (drawing), ==, 1);
  const TgShape *rect = tg_drawing_get_shape (drawing, 0);
  g_assert_cmpint (rect->kind, ==, TG_SHAPE_RECT);
  g_assert_cmpfloat_with_epsilon (rect->width, TG_DRAWING_DEFAULT_WIDTH, 1e-9);
  g_autofree char *hex = tg_color_to_hex (&rect->color);
  g_assert_cmpstr (hex, ==, "#e01b24");

  g_autoptr(JsonNode) bad = parse ("{\"strokes\":[]}");
  g_autoptr(TgDrawing) none = tg_drawing_new_from_json (bad, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  /* Points are clamped into the frame, shapes past the server's limit
   * dropped. */
  g_autoptr(TgDrawing) many = tg_drawing_new ();
  for (int i = 0; i < TG_DRAWING_MAX_SHAPES + 5; i++)
    {
      TgShape *s = tg_shape_new (TG_SHAPE_STROKE, NULL, 0);
      tg_shape_add_point (s, -0.5, 1.5);
      tg_drawing_add_shape (many, s);
    }
  g_assert_cmpuint (tg_drawing_get_n_shapes (many), ==, TG_DRAWING_MAX_SHAPES);
  const graphene_point_t *p = &g_array_index (tg_drawing_get_shape (many, 0)->points, graphene_point_t, 0);
  g_assert_cmpfloat (p->x, ==, 0.0);
  g_assert_cmpfloat (p->y, ==, 1.0);
  g_assert_true (tg_drawing_remove_last (many));
  tg_drawing_clear (many);
  g_assert_false (tg_drawing_remove_last (many));

  GdkRGBA color;
  g_assert_true (tg_color_from_hex ("#1C71D8", &color));
  g_autofree char *lower = tg_color_to_hex (&color);
  g_assert_cmpstr (lower, ==, "#1c71d8");
  g_assert_false (tg_color_from_hex ("#12345", &color));
  g_assert_false (tg_color_from_hex ("1c71d8x", &color));
}

static guint
count_surface (cairo_surface_t *surface,
               guint32          rgb)
{
  cairo_surface_flush (surface);
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint n = 0;
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      if (((*(const guint32 *) (data + y * stride + x * 4)) & 0xffffff) == rgb)
        n++;
  return n;
}

/* Every kind leaves paint of its colour inside the frame it is mapped to,
 * and none outside it. */
static void
test_drawing_paint (void)
{
  const char *kinds[] = {
    "{\"kind\":\"stroke\",\"points\":[[0.1,0.1],[0.9,0.9]],\"color\":\"#00ff00\",\"width\":0.02}",
    "{\"kind\":\"arrow\",\"from\":[0.1,0.9],\"to\":[0.9,0.1],\"color\":\"#00ff00\",\"width\":0.02}",
    "{\"kind\":\"circle\",\"from\":[0.2,0.2],\"to\":[0.8,0.6],\"color\":\"#00ff00\",\"width\":0.02}",
    "{\"kind\":\"rect\",\"from\":[0.2,0.2],\"to\":[0.8,0.6],\"color\":\"#00ff00\",\"width\":0.02}",
    "{\"kind\":\"text\",\"at\":[0.1,0.3],\"text\":\"Hi\",\"color\":\"#00ff00\",\"width\":0.2}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"shapes\":[%s]}", kinds[i]);
      g_autoptr(JsonNode) node = parse (json);
      g_autoptr(TgDrawing) drawing = tg_drawing_new_from_json (node, NULL);
      g_assert_cmpuint (tg_drawing_get_n_shapes (drawing), ==, 1);

      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
      cairo_t *cr = cairo_create (surface);
      graphene_rect_t frame = GRAPHENE_RECT_INIT (100, 50, 200, 200);
      cairo_rectangle (cr, frame.origin.x, frame.origin.y, frame.size.width, frame.size.height);
      cairo_clip (cr);
      tg_drawing_paint (drawing, cr, &frame);
      cairo_destroy (cr);
      guint painted = count_surface (surface, 0x00ff00);
      g_test_message ("%s: %u pixels", kinds[i], painted);
      g_assert_cmpuint (painted, >, 50);
      cairo_surface_destroy (surface);
    }
}

/* A 400×200 grey picture as the video. */
static GdkPaintable *
grey_picture (void)
{
  gsize stride = 400 * 4;
  g_autofree guchar *data = g_malloc (stride * 200);
  memset (data, 0x80, stride * 200);
  g_autoptr(GBytes) bytes = g_bytes_new (data, stride * 200);
  return GDK_PAINTABLE (gdk_memory_texture_new (400, 200, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride));
}

static void
on_changed (TgVideoArea *area,
            guint       *count)
{
  (*count)++;
}

/* The picture is letterboxed; drags with each tool become shapes in
 * picture coordinates; undo and clear; the text tool. */
static void
test_video_area (void)
{
  GtkWidget *area = tg_video_area_new ();
  g_autoptr(GdkPaintable) picture = grey_picture ();
  tg_video_area_set_paintable (TG_VIDEO_AREA (area), picture);
  GtkWindow *window = th_player_window (area, 600, 600);
  guint changed = 0;
  g_signal_connect (area, "changed", G_CALLBACK (on_changed), &changed);

  graphene_rect_t frame;
  tg_video_area_get_frame_rect (TG_VIDEO_AREA (area), &frame);
  g_assert_cmpfloat_with_epsilon (frame.size.width, gtk_widget_get_width (area), 0.5);
  g_assert_cmpfloat_with_epsilon (frame.size.height, frame.size.width / 2, 0.5);
  g_assert_cmpfloat_with_epsilon (frame.origin.y, (gtk_widget_get_height (area) - frame.size.height) / 2, 0.5);

  /* Without a tool, nothing is drawn. */
  tg_video_area_pointer_begin (TG_VIDEO_AREA (area), 10, frame.origin.y + 10);
  tg_video_area_pointer_end (TG_VIDEO_AREA (area), 100, frame.origin.y + 50);
  TgDrawing *edit = tg_video_area_get_edit_drawing (TG_VIDEO_AREA (area));
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 0);

  /* An arrow from the picture's centre to its right edge (and beyond:
   * clamped). */
  tg_video_area_set_tool (TG_VIDEO_AREA (area), TG_TOOL_ARROW);
  double cx = frame.origin.x + frame.size.width / 2, cy = frame.origin.y + frame.size.height / 2;
  tg_video_area_pointer_begin (TG_VIDEO_AREA (area), cx, cy);
  tg_video_area_pointer_update (TG_VIDEO_AREA (area), cx + 20, cy);
  tg_video_area_pointer_end (TG_VIDEO_AREA (area), frame.origin.x + frame.size.width + 50, cy);
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 1);
  const TgShape *arrow = tg_drawing_get_shape (edit, 0);
  g_assert_cmpint (arrow->kind, ==, TG_SHAPE_ARROW);
  const graphene_point_t *pts = (const graphene_point_t *) (void *) arrow->points->data;
  g_assert_cmpfloat_with_epsilon (pts[0].x, 0.5, 0.01);
  g_assert_cmpfloat_with_epsilon (pts[0].y, 0.5, 0.01);
  g_assert_cmpfloat (pts[1].x, ==, 1.0);

  /* Freehand keeps every point; a line two. */
  tg_video_area_set_tool (TG_VIDEO_AREA (area), TG_TOOL_FREEHAND);
  tg_video_area_pointer_begin (TG_VIDEO_AREA (area), cx, cy);
  for (int i = 1; i <= 5; i++)
    tg_video_area_pointer_update (TG_VIDEO_AREA (area), cx + i * 5, cy + i * 3);
  tg_video_area_pointer_end (TG_VIDEO_AREA (area), cx + 30, cy + 18);
  g_assert_cmpuint (tg_drawing_get_shape (edit, 1)->points->len, >=, 6);
  tg_video_area_set_tool (TG_VIDEO_AREA (area), TG_TOOL_LINE);
  tg_video_area_pointer_begin (TG_VIDEO_AREA (area), cx, cy);
  for (int i = 1; i <= 5; i++)
    tg_video_area_pointer_update (TG_VIDEO_AREA (area), cx + i * 5, cy);
  tg_video_area_pointer_end (TG_VIDEO_AREA (area), cx + 30, cy);
  g_assert_cmpuint (tg_drawing_get_shape (edit, 2)->points->len, ==, 2);
  g_assert_cmpint (tg_drawing_get_shape (edit, 2)->kind, ==, TG_SHAPE_STROKE);

  /* Text at the pressed point. */
  tg_video_area_set_tool (TG_VIDEO_AREA (area), TG_TOOL_TEXT);
  tg_video_area_pointer_begin (TG_VIDEO_AREA (area), frame.origin.x, frame.origin.y);
  tg_video_area_add_text (TG_VIDEO_AREA (area), "  ");   /* nothing visible: refused */
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 3);
  tg_video_area_add_text (TG_VIDEO_AREA (area), "Hips");
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 4);
  g_assert_cmpstr (tg_drawing_get_shape (edit, 3)->text, ==, "Hips");
  tg_video_area_add_text (TG_VIDEO_AREA (area), "again");  /* one text per press */
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 4);
  g_assert_cmpuint (changed, ==, 4);

  /* Undo, then clear. */
  g_assert_true (tg_video_area_undo (TG_VIDEO_AREA (area)));
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 3);
  tg_video_area_clear_edit (TG_VIDEO_AREA (area));
  g_assert_cmpuint (tg_drawing_get_n_shapes (edit), ==, 0);
  g_assert_false (tg_video_area_undo (TG_VIDEO_AREA (area)));
  g_assert_cmpuint (changed, ==, 5 + 1);

  th_player_close (window);
}

/* Positions map to x and back, clamped to the video. */
static void
test_timeline (void)
{
  GtkWidget *timeline = tg_timeline_new ();
  GtkWindow *window = th_player_window (timeline, 800, 100);
  TgTimeline *t = TG_TIMELINE (timeline);
  tg_timeline_set_duration (t, 3000);
  for (gint64 ms = 0; ms <= 3000; ms += 250)
    g_assert_cmpint (ABS (tg_timeline_position_at (t, tg_timeline_x_of (t, ms)) - ms), <=, 5);
  g_assert_cmpint (tg_timeline_position_at (t, -100), ==, 0);
  g_assert_cmpint (tg_timeline_position_at (t, 10000), ==, 3000);
  g_assert_cmpfloat (tg_timeline_x_of (t, 0), <, tg_timeline_x_of (t, 1500));
  tg_timeline_add_marker (t, 500, -1);
  tg_timeline_add_marker (t, 1000, 2000);
  g_assert_cmpuint (tg_timeline_get_n_markers (t), ==, 2);
  tg_timeline_clear_markers (t);
  g_assert_cmpuint (tg_timeline_get_n_markers (t), ==, 0);
  th_player_close (window);
}

/* The German and French catalogs carry the player's texts. */
static void
test_translations (void)
{
  const char *dir = g_getenv ("TANDEM_LOCALEDIR");
  if (dir == NULL)
    {
      g_test_skip ("TANDEM_LOCALEDIR is not set");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (setlocale (LC_MESSAGES, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  struct { const char *language, *comments, *marked; } cases[] = {
    { "de", "Kommentare", "Als besprochen markieren" },
    { "fr", "Commentaires", "Marquer comme analysée" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_setenv ("LANGUAGE", cases[i].language, TRUE);
      setlocale (LC_MESSAGES, "C.UTF-8");
      textdomain (textdomain (NULL));       /* drops gettext's cached lookups */
      const char *comments = C_("player", "Comments");
      if (g_str_equal (comments, "Comments"))
        {
          g_test_skip ("this C library ignores LANGUAGE in the C.UTF-8 locale");
          break;
        }
      g_assert_cmpstr (comments, ==, cases[i].comments);
      g_assert_cmpstr (C_("player", "Mark Reviewed"), ==, cases[i].marked);
    }
  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, "C.UTF-8");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/player/time/format", test_time_format);
  g_test_add_func ("/player/drawing/json", test_drawing_json);
  g_test_add_func ("/player/drawing/lenient", test_drawing_lenient);
  g_test_add_func ("/player/drawing/paint", test_drawing_paint);
  g_test_add_func ("/player/video-area", test_video_area);
  g_test_add_func ("/player/timeline", test_timeline);
  g_test_add_func ("/player/translations", test_translations);
  return g_test_run ();
}
