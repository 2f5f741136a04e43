/* tc-upload-state.h — what an interrupted upload needs to carry on after
 * the program was stopped: which server and asset, and for each file its
 * path, size, modification time, video and tus upload URL.
 *
 * One JSON file per upload in $XDG_STATE_HOME/tandem/uploads/ (mode 0600,
 * directory 0700), named by the record's id: a digest of the server URL
 * and the files' absolute paths in order, so that running the same upload
 * command again finds it.  Written whole (atomic rename) after each step;
 * removed once the upload is complete.  No secrets are stored. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *path;          /* absolute */
  guint64 size;
  gint64 mtime_us;     /* modification time, µs since the epoch */
  char *video_id;
  char *upload_url;
  gboolean sent;       /* the server has every byte */
} TcUploadFile;

typedef struct {
  char *id;            /* see tc_upload_state_id() */
  char *server;
  char *asset_id;
  char *group_id;
  char *name;
  char *description;
  gint64 updated_at;   /* unix seconds, set by tc_upload_state_save() */
  GPtrArray *files;    /* of TcUploadFile, in the asset's order */
} TcUploadState;

/* $XDG_STATE_HOME/tandem/uploads; free with g_free(). */
char          *tc_upload_state_dir      (void);

/* The id of the upload of @paths (absolute, in order) to @server. */
char          *tc_upload_state_id       (const char          *server,
                                         const char * const  *paths);

/* A new record for @server with one entry per path of @paths (absolute),
 * their size and modification time read now.  Fails with G_IO_ERROR when
 * a path is not a readable regular file. */
TcUploadState *tc_upload_state_new      (const char          *server,
                                         const char * const  *paths,
                                         GError             **error);

/* The record @id, or NULL: without @error when there is none, with
 * G_IO_ERROR_INVALID_DATA when the file is damaged. */
TcUploadState *tc_upload_state_load     (const char          *id,
                                         GError             **error);

/* The most recently saved record for @server, or NULL (without @error)
 * when there is none.  Damaged files are skipped. */
TcUploadState *tc_upload_state_latest   (const char          *server,
                                         GError             **error);

/* Writes @state (setting updated_at). */
gboolean       tc_upload_state_save     (TcUploadState       *state,
                                         GError             **error);

/* Removes the record; TRUE also when it was not there. */
gboolean       tc_upload_state_remove   (TcUploadState       *state,
                                         GError             **error);

/* Whether @file still has the size and modification time recorded; FALSE
 * with G_IO_ERROR (a sentence naming the file) when it changed or is gone. */
gboolean       tc_upload_file_unchanged (TcUploadFile        *file,
                                         GError             **error);

void           tc_upload_state_free     (TcUploadState       *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcUploadState, tc_upload_state_free)

G_END_DECLS
