/* tg-asset-tile.c — see tg-asset-tile.h. */
#define G_LOG_DOMAIN "tg-asset-tile"

#include "tg-asset-tile.h"

#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgAssetTile
{
  GtkWidget parent_instance;

  GtkStack *picture_stack;
  GtkPicture *picture;
  GtkLabel *badge;
  GtkLabel *title;
  GtkLabel *subtitle;

  TgAsset *asset;
  char *badge_class;
};

G_DEFINE_FINAL_TYPE (TgAssetTile, tg_asset_tile, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ASSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
thumbnail_cb (TgAssetTile *self)
{
  GdkPaintable *thumbnail = self->asset != NULL ? tg_asset_get_thumbnail (self->asset) : NULL;
  gtk_picture_set_paintable (self->picture, thumbnail);
  gtk_stack_set_visible_child_name (self->picture_stack, thumbnail != NULL ? "picture" : "placeholder");
}

void
tg_asset_tile_set_asset (TgAssetTile *self,
                         TgAsset     *asset)
{
  g_return_if_fail (TG_IS_ASSET_TILE (self));
  if (self->asset == asset)
    return;

  if (self->asset != NULL)
    g_signal_handlers_disconnect_by_func (self->asset, thumbnail_cb, self);
  g_set_object (&self->asset, asset);
  if (self->badge_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), self->badge_class);
  g_clear_pointer (&self->badge_class, g_free);

  if (asset != NULL)
    {
      const char *status = tg_asset_get_status (asset);
      g_autofree char *when = tg_format_time (tg_asset_get_created_at (asset));
      const char *owner = tg_asset_get_owner_name (asset);
      g_autofree char *subtitle = owner != NULL && when != NULL
        /* TRANSLATORS: "owner · date" under a video in the library */
        ? g_strdup_printf (_("%s · %s"), owner, when)
        : g_strdup (owner != NULL ? owner : when != NULL ? when : "");

      gtk_label_set_text (self->title, tg_asset_get_name (asset));
      gtk_label_set_text (self->subtitle, subtitle);
      gtk_label_set_text (self->badge, tg_asset_status_label (status));
      self->badge_class = g_strdup (tg_asset_status_css (status));
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), self->badge_class);
      g_autofree char *name = g_strdup_printf ("asset-tile-%s", tg_asset_get_name (asset));
      gtk_widget_set_name (GTK_WIDGET (self), name);
      g_signal_connect_swapped (asset, "notify::thumbnail", G_CALLBACK (thumbnail_cb), self);
      tg_asset_load_thumbnail (asset);
    }
  thumbnail_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSET]);
}

TgAsset *
tg_asset_tile_get_asset (TgAssetTile *self)
{
  g_return_val_if_fail (TG_IS_ASSET_TILE (self), NULL);
  return self->asset;
}

static void
tg_asset_tile_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TgAssetTile *self = TG_ASSET_TILE (object);

  switch (prop_id)
    {
    case PROP_ASSET:
      g_value_set_object (value, self->asset);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_asset_tile_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TgAssetTile *self = TG_ASSET_TILE (object);

  switch (prop_id)
    {
    case PROP_ASSET:
      tg_asset_tile_set_asset (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_asset_tile_dispose (GObject *object)
{
  TgAssetTile *self = TG_ASSET_TILE (object);

  tg_asset_tile_set_asset (self, NULL);
  g_clear_pointer (&self->badge_class, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_ASSET_TILE);
  /* A plain GtkWidget unparents its children itself. */
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tg_asset_tile_parent_class)->dispose (object);
}

static void
tg_asset_tile_class_init (TgAssetTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_asset_tile_dispose;
  object_class->get_property = tg_asset_tile_get_property;
  object_class->set_property = tg_asset_tile_set_property;

  properties[PROP_ASSET] = g_param_spec_object ("asset", NULL, NULL, TG_TYPE_ASSET,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-asset-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, TgAssetTile, picture_stack);
  gtk_widget_class_bind_template_child (widget_class, TgAssetTile, picture);
  gtk_widget_class_bind_template_child (widget_class, TgAssetTile, badge);
  gtk_widget_class_bind_template_child (widget_class, TgAssetTile, title);
  gtk_widget_class_bind_template_child (widget_class, TgAssetTile, subtitle);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tg_asset_tile_init (TgAssetTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
