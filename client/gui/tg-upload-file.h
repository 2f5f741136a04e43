/* tg-upload-file.h — one file of an upload as the uploads view shows it:
 * its name, size and how much of it the server has (0…1). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TG_TYPE_UPLOAD_FILE (tg_upload_file_get_type ())

G_DECLARE_FINAL_TYPE (TgUploadFile, tg_upload_file, TG, UPLOAD_FILE, GObject)

TgUploadFile *tg_upload_file_new          (const char   *name,
                                           guint64       size);
const char   *tg_upload_file_get_name     (TgUploadFile *self);
guint64       tg_upload_file_get_size     (TgUploadFile *self);
double        tg_upload_file_get_fraction (TgUploadFile *self);
void          tg_upload_file_set_fraction (TgUploadFile *self,
                                           double        fraction);

G_END_DECLS
