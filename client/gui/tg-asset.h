/* tg-asset.h — an asset of a group's library as the grid shows it: name,
 * status, owner, date and, loaded on demand, the first video's thumbnail
 * (GET /assets/{id} for the video, then its thumbnail_url). */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_ASSET (tg_asset_get_type ())

G_DECLARE_FINAL_TYPE (TgAsset, tg_asset, TG, ASSET, GObject)

/* An item for @json (an Asset of the API). */
TgAsset      *tg_asset_new            (JsonObject *json);

const char   *tg_asset_get_id         (TgAsset    *self);
const char   *tg_asset_get_name       (TgAsset    *self);
/* "waiting_upload", "pending" or "completed". */
const char   *tg_asset_get_status     (TgAsset    *self);
const char   *tg_asset_get_owner_name (TgAsset    *self);
const char   *tg_asset_get_created_at (TgAsset    *self);
JsonObject   *tg_asset_get_json       (TgAsset    *self);

/* The thumbnail once loaded ("thumbnail" notifies), else NULL. */
GdkPaintable *tg_asset_get_thumbnail  (TgAsset    *self);
/* Starts loading the thumbnail unless it is loaded or loading. */
void          tg_asset_load_thumbnail (TgAsset    *self);

/* Whether @self matches the search @text (case-insensitive, in the name,
 * the description or the owner's name). */
gboolean      tg_asset_matches        (TgAsset    *self,
                                       const char *text);

G_END_DECLS
