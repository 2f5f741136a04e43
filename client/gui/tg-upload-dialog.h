/* tg-upload-dialog.h — names a new upload before it starts: the files
 * picked, the asset's name (the first file's name by default) and a
 * description.  Emits "confirmed" (name, description). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_UPLOAD_DIALOG (tg_upload_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgUploadDialog, tg_upload_dialog, TG, UPLOAD_DIALOG, AdwMessageDialog)

/* @files: GFiles with local paths (files without one are left out). */
TgUploadDialog *tg_upload_dialog_new       (GtkWindow      *parent,
                                            const char     *group_name,
                                            GListModel     *files);
/* The local paths of the files, NULL-terminated (owned by the dialog). */
GStrv           tg_upload_dialog_get_paths (TgUploadDialog *self);

G_END_DECLS
