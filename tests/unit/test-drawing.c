/* test-drawing.c — review drawings: every kind accepted in canonical form,
 * and each kind of mistake refused with a message naming its path. */
#include "api/sd-drawing.h"
#include "tandem-error.h"

#include <string.h>

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Canonical form of @text, which must be valid. */
static char *
canonical (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(GError) error = NULL;
  char *out = sd_drawing_canonicalize (node, "drawing", &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

/* @text as json-glib writes it (numbers in its own notation). */
static char *
as_written (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);
  return json_to_string (node, FALSE);
}

/* @text must be refused with a message that starts with "@path: ". */
static void
assert_refused (const char *text,
                const char *path)
{
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = sd_drawing_canonicalize (node, "drawing", &error);
  g_assert_null (out);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST);
  g_autofree char *prefix = g_strconcat (path, ": ", NULL);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("%s: expected the message to name “%s”, got “%s”", text, path, error->message);
}

static void
test_canonical (void)
{
  /* Every kind; members in a fixed order, numbers rounded to 4 decimals,
   * integers as numbers, colours lowercased. */
  g_autofree char *all = canonical (
    "{\"shapes\":["
    "{\"points\":[[0,0],[0.123456,1],[1,0.5]],\"kind\":\"stroke\",\"width\":0.01,\"color\":\"#FF8800\"},"
    "{\"kind\":\"arrow\",\"to\":[0.9,0.1],\"from\":[0.1,0.9]},"
    "{\"kind\":\"circle\",\"from\":[0.25,0.25],\"to\":[0.75,0.75],\"color\":\"#00ff00\"},"
    "{\"kind\":\"rect\",\"from\":[0.1,0.2],\"to\":[0.3,0.4],\"width\":0.25},"
    "{\"kind\":\"text\",\"at\":[0.5,0.5],\"text\":\"Knee\\nover toe\",\"width\":0.05}"
    "]}");
  g_autofree char *expected = as_written (
    "{\"shapes\":["
    "{\"kind\":\"stroke\",\"points\":[[0.0,0.0],[0.1235,1.0],[1.0,0.5]],\"color\":\"#ff8800\",\"width\":0.01},"
    "{\"kind\":\"arrow\",\"from\":[0.1,0.9],\"to\":[0.9,0.1]},"
    "{\"kind\":\"circle\",\"from\":[0.25,0.25],\"to\":[0.75,0.75],\"color\":\"#00ff00\"},"
    "{\"kind\":\"rect\",\"from\":[0.1,0.2],\"to\":[0.3,0.4],\"width\":0.25},"
    "{\"kind\":\"text\",\"at\":[0.5,0.5],\"text\":\"Knee\\nover toe\",\"width\":0.05}"
    "]}");
  g_assert_cmpstr (all, ==, expected);

  /* Canonical text is a fixed point, and parses back. */
  g_autofree char *again = canonical (all);
  g_assert_cmpstr (again, ==, all);
  g_autoptr(JsonNode) back = sd_drawing_parse (all);
  g_assert_nonnull (back);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (back));
  g_assert_null (sd_drawing_parse (NULL));

  g_autofree char *empty = canonical ("{\"shapes\":[]}");
  g_assert_cmpstr (empty, ==, "{\"shapes\":[]}");
  g_autofree char *dot = canonical ("{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[1,1]]}]}");
  g_assert_cmpstr (dot, ==, "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[1.0,1.0]]}]}");
}

