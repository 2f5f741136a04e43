/* tg-upload.h — one upload of the desktop app: an asset made of one or
 * more video files for a group, from the first request to the server's
 * verdict.  The steps follow `tandem-cli upload` (tc-cli-upload.c):
 *
 *   preparing  read the files' sizes, POST /assets (one tus upload per file)
 *   sending    each file with the tus client (tc-tus.h) on a worker thread
 *   checking   poll GET /assets/{id} until the server has checked the videos,
 *              then POST /assets/{id}/complete
 *   done | failed | cancelled | paused
 *
 * A resume record (tc-upload-state.h) is written before each step, so an
 * upload stopped by quitting the app (paused) carries on where it was when
 * the app starts again; the terminal client sees the same records.
 * Cancelling stops the transfer and deletes the asset on the server.  Every
 * file access runs on a worker thread and every request is asynchronous. */
#pragma once

#include <gio/gio.h>

#include "tc-upload-state.h"
#include "tg-session.h"

G_BEGIN_DECLS

typedef enum {
  TG_UPLOAD_PREPARING,
  TG_UPLOAD_SENDING,
  TG_UPLOAD_CHECKING,
  TG_UPLOAD_DONE,
  TG_UPLOAD_FAILED,
  TG_UPLOAD_CANCELLED,
  TG_UPLOAD_PAUSED,
} TgUploadPhase;

#define TG_TYPE_UPLOAD (tg_upload_get_type ())

G_DECLARE_FINAL_TYPE (TgUpload, tg_upload, TG, UPLOAD, GObject)

/* A new upload of @paths (absolute) as asset @name for @group_id. */
TgUpload      *tg_upload_new            (TgSession           *session,
                                         const char          *group_id,
                                         const char          *group_name,
                                         const char          *name,
                                         const char          *description,
                                         const char * const  *paths);
/* The upload that @record (taken over) describes, interrupted earlier. */
TgUpload      *tg_upload_new_resumed    (TgSession           *session,
                                         TcUploadState       *record);

/* At most @bytes_per_second (0: no limit); before tg_upload_start(). */
void           tg_upload_set_rate_limit (TgUpload            *self,
                                         guint64              bytes_per_second);

/* Runs the steps from wherever the upload stands (also after a failure
 * that can be retried). */
void           tg_upload_start          (TgUpload            *self);
/* Stops and deletes the asset and the record. */
void           tg_upload_cancel         (TgUpload            *self);
/* Stops and keeps the record, to carry on next time (the app quits). */
void           tg_upload_pause          (TgUpload            *self);

const char    *tg_upload_get_name       (TgUpload            *self);
const char    *tg_upload_get_group_id   (TgUpload            *self);
/* NULL until the server made the asset. */
const char    *tg_upload_get_asset_id   (TgUpload            *self);
const char    *tg_upload_get_record_id  (TgUpload            *self);
TgUploadPhase  tg_upload_get_phase      (TgUpload            *self);
/* A sentence on where the upload stands (or why it failed). */
const char    *tg_upload_get_status     (TgUpload            *self);
/* Bytes the server has of all files, 0…1. */
double         tg_upload_get_fraction   (TgUpload            *self);
/* The files (TgUploadFile), in order. */
GListModel    *tg_upload_get_files      (TgUpload            *self);
gboolean       tg_upload_get_can_retry  (TgUpload            *self);
/* Still working (preparing, sending or checking). */
gboolean       tg_upload_is_active      (TgUpload            *self);

G_END_DECLS
