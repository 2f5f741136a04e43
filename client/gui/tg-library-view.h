/* tg-library-view.h — a group's videos as a grid of thumbnails with their
 * status (waiting for upload, pending review, reviewed), a status filter
 * and a search entry.  Loads every page of GET /assets?group_id=…;
 * filtering and searching happen locally, as you type.  Emits
 * "asset-activated" (asset id) when a tile is opened. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TG_TYPE_LIBRARY_VIEW (tg_library_view_get_type ())

G_DECLARE_FINAL_TYPE (TgLibraryView, tg_library_view, TG, LIBRARY_VIEW, GtkWidget)

/* Shows the group @group_id (NULL: nothing) and loads its assets. */
void        tg_library_view_set_group_id (TgLibraryView *self,
                                          const char    *group_id);
void        tg_library_view_reload       (TgLibraryView *self);
/* All assets loaded (TgAsset), and the ones that pass the filters. */
GListModel *tg_library_view_get_assets   (TgLibraryView *self);
GListModel *tg_library_view_get_shown    (TgLibraryView *self);
/* Whether a load is under way. */
gboolean    tg_library_view_is_loading   (TgLibraryView *self);

G_END_DECLS
