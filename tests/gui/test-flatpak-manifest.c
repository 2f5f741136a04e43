/* test-flatpak-manifest.c MANIFEST — flatpak/io.github.tandem.Tandem.json
 * parses as JSON and says what the app needs: the GNOME runtime, the
 * command, the sandbox holes (network, display, the secret service for the
 * keyring), and the module that builds Tandem with meson (client only).
 * It cannot be built here (no runtime), so this is what can be checked. */
#include <json-glib/json-glib.h>

static const char *manifest;
static JsonObject *root;

static gboolean
array_has (JsonArray  *array,
           const char *text)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_app (void)
{
  g_assert_cmpstr (json_object_get_string_member (root, "app-id"), ==, "io.github.tandem.Tandem");
  g_assert_cmpstr (json_object_get_string_member (root, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (root, "sdk"), ==, "org.gnome.Sdk");
  g_assert_cmpint (g_ascii_strtoll (json_object_get_string_member (root, "runtime-version"), NULL, 10), >=, 45);
  g_assert_cmpstr (json_object_get_string_member (root, "command"), ==, "tandem");
}

static void
test_finish_args (void)
{
  JsonArray *args = json_object_get_array_member (root, "finish-args");
  const char *needed[] = {
    "--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
    "--device=dri", "--socket=pulseaudio", "--talk-name=org.freedesktop.secrets",
    /* calls: the camera (v4l2 devices) */
    "--device=all",
  };
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!array_has (args, needed[i]))
      g_error ("finish-args lacks %s", needed[i]);
  /* No blanket access to the home directory: files come through the portal. */
  g_assert_false (array_has (args, "--filesystem=home"));
  g_assert_false (array_has (args, "--filesystem=host"));
}

static void
test_modules (void)
{
  JsonArray *modules = json_object_get_array_member (root, "modules");
  JsonObject *tandem = NULL;

  g_assert_nonnull (modules);
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      JsonObject *module = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member (module, "name"), "tandem") == 0)
        tandem = module;
    }
  g_assert_nonnull (tandem);
  /* The app is the last module, built with meson from this checkout. */
  JsonObject *last = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_true (last == tandem);
  g_assert_cmpstr (json_object_get_string_member (tandem, "buildsystem"), ==, "meson");
  JsonArray *opts = json_object_get_array_member (tandem, "config-opts");
  g_assert_true (array_has (opts, "-Dsignald=disabled"));
  JsonArray *sources = json_object_get_array_member (tandem, "sources");
  g_assert_nonnull (sources);
  g_assert_cmpuint (json_array_get_length (sources), >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  manifest = argv[1];

  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  if (!json_parser_load_from_file (parser, manifest, &error))
    g_error ("%s is not JSON: %s", manifest, error->message);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));

  g_test_add_func ("/Flatpak/app", test_app);
  g_test_add_func ("/Flatpak/finish-args", test_finish_args);
  g_test_add_func ("/Flatpak/modules", test_modules);
  return g_test_run ();
}
