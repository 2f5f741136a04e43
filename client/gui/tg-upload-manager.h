/* tg-upload-manager.h — the uploads of the desktop app: starts new ones,
 * finds the ones an earlier run left unfinished (resume records of the
 * signed-in server) and carries them on, pauses them all when the app
 * quits.  The list is a GListModel of TgUpload, newest last. */
#pragma once

#include <gio/gio.h>

#include "tg-session.h"
#include "tg-upload.h"

G_BEGIN_DECLS

#define TG_TYPE_UPLOAD_MANAGER (tg_upload_manager_get_type ())

G_DECLARE_FINAL_TYPE (TgUploadManager, tg_upload_manager, TG, UPLOAD_MANAGER, GObject)

/* @settings: "upload-rate-limit" (bytes per second, 0 = none). */
TgUploadManager *tg_upload_manager_new            (TgSession           *session,
                                                   GSettings           *settings);

GListModel      *tg_upload_manager_get_uploads    (TgUploadManager     *self);
/* Uploads that are preparing, sending or checking. */
guint            tg_upload_manager_get_n_active   (TgUploadManager     *self);

/* Starts uploading @paths (absolute) as asset @name of @group_id. */
TgUpload        *tg_upload_manager_start          (TgUploadManager     *self,
                                                   const char          *group_id,
                                                   const char          *group_name,
                                                   const char          *name,
                                                   const char          *description,
                                                   const char * const  *paths);

/* Looks for unfinished uploads to the session's server (off the main
 * thread) and carries them on; "resumed" tells how many were found. */
void             tg_upload_manager_resume_pending (TgUploadManager     *self);

/* Pauses every active upload, keeping the records (the app quits). */
void             tg_upload_manager_stop           (TgUploadManager     *self);

/* Drops the finished uploads (done, cancelled) from the list. */
void             tg_upload_manager_clear_finished (TgUploadManager     *self);

G_END_DECLS
