/* tg-asset-tile.h — one cell of the library grid: the thumbnail with the
 * status badge on it, the name, the owner and the date. */
#pragma once

#include <gtk/gtk.h>

#include "tg-asset.h"

G_BEGIN_DECLS

#define TG_TYPE_ASSET_TILE (tg_asset_tile_get_type ())

G_DECLARE_FINAL_TYPE (TgAssetTile, tg_asset_tile, TG, ASSET_TILE, GtkWidget)

TgAsset *tg_asset_tile_get_asset (TgAssetTile *self);
void     tg_asset_tile_set_asset (TgAssetTile *self,
                                  TgAsset     *asset);

G_END_DECLS
