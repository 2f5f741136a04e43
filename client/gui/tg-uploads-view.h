/* tg-uploads-view.h — the uploads of this session and those carried on
 * from an earlier one (TgUploadManager), in the order they started, with their
 * progress; "Clear Finished" drops the done and cancelled ones. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_UPLOADS_VIEW (tg_uploads_view_get_type ())

G_DECLARE_FINAL_TYPE (TgUploadsView, tg_uploads_view, TG, UPLOADS_VIEW, AdwBin)

/* Shows a back button (the window is narrow). */
void tg_uploads_view_set_folded (TgUploadsView *self,
                                 gboolean       folded);

G_END_DECLS