static void
test_refused (void)
{
  struct { const char *text; const char *path; } cases[] = {
    /* the drawing itself */
    { "[]", "drawing" },
    { "\"circle\"", "drawing" },
    { "{}", "drawing.shapes" },
    { "{\"shapes\":{}}", "drawing.shapes" },
    { "{\"shapes\":[],\"version\":2}", "drawing.version" },
    /* shapes */
    { "{\"shapes\":[5]}", "drawing.shapes[0]" },
    { "{\"shapes\":[{\"points\":[[0,0]]}]}", "drawing.shapes[0].kind" },
    { "{\"shapes\":[{\"kind\":\"star\"}]}", "drawing.shapes[0].kind" },
    { "{\"shapes\":[{\"kind\":7}]}", "drawing.shapes[0].kind" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1],\"head\":3}]}", "drawing.shapes[0].head" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1]},{\"kind\":\"text\",\"at\":[0,0],\"text\":\"x\",\"points\":[]}]}",
      "drawing.shapes[1].points" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0]}]}", "drawing.shapes[0].to" },
    { "{\"shapes\":[{\"kind\":\"text\",\"text\":\"hi\"}]}", "drawing.shapes[0].at" },
    /* points */
    { "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[]}]}", "drawing.shapes[0].points" },
    { "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[0.5,0.5]}]}", "drawing.shapes[0].points[0]" },
    { "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[0,0],[0,0],[0,0],[0,0],[0,0],[0,0],[0,0],[1.5,0]]}]}",
      "drawing.shapes[0].points[7]" },
    { "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[0,-0.1]]}]}", "drawing.shapes[0].points[0]" },
    { "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[0,0,0]]}]}", "drawing.shapes[0].points[0]" },
    { "{\"shapes\":[{\"kind\":\"stroke\",\"points\":[[\"0\",0]]}]}", "drawing.shapes[0].points[0]" },
    { "{\"shapes\":[{\"kind\":\"circle\",\"from\":[0,0],\"to\":null}]}", "drawing.shapes[0].to" },
    { "{\"shapes\":[{\"kind\":\"rect\",\"from\":{\"x\":0,\"y\":0},\"to\":[1,1]}]}", "drawing.shapes[0].from" },
    /* text */
    { "{\"shapes\":[{\"kind\":\"text\",\"at\":[0,0],\"text\":\"  \"}]}", "drawing.shapes[0].text" },
    { "{\"shapes\":[{\"kind\":\"text\",\"at\":[0,0],\"text\":\"a\\u0007b\"}]}", "drawing.shapes[0].text" },
    { "{\"shapes\":[{\"kind\":\"text\",\"at\":[0,0],\"text\":3}]}", "drawing.shapes[0].text" },
    /* colour and width */
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1],\"color\":\"red\"}]}", "drawing.shapes[0].color" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1],\"color\":\"#12345g\"}]}", "drawing.shapes[0].color" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1],\"width\":0}]}", "drawing.shapes[0].width" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1],\"width\":0.3}]}", "drawing.shapes[0].width" },
    { "{\"shapes\":[{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1],\"width\":\"thin\"}]}", "drawing.shapes[0].width" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].text, cases[i].path);
}

/* A drawing made of @shapes copies of @shape. */
static char *
repeat (const char *shape,
        guint       shapes)
{
  GString *s = g_string_new ("{\"shapes\":[");
  for (guint i = 0; i < shapes; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "," : "", shape);
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static char *
stroke (guint points)
{
  GString *s = g_string_new ("{\"kind\":\"stroke\",\"points\":[");
  for (guint i = 0; i < points; i++)
    g_string_append_printf (s, "%s[0.5,0.5]", i > 0 ? "," : "");
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static void
test_limits (void)
{
  const char *arrow = "{\"kind\":\"arrow\",\"from\":[0,0],\"to\":[1,1]}";
  g_autofree char *max_shapes = repeat (arrow, SD_DRAWING_MAX_SHAPES);
  g_free (canonical (max_shapes));
  g_autofree char *too_many = repeat (arrow, SD_DRAWING_MAX_SHAPES + 1);
  assert_refused (too_many, "drawing.shapes");

  g_autofree char *long_stroke = stroke (SD_DRAWING_MAX_STROKE_POINTS);
  g_autofree char *one_long = repeat (long_stroke, 1);
  g_free (canonical (one_long));
  g_autofree char *too_long = stroke (SD_DRAWING_MAX_STROKE_POINTS + 1);
  g_autofree char *one_too_long = repeat (too_long, 1);
  assert_refused (one_too_long, "drawing.shapes[0].points");

  /* Ten full strokes reach the total; the eleventh is refused. */
  guint full = SD_DRAWING_MAX_TOTAL_POINTS / SD_DRAWING_MAX_STROKE_POINTS;
  g_autofree char *at_total = repeat (long_stroke, full);
  g_free (canonical (at_total));
  g_autofree char *over_total = repeat (long_stroke, full + 1);
  g_autofree char *over_path = g_strdup_printf ("drawing.shapes[%u].points", full);
  assert_refused (over_total, over_path);

  /* Text: 500 characters (not bytes) fit, 501 do not. */
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < SD_DRAWING_MAX_TEXT_CHARS; i++)
    g_string_append (text, "é");
  g_autofree char *fits = g_strdup_printf ("{\"shapes\":[{\"kind\":\"text\",\"at\":[0,0],\"text\":\"%s\"}]}", text->str);
  g_free (canonical (fits));
  g_string_append (text, "é");
  g_autofree char *too_much = g_strdup_printf ("{\"shapes\":[{\"kind\":\"text\",\"at\":[0,0],\"text\":\"%s\"}]}", text->str);
  assert_refused (too_much, "drawing.shapes[0].text");
  g_string_free (text, TRUE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Drawing/canonical", test_canonical);
  g_test_add_func ("/Drawing/refused", test_refused);
  g_test_add_func ("/Drawing/limits", test_limits);
  return g_test_run ();
}
