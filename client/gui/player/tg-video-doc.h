/* tg-video-doc.h — one video under review, as the player needs it from
 * signald: who is looking (GET /auth/me), the asset (status, owner), the
 * video's metadata and timeline strip (GET /videos/{id}, …/strip), a
 * signed playback link (GET /videos/{id}/playback) and the review threads
 * (GET /assets/{id}/videos/{video_id}/reviews, every page).  Adding,
 * replying to and deleting reviews and marking the asset reviewed
 * (POST /assets/{id}/finalize) go through it too; after each change the
 * threads are read again, so the list is always the server's.
 *
 * Every call is asynchronous on the shared TandemApiClient: nothing here
 * blocks the main loop.  Errors are GErrors of TANDEM_ERROR (see
 * tandem-api-client.h). */
#pragma once

#include <gtk/gtk.h>

#include "tandem-api-client.h"
#include "tg-drawing.h"
#include "tg-review.h"

G_BEGIN_DECLS

#define TG_TYPE_VIDEO_DOC (tg_video_doc_get_type ())

G_DECLARE_FINAL_TYPE (TgVideoDoc, tg_video_doc, TG, VIDEO_DOC, GObject)

TgVideoDoc   *tg_video_doc_new               (TandemApiClient *client,
                                              const char      *asset_id,
                                              const char      *video_id);

TandemApiClient *tg_video_doc_get_client     (TgVideoDoc *self);
const char   *tg_video_doc_get_asset_id      (TgVideoDoc *self);
const char   *tg_video_doc_get_video_id      (TgVideoDoc *self);

/* Reads everything but the strip, which follows on its own ("strip"
 * notifies; a missing strip is not an error). */
void          tg_video_doc_load_async        (TgVideoDoc          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      tg_video_doc_load_finish       (TgVideoDoc          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
gboolean      tg_video_doc_get_loaded        (TgVideoDoc *self);

/* The signed playback link (absolute http(s) URL), or NULL before load. */
const char   *tg_video_doc_get_playback_uri  (TgVideoDoc *self);
const char   *tg_video_doc_get_title         (TgVideoDoc *self);
/* -1 while unknown. */
gint64        tg_video_doc_get_duration_ms   (TgVideoDoc *self);
/* The strip picture (NULL until fetched) and its layout: frame i covers
 * [i·interval_ms, (i+1)·interval_ms) at column i % columns, row i /
 * columns. */
GdkTexture   *tg_video_doc_get_strip         (TgVideoDoc *self,
                                              guint      *frames,
                                              guint      *interval_ms,
                                              guint      *columns);

/* The threads, ordered by time (TgReview with their replies). */
GListModel   *tg_video_doc_get_reviews       (TgVideoDoc *self);
const char   *tg_video_doc_get_user_id       (TgVideoDoc *self);
/* Its author and admins may delete a review. */
gboolean      tg_video_doc_can_delete        (TgVideoDoc *self,
                                              TgReview   *review);
/* "waiting_upload", "pending", "completed" (the asset's status), or NULL. */
const char   *tg_video_doc_get_asset_status  (TgVideoDoc *self);
/* The asset waits for review and the user is not its owner but an expert
 * or admin (the server decides in the end: a group role may be missing). */
gboolean      tg_video_doc_get_can_finalize  (TgVideoDoc *self);

/* A review at @at_ms (to @end_ms, or -1 for a moment) with @text and an
 * optional @drawing, or a reply to @parent_id (then @at_ms may be -1).
 * Finishes once the threads were read again, with the new review's id. */
void          tg_video_doc_add_review_async  (TgVideoDoc          *self,
                                              gint64               at_ms,
                                              gint64               end_ms,
                                              const char          *text,
                                              TgDrawing           *drawing,
                                              const char          *parent_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char         *tg_video_doc_add_review_finish (TgVideoDoc          *self,
                                              GAsyncResult        *result,
                                              GError             **error);

void          tg_video_doc_delete_review_async  (TgVideoDoc          *self,
                                                 const char          *review_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      tg_video_doc_delete_review_finish (TgVideoDoc          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Reads the threads again (another reviewer may have written). */
void          tg_video_doc_reload_reviews_async  (TgVideoDoc          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      tg_video_doc_reload_reviews_finish (TgVideoDoc          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Asks for a new playback link (they expire after an hour); the new one is
 * then tg_video_doc_get_playback_uri(). */
void          tg_video_doc_refresh_playback_async  (TgVideoDoc          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      tg_video_doc_refresh_playback_finish (TgVideoDoc          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* POST /assets/{id}/finalize: the asset becomes "completed". */
void          tg_video_doc_finalize_async    (TgVideoDoc          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      tg_video_doc_finalize_finish   (TgVideoDoc          *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
