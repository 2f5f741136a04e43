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

struct _SdServer {
  SdConfig *config;
  SdDb *db;
  SdRateLimiter *limiter;
  SdOutbox *outbox;
  SdStorage *storage;        /* DATA_DIR/media */
  GBytes *url_secret;        /* signs playback URLs (auth/sd-url-sign.h) */
  SdMediaJobs *media_jobs;
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
