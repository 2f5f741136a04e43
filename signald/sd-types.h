/* sd-types.h — forward declarations shared by signald's modules. */
#pragma once

#include <glib.h>

typedef struct _SdServer       SdServer;
typedef struct _SdWorker       SdWorker;
typedef struct _SdRequest      SdRequest;
typedef struct _SdRoute        SdRoute;
typedef struct _SdRateLimiter  SdRateLimiter;
typedef struct _SdMailer       SdMailer;
typedef struct _SdOutbox       SdOutbox;
typedef struct _SdStorage      SdStorage;
typedef struct _SdHttp1Conn    SdHttp1Conn;

/* A route handler: returns TRUE when it has replied (or deferred its reply
 * with sd_request_defer); FALSE with @error set to reply with that error. */
typedef gboolean (*SdHandlerFunc) (SdRequest *req, GError **error);
