/* tg-upload-row.h — one upload in the uploads view: its name, where it
 * stands, the overall progress and one bar per file, with Cancel and (after
 * a failure that can be retried) Retry. */
#pragma once

#include <gtk/gtk.h>

#include "tg-upload.h"

G_BEGIN_DECLS

#define TG_TYPE_UPLOAD_ROW (tg_upload_row_get_type ())

G_DECLARE_FINAL_TYPE (TgUploadRow, tg_upload_row, TG, UPLOAD_ROW, GtkListBoxRow)

TgUploadRow *tg_upload_row_new        (TgUpload    *upload);
TgUpload    *tg_upload_row_get_upload (TgUploadRow *self);

G_END_DECLS
