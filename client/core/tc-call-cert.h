/* tc-call-cert.h — the DTLS certificate of calls, made before the call.
 *
 * webrtcbin's DTLS elements generate one RSA certificate per process, the
 * first time a DTLS decoder is created, and share it from then on.  That
 * generation takes 250–450 ms here, which would otherwise sit between
 * "join" and the first remote frame.  tc_call_cert_warm_up() makes it
 * happen early, on a thread of its own. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts generating the process's DTLS certificate on a worker thread and
 * returns at once; later calls do nothing.  GStreamer must be initialized.
 * A DTLS element created meanwhile waits for the same certificate instead
 * of making a second one.  Never fails (without the DTLS plugin there is
 * nothing to warm, and the call itself reports the missing plugin). */
void     tc_call_cert_warm_up (void);

/* Waits until the certificate exists, at most @timeout_ms; TRUE when it
 * does.  For benchmarks and tests that want a warm start. */
gboolean tc_call_cert_wait    (guint timeout_ms);

G_END_DECLS
