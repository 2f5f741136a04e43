/* sd-request.h — what a handler sees of an HTTP request, and how it replies.
 *
 * An SdRequest lives from routing to reply on one worker thread.  Handlers
 * use the worker's database connection through sd_request_begin(); a
 * transaction still open when the request finishes is rolled back.
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sd-types.h"
#include "sd-config.h"
#include "store/sd-db.h"

G_BEGIN_DECLS

typedef enum {
  SD_ROLE_NONE = 0,
  SD_ROLE_STUDENT,
  SD_ROLE_EXPERT,
  SD_ROLE_ADMIN,
} SdRole;

SdRole      sd_role_from_string (const char *role);
const char *sd_role_to_string   (SdRole role);

/* Who is calling; filled from the session or API token. */
typedef struct {
  gboolean authenticated;
  char *user_id;
  char *org_id;
  char *session_id;
  char *email;
  char *name;
  char *language;
  char *time_zone;
  SdRole role;
  gboolean is_api_token;
  GStrv scopes;               /* API tokens only */
} SdAuth;

struct _SdRequest {
  SdServer *server;
  SdWorker *worker;
  SoupServerMessage *msg;
  const SdRoute *route;
  GHashTable *params;         /* path parameters */
  GHashTable *query;          /* query string, may be NULL */
  JsonObject *body;           /* validated JSON body, when the route declares one */
  SdAuth auth;
  char *client_ip;
  gint64 started_us;
  gboolean replied;
  gboolean paused;
  char *tx_org_id;            /* organization of the open transaction */
  gboolean outbox_written;    /* kick the outbox worker after commit */
  /* SD_ROUTE_STREAM_BODY routes (see SdRouteHooks) */
  gpointer stream_data;
  GDestroyNotify stream_data_free;
  GError *stream_error;       /* a failed stream_chunk, replied after the body */
};

/* ---- input ---- */
const char *sd_request_param      (SdRequest *req, const char *name);
const char *sd_request_query      (SdRequest *req, const char *name);
const char *sd_request_header     (SdRequest *req, const char *name);
/* The raw body (for non-JSON routes). */
GBytes     *sd_request_body_bytes (SdRequest *req);

/* ---- streamed bodies (SD_ROUTE_STREAM_BODY) ----
 * What the route's stream hooks keep between chunks; freed with @free when
 * the request finishes (or replaced by a later call). */
void        sd_request_set_stream_data (SdRequest *req, gpointer data, GDestroyNotify free);
gpointer    sd_request_stream_data     (SdRequest *req);

/* ---- context ---- */
const SdConfig *sd_request_config (SdRequest *req);
/* Where media bytes live (storage/sd-storage.h); shared by all threads. */
SdStorage  *sd_request_storage    (SdRequest *req);
SdDbConn   *sd_request_db         (SdRequest *req);
SdRateLimiter *sd_request_rate_limiter (SdRequest *req);
gint64      sd_request_now        (SdRequest *req);   /* unix seconds */

/* Begin a transaction as the caller's organization (NULL org for
 * unauthenticated routes that only use system queries). */
gboolean    sd_request_begin      (SdRequest *req, SdDbTxKind kind, GError **error);
gboolean    sd_request_begin_as   (SdRequest *req, SdDbTxKind kind, const char *org_id, GError **error);
gboolean    sd_request_commit     (SdRequest *req, GError **error);

/* Fails with 403 unless the caller's role is one of those given
 * (terminated by SD_ROLE_NONE). */
gboolean    sd_request_require_role (SdRequest *req, GError **error, ...);

/* ---- replies ---- */
/* Takes ownership of @object. */
void        sd_request_reply_json   (SdRequest *req, guint status, JsonObject *object);
void        sd_request_reply_bytes  (SdRequest *req, guint status, const char *content_type, GBytes *bytes);
void        sd_request_reply_empty  (SdRequest *req, guint status);
void        sd_request_reply_error  (SdRequest *req, const GError *error);
/* Like sd_request_reply_error() with {"error":{"code","message","details"}};
 * takes ownership of @details (may be NULL). */
void        sd_request_reply_error_details (SdRequest *req, const GError *error, JsonObject *details);
/* Adds a response header (before replying). */
void        sd_request_set_header   (SdRequest *req, const char *name, const char *value);

/* ---- deferred work ----
 * Run @work in a thread pool (it must not touch the database or the
 * message), then @done back on the request's worker thread, which replies.
 * The message is paused in between.  @data is freed with @free_data. */
typedef void     (*SdWorkFunc) (gpointer data);
void        sd_request_defer        (SdRequest     *req,
                                     SdWorkFunc     work,
                                     SdHandlerFunc  done,
                                     gpointer       data,
                                     GDestroyNotify free_data);
/* The @data of the deferred call, inside @done. */
gpointer    sd_request_defer_data   (SdRequest *req);

/* ---- pagination ----
 * ?limit= (1..100, default 50) and ?cursor= (opaque).  The cursor carries
 * the (created_at, id) of the last item of the previous page. */
typedef struct {
  gint64 limit;
  gint64 after_time;   /* -1 when no cursor */
  char *after_id;      /* the nil UUID when no cursor */
} SdPage;

gboolean    sd_page_parse   (SdRequest *req, SdPage *page, GError **error);
void        sd_page_clear   (SdPage *page);
/* Makes {"items": items, "next_cursor": …}; @more says whether a further
 * row exists (query LIMIT limit+1, and drop the extra item). */
JsonObject *sd_page_result  (JsonArray *items, gboolean more, gint64 last_time, const char *last_id);

/* Reply 200 with one page: items made by @item from the first
 * page->limit rows of @rows (queried with LIMIT limit+1), the cursor taken
 * from the last item's @time_column and "id". */
typedef JsonObject *(*SdPageItemFunc) (SdRequest *req, SdDbRows *rows, guint row, gpointer data);
void        sd_page_reply   (SdRequest      *req,
                             const SdPage   *page,
                             SdDbRows       *rows,
                             const char     *time_column,
                             SdPageItemFunc  item,
                             gpointer        data);

/* Insert an outbox row in the current transaction. */
gboolean    sd_request_outbox (SdRequest *req, const char *kind, JsonObject *payload, GError **error);

G_END_DECLS

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdPage, sd_page_clear)
