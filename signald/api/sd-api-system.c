/* sd-api-system.c — GET /health, GET /version, GET /openapi.json.
 *
 * The OpenAPI document is merged at first use from one fragment per family
 * (api/openapi/NAME.json in the GResource): base.json carries info and
 * components; each fragment carries "paths" (and may add "components"). */
#define G_LOG_DOMAIN "sd-api-system"

#include "api/sd-api.h"
#include "api/sd-openapi.h"
#include "sd-server.h"

#include <gio/gio.h>
#include <string.h>

static const char *const fragments[] = {
  "system", "auth", "users", "groups", "invitations", "uploads", "assets", "reviews", "videos", "coaching",
  "calls", NULL
};

static JsonObject *
load_fragment (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/io/github/tandem/signald/api/openapi/%s.json", name);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a JSON object", path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static void
merge_members (JsonObject *into,
               JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *existing = json_object_get_member (into, name);
      if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing) && JSON_NODE_HOLDS_OBJECT (node))
        merge_members (json_node_get_object (existing), json_node_get_object (node));
      else
        json_object_set_member (into, name, json_node_copy (node));
    }
}

char *
sd_openapi_document (GError **error)
{
  g_autoptr(JsonObject) doc = load_fragment ("base", error);
  if (doc == NULL)
    return NULL;
  for (guint i = 0; fragments[i] != NULL; i++)
    {
      g_autoptr(JsonObject) frag = load_fragment (fragments[i], error);
      if (frag == NULL)
        return NULL;
      merge_members (doc, frag);
    }
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, doc);
  return json_to_string (node, TRUE);
}

static GBytes *
openapi_bytes (void)
{
  static GBytes *cached;
  static gsize done;
  if (g_once_init_enter (&done))
    {
      g_autoptr(GError) error = NULL;
      char *text = sd_openapi_document (&error);
      if (text == NULL)
        g_critical ("cannot build the OpenAPI document: %s", error->message);
      else
        cached = g_bytes_new_take (text, strlen (text));
      g_once_init_leave (&done, 1);
    }
  return cached;
}

static gboolean
handle_openapi (SdRequest  *req,
                GError    **error)
{
  GBytes *bytes = openapi_bytes ();
  if (bytes == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "the API description is unavailable");
      return FALSE;
    }
  sd_request_reply_bytes (req, 200, "application/json", bytes);
  return TRUE;
}

static gboolean
handle_health (SdRequest  *req,
               GError    **error)
{
  g_autoptr(GError) db_error = NULL;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), &db_error, "SELECT 1 AS ok", NULL);
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "status", rows != NULL ? "ok" : "unavailable");
  json_object_set_string_member (o, "database", rows != NULL ? "ok" : "unreachable");
  json_object_set_int_member (o, "schema_version",
                              sd_db_schema_version (sd_server_get_db (req->server)));
  if (db_error != NULL)
    g_warning ("health check: %s", db_error->message);
  sd_request_reply_json (req, rows != NULL ? 200 : 503, o);
  return TRUE;
}

static gboolean
handle_version (SdRequest  *req,
                GError    **error)
{
  static GBytes *body;
  static gsize done;
  if (g_once_init_enter (&done))
    {
      static const char text[] = "{\"name\":\"signald\",\"version\":\"" PACKAGE_VERSION "\"}";
      body = g_bytes_new_static (text, sizeof text - 1);
      g_once_init_leave (&done, 1);
    }
  soup_server_message_set_status (req->msg, 200, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_STATIC,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  req->replied = TRUE;
  return TRUE;
}

const SdRoute sd_api_system_routes[] = {
  { "GET", "/health", handle_health, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { "GET", "/version", handle_version, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { "GET", "/openapi.json", handle_openapi, SD_ROUTE_PUBLIC, NULL, 0, NULL },
  { NULL }
};
