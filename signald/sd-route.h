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
  SD_ROUTE_STREAM_BODY   = 1 << 4,  /* the body is never held in memory: it goes chunk by
                                       chunk to hooks->stream_chunk (tus PATCH); needs hooks
                                       and SD_ROUTE_NO_BODY_CHECK; the body limit is
                                       max_body, else the configured upload size limit */
} SdRouteFlags;

/* Optional per-route hooks around the handler. */
typedef struct {
  /* Runs right after the route matched, before authentication, for every
   * request of the route: protocol checks and headers that every reply
   * carries (tus: Tus-Resumable).  FALSE with @error replies that error. */
  gboolean (*before)       (SdRequest *req, GError **error);

  /* SD_ROUTE_STREAM_BODY routes.  stream_begin runs once the headers are
   * in and the caller is authenticated, before any body byte is read: it
   * checks the request and sets up where the bytes go
   * (sd_request_set_stream_data).  Failing replies at once; the body is
   * then read and dropped.  It does not run for bodies announced as empty:
   * the handler must cope with no stream data. */
  gboolean (*stream_begin) (SdRequest *req, GError **error);
  /* Each piece of the body, in order, on the worker thread.  After a
   * failure no more pieces come, and the request replies with that error
   * once the body has been read (the handler is not called). */
  gboolean (*stream_chunk) (SdRequest *req, GBytes *chunk, GError **error);
  /* The connection ended before the body did (the handler will not run):
   * keep what can be kept.  The stream data is freed afterwards. */
  void     (*stream_abort) (SdRequest *req);
} SdRouteHooks;


struct _SdRoute {
  const char *method;          /* "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"
                                  (HEAD also matches GET routes) */
  const char *pattern;         /* "/groups/{id}/members/{user_id}"; {…} segments must be UUIDs
                                  unless named {code} or ending in "_name" */
  SdHandlerFunc handler;
  SdRouteFlags flags;
  const SdField *body;         /* JSON body fields, or NULL when the route takes no JSON body */
  gsize max_body;              /* bytes; 0 = the server's default */
  const char *scope;           /* API token scope needed: "read", "write", "admin"; NULL = by method */
  const SdRouteHooks *hooks;   /* NULL for none */
};

/* Families, in sd-api-*.c */
extern const SdRoute sd_api_system_routes[];
extern const SdRoute sd_api_auth_routes[];
extern const SdRoute sd_api_users_routes[];
extern const SdRoute sd_api_groups_routes[];
extern const SdRoute sd_api_invitations_routes[];
extern const SdRoute sd_api_videos_routes[];
extern const SdRoute sd_api_uploads_routes[];
extern const SdRoute sd_api_assets_routes[];
extern const SdRoute sd_api_reviews_routes[];
extern const SdRoute sd_api_finalize_routes[];
extern const SdRoute sd_api_calls_routes[];
extern const SdRoute sd_api_coaching_types_routes[];
extern const SdRoute sd_api_availability_routes[];
extern const SdRoute sd_api_coaching_blocked_routes[];
extern const SdRoute sd_api_coaching_experts_routes[];
extern const SdRoute sd_api_slots_routes[];
extern const SdRoute sd_api_bookings_routes[];

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
