/* sd-route.h — the routing table: what each API family declares.
 *
 * Each family (api/sd-api-*.c) exports a NULL-terminated array of SdRoute.
 * The server matches "METHOD /path/{param}/…", checks authentication, scopes
 * and the body against the route's field table before calling the handler.
 */
#pragma once

#include "sd-json.h"
#include "sd-types.h"

G_BEGIN_DECLS

typedef enum {
  SD_ROUTE_PUBLIC        = 0,       /* no authentication needed */
  SD_ROUTE_AUTH          = 1 << 0,  /* a session or API token is required */
  SD_ROUTE_SESSION_ONLY  = 1 << 1,  /* API tokens are refused (token management, password) */
  SD_ROUTE_NO_BODY_CHECK = 1 << 2,  /* the body is not JSON (images, uploads) */
  SD_ROUTE_OPTIONAL_AUTH = 1 << 3,  /* a token is read when present, not required */
} SdRouteFlags;


struct _SdRoute {
  const char *method;          /* "GET", "POST", "PATCH", "PUT", "DELETE" */
  const char *pattern;         /* "/groups/{id}/members/{user_id}"; {…} segments must be UUIDs
                                  unless named {code} or ending in "_name" */
  SdHandlerFunc handler;
  SdRouteFlags flags;
  const SdField *body;         /* JSON body fields, or NULL when the route takes no JSON body */
  gsize max_body;              /* bytes; 0 = the server's default */
  const char *scope;           /* API token scope needed: "read", "write", "admin"; NULL = by method */
};

/* Families, in sd-api-*.c */
extern const SdRoute sd_api_system_routes[];
extern const SdRoute sd_api_auth_routes[];
extern const SdRoute sd_api_users_routes[];
extern const SdRoute sd_api_groups_routes[];
extern const SdRoute sd_api_invitations_routes[];
extern const SdRoute sd_api_videos_routes[];

/* All families, NULL-terminated, for the server, the OpenAPI test and the fuzzer. */
extern const SdRoute *const sd_api_families[];

/* Match @method and @path against every family.  On a match, returns the
 * route and fills @params (name -> value, newly allocated strings).  When
 * the path matches but not the method, returns NULL and sets
 * *@path_matched. */
const SdRoute *sd_route_match (const char  *method,
                               const char  *path,
                               GHashTable  *params,
                               gboolean    *path_matched);

G_END_DECLS
