/* tg-asset.c — see tg-asset.h. */
#define G_LOG_DOMAIN "tg-asset"

#include "tg-asset.h"

#include "tg-application.h"
#include "tg-util.h"

#include <string.h>

struct _TgAsset
{
  GObject parent_instance;

  JsonObject *json;
  GdkPaintable *thumbnail;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (TgAsset, tg_asset, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_THUMBNAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TgAsset *
tg_asset_new (JsonObject *json)
{
  g_return_val_if_fail (json != NULL, NULL);
  TgAsset *self = g_object_new (TG_TYPE_ASSET, NULL);
  self->json = json_object_ref (json);
  return self;
}

const char *
tg_asset_get_id (TgAsset *self)
{
  return tg_json_string (self->json, "id");
}

const char *
tg_asset_get_name (TgAsset *self)
{
  const char *name = tg_json_string (self->json, "name");
  return name != NULL ? name : "";
}

const char *
tg_asset_get_status (TgAsset *self)
{
  return tg_json_string (self->json, "status");
}

const char *
tg_asset_get_owner_name (TgAsset *self)
{
  return tg_json_string (self->json, "owner_name");
}

const char *
tg_asset_get_created_at (TgAsset *self)
{
  return tg_json_string (self->json, "created_at");
}

JsonObject *
tg_asset_get_json (TgAsset *self)
{
  return self->json;
}

GdkPaintable *
tg_asset_get_thumbnail (TgAsset *self)
{
  g_return_val_if_fail (TG_IS_ASSET (self), NULL);
  return self->thumbnail;
}

/* ---- thumbnail ---- */

static void
thumbnail_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TgAsset) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = tg_image_cache_load_finish (TG_IMAGE_CACHE (source), result, &error);

  self->loading = FALSE;
  if (texture == NULL)
    {
      g_debug ("no thumbnail for %s: %s", tg_asset_get_id (self), error->message);
      return;
    }
  g_set_object (&self->thumbnail, GDK_PAINTABLE (texture));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

static void
details_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgAsset) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonArray *videos = tg_json_member_array (tg_json_object (reply), "videos");
  const char *url = NULL;

  for (guint i = 0; videos != NULL && i < json_array_get_length (videos) && url == NULL; i++)
    url = tg_json_string (tg_json_object (json_array_get_element (videos, i)), "thumbnail_url");
  if (url == NULL)
    {
      /* Not made yet (the server is still checking): try on the next reload. */
      self->loading = FALSE;
      return;
    }
  TgImageCache *images = tg_application_get_image_cache (tg_application_get_default ());
  tg_image_cache_load_async (images, url, NULL, thumbnail_cb, g_steal_pointer (&self));
}

void
tg_asset_load_thumbnail (TgAsset *self)
{
  g_return_if_fail (TG_IS_ASSET (self));
  if (self->thumbnail != NULL || self->loading || tg_asset_get_id (self) == NULL)
    return;
  self->loading = TRUE;
  g_autofree char *path = g_strdup_printf ("/assets/%s", tg_asset_get_id (self));
  TgSession *session = tg_application_get_session (tg_application_get_default ());
  tg_session_call_async (session, "GET", path, NULL, NULL, details_cb, g_object_ref (self));
}

/* ---- search ---- */

static gboolean
contains (const char *haystack,
          const char *needle)
{
  if (haystack == NULL)
    return FALSE;
  g_autofree char *folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

gboolean
tg_asset_matches (TgAsset    *self,
                  const char *text)
{
  g_return_val_if_fail (TG_IS_ASSET (self), FALSE);
  if (text == NULL || *text == '\0')
    return TRUE;
  g_autofree char *needle = g_utf8_casefold (text, -1);
  return contains (tg_asset_get_name (self), needle) ||
         contains (tg_json_string (self->json, "description"), needle) ||
         contains (tg_asset_get_owner_name (self), needle);
}

/* ---- object ---- */

static void
tg_asset_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TgAsset *self = TG_ASSET (object);

  switch (prop_id)
    {
    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_asset_finalize (GObject *object)
{
  TgAsset *self = TG_ASSET (object);

  g_clear_object (&self->thumbnail);
  g_clear_pointer (&self->json, json_object_unref);

  G_OBJECT_CLASS (tg_asset_parent_class)->finalize (object);
}

static void
tg_asset_class_init (TgAssetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tg_asset_finalize;
  object_class->get_property = tg_asset_get_property;

  properties[PROP_THUMBNAIL] = g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_PAINTABLE,
                                                    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                    G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tg_asset_init (TgAsset *self)
{
}
