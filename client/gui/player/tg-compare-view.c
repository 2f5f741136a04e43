/* tg-compare-view.c — two players side by side or overlaid, aligned at
 * chosen frames; see tg-compare-view.h. */
#define G_LOG_DOMAIN "tg-compare-view"

#include "tg-compare-view.h"

#include "tg-player-resources.h"
#include "tg-time.h"
#include "tg-video-doc.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#define NS_PER_MS G_GINT64_CONSTANT (1000000)

typedef struct {
  TgPlayer *player;
  TgVideoDoc *doc;
  TgVideoArea *area;
  GtkLabel *time;
  GtkLabel *title;
  gint64 sync;            /* ns: the frame that lines up with the other side's */
} Side;

struct _TgCompareView
{
  GtkWidget parent_instance;

  AdwToastOverlay *toasts;
  GtkStack *mode_stack;
  GtkLabel *opacity_label;
  GtkScale *opacity_scale;
  GtkAdjustment *opacity;
  TgVideoArea *area_a;
  TgVideoArea *area_b;
  TgVideoArea *overlay_area;
  GtkLabel *time_a;
  GtkLabel *time_b;
  GtkLabel *title_a;
  GtkLabel *title_b;
  GtkButton *play_button;
  GtkMenuButton *speed_button;
  GtkLabel *sync_label;

  Side sides[2];
  TgCompareMode mode;
  GCancellable *cancellable;
};

enum {
  PROP_0,
  PROP_RATE,
  PROP_MODE,
  PROP_READY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TgCompareView, tg_compare_view, GTK_TYPE_WIDGET)

GType
tg_compare_mode_get_type (void)
{
  static gsize type;
  static const GEnumValue values[] = {
    { TG_COMPARE_SIDE_BY_SIDE, "TG_COMPARE_SIDE_BY_SIDE", "side" },
    { TG_COMPARE_OVERLAY, "TG_COMPARE_OVERLAY", "overlay" },
    { 0, NULL, NULL },
  };
  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("TgCompareMode", values));
  return type;
}

/* ---- display ---- */

