/* test-openapi.c — every route of every family is described in
 * /openapi.json, and every described operation has a route. */
#include "api/sd-openapi.h"
#include "sd-resources.h"
#include "sd-route.h"

#include <json-glib/json-glib.h>

static JsonObject *
load_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sd_openapi_document (&error);
  g_assert_no_error (error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_every_route_documented (void)
{
  g_autoptr(JsonObject) doc = load_document ();
  g_assert_cmpstr (json_object_get_string_member (doc, "openapi"), ==, "3.1.0");
  JsonObject *paths = json_object_get_object_member (doc, "paths");
  guint n = 0;

  for (guint f = 0; sd_api_families[f] != NULL; f++)
    for (const SdRoute *r = sd_api_families[f]; r->pattern != NULL; r++)
      {
        g_autofree char *method = g_ascii_strdown (r->method, -1);
        JsonObject *item = json_object_has_member (paths, r->pattern)
                           ? json_object_get_object_member (paths, r->pattern) : NULL;
        if (item == NULL || !json_object_has_member (item, method))
          g_error ("%s %s is not described in the OpenAPI document", r->method, r->pattern);
        JsonObject *op = json_object_get_object_member (item, method);
        g_assert_true (json_object_has_member (op, "summary"));
        g_assert_true (json_object_has_member (op, "responses"));
        /* Routes without authentication say so. */
        if (!(r->flags & (SD_ROUTE_AUTH)))
          g_assert_true (json_object_has_member (op, "security"));
        n++;
      }
  g_assert_cmpuint (n, >, 10);
}

static void
test_no_stale_operations (void)
{
  g_autoptr(JsonObject) doc = load_document ();
  JsonObject *paths = json_object_get_object_member (doc, "paths");
  JsonObjectIter iter;
  const char *path;
  JsonNode *node;

  json_object_iter_init (&iter, paths);
  while (json_object_iter_next (&iter, &path, &node))
    {
      JsonObjectIter ops;
      const char *method;
      json_object_iter_init (&ops, json_node_get_object (node));
      while (json_object_iter_next (&ops, &method, NULL))
        {
          if (g_str_equal (method, "parameters"))
            continue;
          g_autofree char *upper = g_ascii_strup (method, -1);
          gboolean found = FALSE;
          for (guint f = 0; sd_api_families[f] != NULL && !found; f++)
            for (const SdRoute *r = sd_api_families[f]; r->pattern != NULL && !found; r++)
              found = g_str_equal (r->pattern, path) && g_str_equal (r->method, upper);
          if (!found)
            g_error ("the OpenAPI document describes %s %s, which no route serves", upper, path);
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_register_resource ();
  g_test_add_func ("/OpenApi/every-route-documented", test_every_route_documented);
  g_test_add_func ("/OpenApi/no-stale-operations", test_no_stale_operations);
  return g_test_run ();
}
