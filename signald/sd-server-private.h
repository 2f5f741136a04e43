/* sd-server-private.h — the server's and workers' insides, shared by
 * sd-server.c and sd-request.c only. */
#pragma once

#include <libsoup/soup.h>

#include "sd-server.h"
#include "sd-request.h"
#include "sd-route.h"
#include "sd-ratelimit.h"
#include "jobs/sd-media-jobs.h"
#include "storage/sd-storage.h"
#include "sd-log.h"
#include "jobs/sd-sweeper.h"
#include "rtc/sd-call-hub.h"
#include "rtc/sd-ws.h"

struct _SdServer {
  SdConfig *config;
  SdDb *db;
  SdRateLimiter *limiter;
  SdOutbox *outbox;
  SdStorage *storage;        /* DATA_DIR/media */
  GBytes *url_secret;        /* signs playback URLs (auth/sd-url-sign.h) */
  SdMediaJobs *media_jobs;
  SdSweeper *sweeper;        /* expired uploads */
  SdCallHub *calls;          /* call rooms of /ws, shared by the workers */
  GPtrArray *workers;        /* SdWorker */
  guint16 port;
  char *url;
  gboolean running;
};

struct _SdWorker {
  SdServer *server;
  guint index;
  GSocket *socket;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  SdDbConn *db;
  SdLog *log;                /* request log buffer, NULL when not logging */
  SdWs *ws;                  /* this worker's /ws sockets */
  /* start-up handshake */
  GMutex lock;
  GCond cond;
  gboolean started;
  GError *start_error;
};

/* sd-request.c */
SdRequest *sd_request_new      (SdWorker *worker, SoupServerMessage *msg);
/* Frees @req; rolls back an open transaction; logs the request. */
void       sd_request_finish   (SdRequest *req);
void       sd_request_dispatch (SdRequest *req);
/* Route match (404/405), the route's before hook, authentication (401) and
 * token scope (403); fills req->route, params and auth. */
gboolean   sd_request_route    (SdRequest *req, GError **error);

/* sd-request-stream.c: bodies of SD_ROUTE_STREAM_BODY routes.
 * From the early handler: turns off body accumulation, routes and
 * authenticates the request and runs its stream_begin hook, replying at once
 * on failure; else the request waits on @msg for its body. */
void       sd_request_stream_begin (SdWorker *worker, SoupServerMessage *msg);
/* From the request handler: the request that stream_begin made for @msg,
 * or NULL. */
SdRequest *sd_request_stream_take  (SoupServerMessage *msg);
