/* th-json.h — reading test replies: a node at a dotted path. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The node at @path below @root ("user.id", "items.0.name"), or NULL when
 * a step is missing.  Array steps are decimal indices. */
JsonNode *th_json_node_at (JsonNode   *root,
                           const char *path);

G_END_DECLS
