/* sd-openapi.h — the merged OpenAPI 3.1 document served at /openapi.json. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The whole document as pretty JSON, or NULL with @error set. */
char *sd_openapi_document (GError **error);

G_END_DECLS
