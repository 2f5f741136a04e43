/* sd-sweeper.h — deletes unfinished uploads past their expiry
 * (uploads.expires_at, --upload-expiry) with their videos, files and
 * reserved quota, on a thread of its own: at start and then every
 * config->upload_sweep_interval_s. */
#pragma once

#include "sd-types.h"
#include "store/sd-db.h"

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdSweeper SdSweeper;

SdSweeper *sd_sweeper_new      (SdServer   *server);
gboolean   sd_sweeper_start    (SdSweeper  *sweeper,
                                GError    **error);
/* Stop the thread and wait for it; safe to call twice. */
void       sd_sweeper_stop     (SdSweeper  *sweeper);
void       sd_sweeper_free     (SdSweeper  *sweeper);

/* One pass on the calling thread with @conn: returns the number of uploads
 * deleted. */
guint      sd_sweeper_run_once (SdSweeper  *sweeper,
                                SdDbConn   *conn);

G_END_DECLS