static void
toast_error (TgCompareView *self,
             const GError  *error)
{
  g_autofree char *text = g_strdup_printf (C_("player", "A video cannot be played: %s"), error->message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
update_side (TgCompareView *self,
             guint          i)
{
  Side *side = &self->sides[i];
  g_autofree char *now = tg_time_format (MAX (tg_player_get_position (side->player), 0) / NS_PER_MS);
  gtk_label_set_text (side->time, now);
}

static void
update_sync_label (TgCompareView *self)
{
  g_autofree char *a = tg_time_format (self->sides[0].sync / NS_PER_MS);
  g_autofree char *b = tg_time_format (self->sides[1].sync / NS_PER_MS);
  g_autofree char *text = g_strdup_printf (C_("player", "Synced at %s and %s"), a, b);
  gtk_label_set_text (self->sync_label, text);
}

static void
on_position_a (TgCompareView *self)
{
  update_side (self, 0);
}

static void
on_position_b (TgCompareView *self)
{
  update_side (self, 1);
}

static void
on_playing (TgCompareView *self)
{
  gboolean playing = tg_player_get_playing (self->sides[0].player) || tg_player_get_playing (self->sides[1].player);
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
}

static void
on_ready (TgCompareView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
}

static void
on_player_error (TgCompareView *self,
                 const GError  *error)
{
  toast_error (self, error);
}

static void
on_doc_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(TgCompareView) self = data;
  g_autoptr(GError) error = NULL;
  TgVideoDoc *doc = TG_VIDEO_DOC (source);

  if (!tg_video_doc_load_finish (doc, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, error);
      return;
    }
  for (guint i = 0; i < 2; i++)
    if (self->sides[i].doc == doc)
      {
        gtk_label_set_text (self->sides[i].title, tg_video_doc_get_title (doc));
        tg_player_set_uri (self->sides[i].player, tg_video_doc_get_playback_uri (doc));
      }
}

/* ---- together ---- */

gint64
tg_compare_view_partner_position (TgCompareView *self,
                                  gint64         position_a)
{
  g_return_val_if_fail (TG_IS_COMPARE_VIEW (self), 0);
  return MAX (position_a - self->sides[0].sync + self->sides[1].sync, 0);
}

/* Puts the second video where it belongs against the first, when it is
 * more than half a frame away. */
static void
align_partner (TgCompareView *self)
{
  TgPlayer *a = self->sides[0].player, *b = self->sides[1].player;
  gint64 pos_a = tg_player_get_position (a), pos_b = tg_player_get_position (b);
  if (pos_a < 0 || pos_b < 0)
    return;
  gint64 want = tg_compare_view_partner_position (self, pos_a);
  gint64 frame = tg_player_get_frame_duration (b);
  if (ABS (pos_b - want) > (frame > 0 ? frame / 2 : 20 * NS_PER_MS))
    tg_player_seek (b, want);
}

static void
play_both (TgCompareView *self)
{
  align_partner (self);
  for (guint i = 0; i < 2; i++)
    tg_player_play (self->sides[i].player);
}

static void
pause_both (TgCompareView *self)
{
  for (guint i = 0; i < 2; i++)
    tg_player_pause (self->sides[i].player);
}

static void
step_both (TgCompareView *self,
           int            frames)
{
  for (guint i = 0; i < 2; i++)
    tg_player_step (self->sides[i].player, frames);
}

void
tg_compare_view_sync_here (TgCompareView *self,
                           guint          side)
{
  g_return_if_fail (TG_IS_COMPARE_VIEW (self));
  g_return_if_fail (side < 2);
  self->sides[side].sync = MAX (tg_player_get_position (self->sides[side].player), 0);
  update_sync_label (self);
}

/* ---- actions ---- */

static void
action_toggle_play (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  TgCompareView *self = TG_COMPARE_VIEW (widget);
  if (tg_player_get_playing (self->sides[0].player) || tg_player_get_playing (self->sides[1].player))
    pause_both (self);
  else
    play_both (self);
}

static void
action_step (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  TgCompareView *self = TG_COMPARE_VIEW (widget);
  int frames = g_str_has_suffix (name, "forward") ? 1 : -1;
  if (g_str_has_prefix (name, "compare.step-a-"))
    tg_player_step (self->sides[0].player, frames);
  else if (g_str_has_prefix (name, "compare.step-b-"))
    tg_player_step (self->sides[1].player, frames);
  else
    step_both (self, frames);
}

static void
action_sync (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  tg_compare_view_sync_here (TG_COMPARE_VIEW (widget), g_str_equal (name, "compare.sync-a") ? 0 : 1);
}

static void
action_align (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  TgCompareView *self = TG_COMPARE_VIEW (widget);
  pause_both (self);
  for (guint i = 0; i < 2; i++)
    tg_player_seek (self->sides[i].player, self->sides[i].sync);
}

/* ---- API ---- */

TgCompareView *
tg_compare_view_new (TandemApiClient *client,
                     const char      *asset_a,
                     const char      *video_a,
                     const char      *asset_b,
                     const char      *video_b)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (asset_a != NULL && video_a != NULL && asset_b != NULL && video_b != NULL, NULL);

  TgCompareView *self = g_object_new (TG_TYPE_COMPARE_VIEW, NULL);
  self->sides[0].doc = tg_video_doc_new (client, asset_a, video_a);
  self->sides[1].doc = tg_video_doc_new (client, asset_b, video_b);
  for (guint i = 0; i < 2; i++)
    tg_video_doc_load_async (self->sides[i].doc, self->cancellable, on_doc_loaded, g_object_ref (self));
  return self;
}

gboolean
tg_compare_view_get_ready (TgCompareView *self)
{
  g_return_val_if_fail (TG_IS_COMPARE_VIEW (self), FALSE);
  return tg_player_get_ready (self->sides[0].player) && tg_player_get_ready (self->sides[1].player);
}

TgPlayer *
tg_compare_view_get_player (TgCompareView *self,
                            guint          side)
{
  g_return_val_if_fail (TG_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (side < 2, NULL);
  return self->sides[side].player;
}

TgVideoArea *
tg_compare_view_get_overlay_area (TgCompareView *self)
{
  g_return_val_if_fail (TG_IS_COMPARE_VIEW (self), NULL);
  return self->overlay_area;
}

void
tg_compare_view_set_mode (TgCompareView *self,
                          TgCompareMode  mode)
{
  g_return_if_fail (TG_IS_COMPARE_VIEW (self));
  self->mode = mode;
  gboolean overlay = mode == TG_COMPARE_OVERLAY;
  gtk_stack_set_visible_child_name (self->mode_stack, overlay ? "overlay" : "side");
  gtk_widget_set_visible (GTK_WIDGET (self->opacity_label), overlay);
  gtk_widget_set_visible (GTK_WIDGET (self->opacity_scale), overlay);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODE]);
}

TgCompareMode
tg_compare_view_get_mode (TgCompareView *self)
{
  g_return_val_if_fail (TG_IS_COMPARE_VIEW (self), TG_COMPARE_SIDE_BY_SIDE);
  return self->mode;
}

void
tg_compare_view_set_opacity (TgCompareView *self,
                             double         opacity)
{
  g_return_if_fail (TG_IS_COMPARE_VIEW (self));
  gtk_adjustment_set_value (self->opacity, opacity);
}

/* ---- GObject ---- */

