/* sd-server.h — signald's HTTP front: one SoupServer per worker thread,
 * each with its own GMainContext and database connection, all listening on
 * the same port through SO_REUSEPORT sockets, so every core serves. */
#pragma once

#include "sd-config.h"
#include "sd-types.h"
#include "rtc/sd-call-hub.h"
#include "store/sd-db.h"
#include "storage/sd-storage.h"

G_BEGIN_DECLS

/* Takes ownership of @config.  Opens the database (migrating it).  */
SdServer      *sd_server_new           (SdConfig  *config,
                                        GError   **error);
/* Binds the listening sockets and starts the workers and background jobs.
 * When it returns TRUE the server answers requests. */
gboolean       sd_server_start         (SdServer  *server,
                                        GError   **error);
/* The port actually bound (useful with port 0). */
guint16        sd_server_get_port      (SdServer  *server);
/* "http://127.0.0.1:PORT" of the bound socket. */
const char    *sd_server_get_url       (SdServer  *server);
/* Stops workers and jobs; waits for them.  Safe to call twice. */
void           sd_server_stop          (SdServer  *server);
void           sd_server_free          (SdServer  *server);

const SdConfig *sd_server_get_config   (SdServer  *server);
SdDb          *sd_server_get_db        (SdServer  *server);
SdRateLimiter *sd_server_get_limiter   (SdServer  *server);
/* Media storage (DATA_DIR/media); for background jobs. */
SdStorage     *sd_server_get_storage   (SdServer  *server);
/* Wakes the outbox worker (after a commit that wrote outbox rows). */
void           sd_server_kick_outbox   (SdServer  *server);
/* The secret that signs playback URLs. */
GBytes        *sd_server_get_url_secret (SdServer *server);
/* The call rooms of /ws (rtc/sd-call-hub.h), shared by all workers. */
SdCallHub     *sd_server_get_call_hub  (SdServer *server);
/* Wakes the media worker (after a commit that moved a video to 'processing'). */
void           sd_server_kick_media_jobs (SdServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdServer, sd_server_free)

G_END_DECLS
