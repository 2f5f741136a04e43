/* tc-tus.h — a tus 1.0 client (https://tus.io/protocols/resumable-upload):
 * the core protocol (HEAD for the offset, PATCH to append), and the
 * creation, termination and checksum extensions.
 *
 * Tandem's POST /assets already creates one upload per file and hands out
 * its URL, so the usual path is tc_tus_client_upload_file() on that URL;
 * tc_tus_client_create() serves any other tus server.
 *
 * A file is sent in chunks (8 MiB by default) read from disk one at a
 * time, each PATCH carrying "Upload-Checksum: sha1 …".  When the link
 * drops or the server answers 5xx/409/423/460, the client waits (backoff
 * doubling from 0.5 s up to 30 s), asks the server for its offset again
 * with HEAD and carries on from there; it gives up after a number of
 * failures in a row without progress.  A server that refuses a chunk as
 * too large (413) gets half-size chunks.
 *
 * The bearer token of the TandemApiClient is sent only to URLs on the same
 * origin (scheme, host, port) as its server, so an upload URL cannot lead
 * the token elsewhere.  Relative URLs are resolved against the server.
 *
 * Errors: TANDEM_ERROR (the server's code and message when it sent a JSON
 * error, TANDEM_ERROR_NETWORK when it stayed unreachable, TANDEM_ERROR_GONE
 * when the upload no longer exists, TANDEM_ERROR_CONFLICT when the file's
 * size is not the upload's), G_IO_ERROR for the local file, and
 * G_IO_ERROR_CANCELLED.
 *
 * No GTK.  Configure a client before its first request; after that the
 * blocking calls may run on any thread (the desktop app runs them through
 * the _async forms).
 */
#pragma once

#include "tandem-api-client.h"

G_BEGIN_DECLS

#define TC_TUS_DEFAULT_CHUNK_SIZE (8 * 1024 * 1024)
#define TC_TUS_MIN_CHUNK_SIZE     (64 * 1024)

/* Where an upload stands. */
typedef struct {
  guint64 offset;        /* bytes the server acknowledged plus those of the chunk on the wire */
  guint64 length;        /* the upload's length */
  double  rate;          /* bytes per second sent in this run, smoothed; 0 while unknown */
  gint64  eta_seconds;   /* time left at that rate, -1 while unknown */
  guint   retry;         /* failures in a row (0 while all goes well) */
  const char *retry_reason; /* why the last attempt failed, while retry > 0 */
} TcTusProgress;

/* Called as the upload moves: after every chunk, while a chunk goes out,
 * and before each retry. */
typedef void (*TcTusProgressFunc) (const TcTusProgress *progress,
                                   gpointer             user_data);

#define TC_TYPE_TUS_CLIENT (tc_tus_client_get_type ())

G_DECLARE_FINAL_TYPE (TcTusClient, tc_tus_client, TC, TUS_CLIENT, GObject)

/* A client for uploads on @api's server, with @api's token (read now).
 * Never fails. */
TcTusClient *tc_tus_client_new              (TandemApiClient *api);

/* Chunk size in bytes (at least TC_TUS_MIN_CHUNK_SIZE). */
void         tc_tus_client_set_chunk_size   (TcTusClient *self,
                                             gsize        bytes);
/* At most @bytes_per_second on average (0: no limit, the default). */
void         tc_tus_client_set_rate_limit   (TcTusClient *self,
                                             guint64      bytes_per_second);
/* Gives up after @max_failures failures in a row (default 8); the first
 * wait is @first_delay_ms (default 500), doubling up to 30 s. */
void         tc_tus_client_set_retry        (TcTusClient *self,
                                             guint        max_failures,
                                             guint        first_delay_ms);

/* @url resolved against the server; NULL when it is not an http(s) URL.
 * Free with g_free(). */
char        *tc_tus_client_resolve          (TcTusClient *self,
                                             const char  *url);

/* Creation: POST @endpoint with Upload-Length @length and the
 * Upload-Metadata made of @metadata (string → string, may be NULL).
 * Returns the new upload's absolute URL.  Blocks. */
char        *tc_tus_client_create           (TcTusClient  *self,
                                             const char   *endpoint,
                                             guint64       length,
                                             GHashTable   *metadata,
                                             GCancellable *cancellable,
                                             GError      **error);

/* HEAD @url: the server's offset and the upload's length (-1 when
 * deferred).  No retries.  Blocks. */
gboolean     tc_tus_client_get_offset       (TcTusClient  *self,
                                             const char   *url,
                                             guint64      *offset,
                                             gint64       *length,
                                             GCancellable *cancellable,
                                             GError      **error);

/* Termination: DELETE @url.  Blocks. */
gboolean     tc_tus_client_terminate        (TcTusClient  *self,
                                             const char   *url,
                                             GCancellable *cancellable,
                                             GError      **error);

/* Sends the file at @path to the upload at @url, from wherever the server
 * stands, until the server has all of it.  @progress (may be NULL) runs on
 * the calling thread.  Blocks. */
gboolean     tc_tus_client_upload_file      (TcTusClient       *self,
                                             const char        *url,
                                             const char        *path,
                                             TcTusProgressFunc  progress,
                                             gpointer           progress_data,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* tc_tus_client_upload_file() on a worker thread.  @progress runs in the
 * thread-default main context of the caller, at most ten times a second
 * (and once more at the end); @progress_data is released with
 * @progress_destroy once nothing will call it any more. */
void         tc_tus_client_upload_file_async  (TcTusClient         *self,
                                               const char          *url,
                                               const char          *path,
                                               TcTusProgressFunc    progress,
                                               gpointer             progress_data,
                                               GDestroyNotify       progress_destroy,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean     tc_tus_client_upload_file_finish (TcTusClient         *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
