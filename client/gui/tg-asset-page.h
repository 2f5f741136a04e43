/* tg-asset-page.h — one asset: its videos, the review player for the one
 * picked (client/gui/player/, when that library is part of the build; its
 * thumbnail otherwise), the status, and "Mark Reviewed" (POST
 * /assets/{id}/finalize) for the group's coaches and admins. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_ASSET_PAGE (tg_asset_page_get_type ())

G_DECLARE_FINAL_TYPE (TgAssetPage, tg_asset_page, TG, ASSET_PAGE, AdwBin)

/* Loads and shows the asset @asset_id (GET /assets/{id}). */
void        tg_asset_page_set_asset  (TgAssetPage *self,
                                      const char  *asset_id);
/* The asset as last loaded (with its videos), or NULL while loading. */
JsonObject *tg_asset_page_get_asset  (TgAssetPage *self);
/* The video on show (its id), or NULL. */
const char *tg_asset_page_get_video_id (TgAssetPage *self);
/* Whether the review player is built in. */
gboolean    tg_asset_page_has_player (void);

G_END_DECLS
