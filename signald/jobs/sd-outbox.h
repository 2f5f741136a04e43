/* sd-outbox.h — the outbox worker: a thread that delivers outbox rows
 * (e-mails now; webhooks later) after the transaction that wrote them
 * committed, retrying with backoff when delivery fails.
 *
 * Row kinds and payloads:
 *   "mail"  {"to","to_name"?,"subject","text","html"?,
 *            "attachments"?:[{"filename"?,"content_type"?,"text"|"base64"}]}
 *           "text" is the attachment's UTF-8 content as is, "base64" binary
 *           content; a "text/calendar; method=…" attachment is also the
 *           body's calendar alternative (see SdMailAttachment).
 */
#pragma once

#include "sd-types.h"
#include "store/sd-db.h"

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

SdOutbox *sd_outbox_new   (SdServer  *server,
                           GError   **error);
gboolean  sd_outbox_start (SdOutbox  *outbox,
                           GError   **error);
/* Deliver pending rows now rather than at the next poll.  Thread-safe. */
void      sd_outbox_kick  (SdOutbox  *outbox);
/* Stop the thread and wait for it; safe to call twice. */
void      sd_outbox_stop  (SdOutbox  *outbox);
void      sd_outbox_free  (SdOutbox  *outbox);

/* Insert an outbox row of @kind for @org_id in @conn's open transaction
 * (due at once: next_attempt_at = @now).  Does not wake the worker: call
 * sd_server_kick_outbox() after the commit. */
gboolean  sd_outbox_insert (SdDbConn    *conn,
                            const char  *org_id,
                            const char  *kind,
                            JsonObject  *payload,
                            gint64       now,
                            GError     **error);

/* Process every due row once, on the calling thread, with @conn.  Returns
 * the number of rows delivered.  For tests and the internal cron route. */
guint     sd_outbox_run_once (SdOutbox *outbox,
                              gpointer  conn);

G_END_DECLS