static void
on_rate (TgCompareView *self)
{
  double rate = tg_player_get_rate (self->sides[0].player);
  g_autofree char *label = rate == 0.25 ? g_strdup ("¼×") : rate == 0.5 ? g_strdup ("½×")
                                        : g_strdup_printf ("%g×", rate);
  gtk_menu_button_set_label (self->speed_button, label);
}

static void
tg_compare_view_dispose (GObject *object)
{
  TgCompareView *self = TG_COMPARE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < 2; i++)
    if (self->sides[i].player != NULL)
      {
        g_signal_handlers_disconnect_by_data (self->sides[i].player, self);
        tg_player_set_uri (self->sides[i].player, NULL);
      }
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_COMPARE_VIEW);
  /* Children without a bound name are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&self->sides[i].player);
      g_clear_object (&self->sides[i].doc);
    }
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tg_compare_view_parent_class)->dispose (object);
}

static void
tg_compare_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TgCompareView *self = TG_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_RATE: g_value_set_double (value, tg_player_get_rate (self->sides[0].player)); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_READY: g_value_set_boolean (value, tg_compare_view_get_ready (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_compare_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TgCompareView *self = TG_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_RATE:
      /* Both at the same rate; a playing pair is realigned first. */
      if (tg_player_get_playing (self->sides[0].player))
        align_partner (self);
      for (guint i = 0; i < 2; i++)
        tg_player_set_rate (self->sides[i].player, g_value_get_double (value));
      on_rate (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_MODE:
      tg_compare_view_set_mode (self, g_value_get_enum (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_compare_view_class_init (TgCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_compare_view_dispose;
  object_class->get_property = tg_compare_view_get_property;
  object_class->set_property = tg_compare_view_set_property;

  props[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0.25, 2.0, 1.0,
                                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, TG_TYPE_COMPARE_MODE, TG_COMPARE_SIDE_BY_SIDE,
                                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (TG_TYPE_VIDEO_AREA);
  tg_player_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/player/tg-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, toasts);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, opacity_label);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, opacity_scale);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, opacity);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, area_a);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, area_b);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, overlay_area);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, time_a);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, time_b);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, title_a);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, title_b);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, play_button);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, speed_button);
  gtk_widget_class_bind_template_child (widget_class, TgCompareView, sync_label);

  gtk_widget_class_install_action (widget_class, "compare.toggle-play", NULL, action_toggle_play);
  gtk_widget_class_install_action (widget_class, "compare.step-forward", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "compare.step-back", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "compare.step-a-forward", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "compare.step-a-back", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "compare.step-b-forward", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "compare.step-b-back", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "compare.sync-a", NULL, action_sync);
  gtk_widget_class_install_action (widget_class, "compare.sync-b", NULL, action_sync);
  gtk_widget_class_install_action (widget_class, "compare.align", NULL, action_align);
  gtk_widget_class_install_property_action (widget_class, "compare.rate", "rate");
  gtk_widget_class_install_property_action (widget_class, "compare.mode", "mode");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "compare.toggle-play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "compare.step-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "compare.step-back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tg-compare-view");
}

static void
tg_compare_view_init (TgCompareView *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  TgVideoArea *areas[2] = { self->area_a, self->area_b };
  GtkLabel *times[2] = { self->time_a, self->time_b };
  GtkLabel *titles[2] = { self->title_a, self->title_b };
  GCallback positions[2] = { G_CALLBACK (on_position_a), G_CALLBACK (on_position_b) };
  for (guint i = 0; i < 2; i++)
    {
      Side *side = &self->sides[i];
      side->player = tg_player_new ();
      side->area = areas[i];
      side->time = times[i];
      side->title = titles[i];
      tg_video_area_set_paintable (side->area, GDK_PAINTABLE (tg_player_get_paintable (side->player)));
      g_signal_connect_swapped (side->player, "notify::position", positions[i], self);
      g_signal_connect_swapped (side->player, "notify::playing", G_CALLBACK (on_playing), self);
      g_signal_connect_swapped (side->player, "notify::ready", G_CALLBACK (on_ready), self);
      g_signal_connect_swapped (side->player, "error", G_CALLBACK (on_player_error), self);
    }
  tg_player_set_muted (self->sides[1].player, TRUE);
  tg_video_area_set_paintable (self->overlay_area, GDK_PAINTABLE (tg_player_get_paintable (self->sides[0].player)));
  tg_video_area_set_overlay (self->overlay_area, GDK_PAINTABLE (tg_player_get_paintable (self->sides[1].player)));
  g_object_bind_property (self->opacity, "value", self->overlay_area, "overlay-opacity", G_BINDING_SYNC_CREATE);
  tg_compare_view_set_mode (self, TG_COMPARE_SIDE_BY_SIDE);
  update_sync_label (self);
}
