/* tg-video-area.c — video picture, compare overlay, review drawings and
 * the drawing tools; see tg-video-area.h. */
#define G_LOG_DOMAIN "tg-video-area"

#include "tg-video-area.h"

#include "tg-player-resources.h"

struct _TgVideoArea
{
  GtkWidget parent_instance;

  GtkPopover *text_popover;
  GtkEntry *text_entry;

  GdkPaintable *paintable;
  GdkPaintable *overlay;
  double overlay_opacity;
  GPtrArray *drawings;          /* TgDrawing shown now */
  TgDrawing *peer;              /* what the other side of a call draws, or NULL */

  TgTool tool;
  GdkRGBA color;
  TgDrawing *edit;              /* what the user drew */
  TgShape *current;             /* the shape under the pointer */
  graphene_point_t text_at;     /* normalized */
  gboolean text_pending;
};

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_OVERLAY,
  PROP_OVERLAY_OPACITY,
  PROP_TOOL,
  PROP_COLOR,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgVideoArea, tg_video_area, GTK_TYPE_WIDGET)

GType
tg_tool_get_type (void)
{
  static gsize type;
  static const GEnumValue values[] = {
    { TG_TOOL_NONE, "TG_TOOL_NONE", "none" },
    { TG_TOOL_FREEHAND, "TG_TOOL_FREEHAND", "freehand" },
    { TG_TOOL_LINE, "TG_TOOL_LINE", "line" },
    { TG_TOOL_ARROW, "TG_TOOL_ARROW", "arrow" },
    { TG_TOOL_CIRCLE, "TG_TOOL_CIRCLE", "circle" },
    { TG_TOOL_RECT, "TG_TOOL_RECT", "rect" },
    { TG_TOOL_TEXT, "TG_TOOL_TEXT", "text" },
    { 0, NULL, NULL },
  };
  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("TgTool", values));
  return type;
}

/* ---- geometry ---- */

/* @paintable fitted into @width × @height, centred. */
static graphene_rect_t
fit (GdkPaintable *paintable,
     double        width,
     double        height)
{
  double aspect = paintable != NULL ? gdk_paintable_get_intrinsic_aspect_ratio (paintable) : 0.0;
  if (aspect <= 0.0)
    aspect = 16.0 / 9.0;
  double w = width, h = width / aspect;
  if (h > height)
    {
      h = height;
      w = height * aspect;
    }
  return GRAPHENE_RECT_INIT ((width - w) / 2.0, (height - h) / 2.0, w, h);
}

void
tg_video_area_get_frame_rect (TgVideoArea     *self,
                              graphene_rect_t *rect)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  *rect = fit (self->paintable, gtk_widget_get_width (GTK_WIDGET (self)),
               gtk_widget_get_height (GTK_WIDGET (self)));
}

static graphene_point_t
normalize (TgVideoArea *self,
           double       x,
           double       y)
{
  graphene_rect_t frame;
  tg_video_area_get_frame_rect (self, &frame);
  if (frame.size.width <= 0 || frame.size.height <= 0)
    return GRAPHENE_POINT_INIT (0, 0);
  return GRAPHENE_POINT_INIT (CLAMP ((x - frame.origin.x) / frame.size.width, 0.0, 1.0),
                              CLAMP ((y - frame.origin.y) / frame.size.height, 0.0, 1.0));
}

/* ---- drawing ---- */

static void
tg_video_area_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  TgVideoArea *self = TG_VIDEO_AREA (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));

  graphene_rect_t frame = fit (self->paintable, width, height);
  if (self->paintable != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &frame.origin);
      gdk_paintable_snapshot (self->paintable, snapshot, frame.size.width, frame.size.height);
      gtk_snapshot_restore (snapshot);
    }
  if (self->overlay != NULL && self->overlay_opacity > 0.0)
    {
      graphene_rect_t over = fit (self->overlay, width, height);
      gtk_snapshot_push_opacity (snapshot, self->overlay_opacity);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &over.origin);
      gdk_paintable_snapshot (self->overlay, snapshot, over.size.width, over.size.height);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
    }

  gboolean any = self->current != NULL || tg_drawing_get_n_shapes (self->edit) > 0 ||
                 (self->peer != NULL && tg_drawing_get_n_shapes (self->peer) > 0);
  for (guint i = 0; !any && i < self->drawings->len; i++)
    any = tg_drawing_get_n_shapes (g_ptr_array_index (self->drawings, i)) > 0;
  if (!any || frame.size.width < 1 || frame.size.height < 1)
    return;

  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &frame);
  for (guint i = 0; i < self->drawings->len; i++)
    tg_drawing_paint (g_ptr_array_index (self->drawings, i), cr, &frame);
  if (self->peer != NULL)
    tg_drawing_paint (self->peer, cr, &frame);
  tg_drawing_paint (self->edit, cr, &frame);
  tg_shape_paint (self->current, cr, &frame);
  cairo_destroy (cr);
}

static void
tg_video_area_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  TgVideoArea *self = TG_VIDEO_AREA (widget);
  int intrinsic = 0;
  if (self->paintable != NULL)
    intrinsic = orientation == GTK_ORIENTATION_HORIZONTAL
                ? gdk_paintable_get_intrinsic_width (self->paintable)
                : gdk_paintable_get_intrinsic_height (self->paintable);
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 90;
  *natural = MAX (*minimum, intrinsic > 0 ? intrinsic : 640);
}

static void
tg_video_area_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TgVideoArea *self = TG_VIDEO_AREA (widget);
  gtk_popover_present (self->text_popover);
}

/* A popover left open when the window goes away outlives its surface. */
static void
tg_video_area_unmap (GtkWidget *widget)
{
  TgVideoArea *self = TG_VIDEO_AREA (widget);
  gtk_popover_popdown (self->text_popover);
  self->text_pending = FALSE;
  GTK_WIDGET_CLASS (tg_video_area_parent_class)->unmap (widget);
}

static void
on_paintable_invalidate_contents (TgVideoArea *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_paintable_invalidate_size (TgVideoArea *self)
{
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
swap_paintable (TgVideoArea   *self,
                GdkPaintable **slot,
                GdkPaintable  *paintable)
{
  if (*slot == paintable)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, self);
  g_set_object (slot, paintable);
  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (on_paintable_invalidate_contents), self);
      g_signal_connect_swapped (paintable, "invalidate-size", G_CALLBACK (on_paintable_invalidate_size), self);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tg_video_area_set_paintable (TgVideoArea  *self,
                             GdkPaintable *paintable)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (self->paintable == paintable)
    return;
  swap_paintable (self, &self->paintable, paintable);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAINTABLE]);
}

GdkPaintable *
tg_video_area_get_paintable (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), NULL);
  return self->paintable;
}

void
tg_video_area_set_overlay (TgVideoArea  *self,
                           GdkPaintable *paintable)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (self->overlay == paintable)
    return;
  swap_paintable (self, &self->overlay, paintable);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OVERLAY]);
}

void
tg_video_area_set_overlay_opacity (TgVideoArea *self,
                                   double       opacity)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  opacity = CLAMP (opacity, 0.0, 1.0);
  if (self->overlay_opacity == opacity)
    return;
  self->overlay_opacity = opacity;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OVERLAY_OPACITY]);
}

double
tg_video_area_get_overlay_opacity (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), 0.0);
  return self->overlay_opacity;
}

void
tg_video_area_set_drawings (TgVideoArea *self,
                            GPtrArray   *drawings)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));

  guint n = drawings != NULL ? drawings->len : 0;
  gboolean same = n == self->drawings->len;
  for (guint i = 0; same && i < n; i++)
    same = g_ptr_array_index (drawings, i) == g_ptr_array_index (self->drawings, i);
  if (same)
    return;
  g_ptr_array_set_size (self->drawings, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->drawings, tg_drawing_ref (g_ptr_array_index (drawings, i)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tg_video_area_get_n_drawings (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), 0);
  return self->drawings->len;
}

void
tg_video_area_set_tool (TgVideoArea *self,
                        TgTool       tool)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (self->tool == tool)
    return;
  self->tool = tool;
  g_clear_pointer (&self->current, tg_shape_free);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), tool == TG_TOOL_NONE ? NULL
                                                      : tool == TG_TOOL_TEXT ? "text" : "crosshair");
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOOL]);
}

TgTool
tg_video_area_get_tool (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), TG_TOOL_NONE);
  return self->tool;
}

void
tg_video_area_set_color (TgVideoArea   *self,
                         const GdkRGBA *color)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  g_return_if_fail (color != NULL);
  if (gdk_rgba_equal (&self->color, color))
    return;
  self->color = *color;
  self->color.alpha = 1.0;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COLOR]);
}

const GdkRGBA *
tg_video_area_get_color (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), NULL);
  return &self->color;
}

void
tg_video_area_set_peer_drawing (TgVideoArea *self,
                                TgDrawing   *drawing)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (drawing == self->peer)
    return;
  if (drawing != NULL)
    tg_drawing_ref (drawing);
  g_clear_pointer (&self->peer, tg_drawing_unref);
  self->peer = drawing;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

TgDrawing *
tg_video_area_get_peer_drawing (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), NULL);
  return self->peer;
}

TgDrawing *
tg_video_area_get_edit_drawing (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), NULL);
  return self->edit;
}

static void
edit_changed (TgVideoArea *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
tg_video_area_clear_edit (TgVideoArea *self)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  g_clear_pointer (&self->current, tg_shape_free);
  if (tg_drawing_get_n_shapes (self->edit) == 0)
    return;
  tg_drawing_clear (self->edit);
  edit_changed (self);
}

gboolean
tg_video_area_undo (TgVideoArea *self)
{
  g_return_val_if_fail (TG_IS_VIDEO_AREA (self), FALSE);
  if (!tg_drawing_remove_last (self->edit))
    return FALSE;
  edit_changed (self);
  return TRUE;
}

/* ---- pointer ---- */

static TgShapeKind
kind_of_tool (TgTool tool)
{
  switch (tool)
    {
    case TG_TOOL_ARROW: return TG_SHAPE_ARROW;
    case TG_TOOL_CIRCLE: return TG_SHAPE_CIRCLE;
    case TG_TOOL_RECT: return TG_SHAPE_RECT;
    case TG_TOOL_TEXT: return TG_SHAPE_TEXT;
    case TG_TOOL_FREEHAND:
    case TG_TOOL_LINE:
    case TG_TOOL_NONE:
    default:
      return TG_SHAPE_STROKE;
    }
}

void
tg_video_area_pointer_begin (TgVideoArea *self,
                             double       x,
                             double       y)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->tool == TG_TOOL_NONE)
    return;
  graphene_point_t p = normalize (self, x, y);
  if (self->tool == TG_TOOL_TEXT)
    {
      self->text_at = p;
      self->text_pending = TRUE;
      gtk_popover_set_pointing_to (self->text_popover, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
      gtk_editable_set_text (GTK_EDITABLE (self->text_entry), "");
      gtk_popover_popup (self->text_popover);
      gtk_widget_grab_focus (GTK_WIDGET (self->text_entry));
      return;
    }
  g_clear_pointer (&self->current, tg_shape_free);
  self->current = tg_shape_new (kind_of_tool (self->tool), &self->color, 0.0);
  tg_shape_add_point (self->current, p.x, p.y);
  if (self->tool != TG_TOOL_FREEHAND)
    tg_shape_add_point (self->current, p.x, p.y);  /* the end, moved by the drag */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tg_video_area_pointer_update (TgVideoArea *self,
                              double       x,
                              double       y)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (self->current == NULL)
    return;
  graphene_point_t p = normalize (self, x, y);
  if (self->tool == TG_TOOL_FREEHAND)
    tg_shape_add_point (self->current, p.x, p.y);
  else
    tg_shape_set_last_point (self->current, p.x, p.y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tg_video_area_pointer_end (TgVideoArea *self,
                           double       x,
                           double       y)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (self->current == NULL)
    return;
  tg_video_area_pointer_update (self, x, y);
  TgShape *shape = g_steal_pointer (&self->current);
  if (!tg_shape_is_complete (shape))
    {
      tg_shape_free (shape);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  tg_drawing_add_shape (self->edit, shape);
  edit_changed (self);
}

void
tg_video_area_add_text (TgVideoArea *self,
                        const char  *text)
{
  g_return_if_fail (TG_IS_VIDEO_AREA (self));
  if (!self->text_pending || text == NULL)
    return;
  TgShape *shape = tg_shape_new (TG_SHAPE_TEXT, &self->color, 0.0);
  tg_shape_add_point (shape, self->text_at.x, self->text_at.y);
  shape->text = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), TG_DRAWING_MAX_TEXT_CHARS));
  if (!tg_shape_is_complete (shape))
    {
      tg_shape_free (shape);
      return;
    }
  self->text_pending = FALSE;
  gtk_popover_popdown (self->text_popover);
  tg_drawing_add_shape (self->edit, shape);
  edit_changed (self);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TgVideoArea    *self)
{
  tg_video_area_pointer_begin (self, x, y);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TgVideoArea    *self)
{
  double x, y;
  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    tg_video_area_pointer_update (self, x + dx, y + dy);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TgVideoArea    *self)
{
  double x, y;
  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    tg_video_area_pointer_end (self, x + dx, y + dy);
}

static void
on_text_activate (GtkEntry    *entry,
                  TgVideoArea *self)
{
  tg_video_area_add_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_text_add_clicked (GtkButton   *button,
                     TgVideoArea *self)
{
  on_text_activate (self->text_entry, self);
}

/* ---- GObject ---- */

GtkWidget *
tg_video_area_new (void)
{
  return g_object_new (TG_TYPE_VIDEO_AREA, NULL);
}

static void
tg_video_area_dispose (GObject *object)
{
  TgVideoArea *self = TG_VIDEO_AREA (object);

  swap_paintable (self, &self->paintable, NULL);
  swap_paintable (self, &self->overlay, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_VIDEO_AREA);
  /* Children without a bound name are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tg_video_area_parent_class)->dispose (object);
}

static void
tg_video_area_finalize (GObject *object)
{
  TgVideoArea *self = TG_VIDEO_AREA (object);

  g_ptr_array_unref (self->drawings);
  g_clear_pointer (&self->peer, tg_drawing_unref);
  tg_drawing_unref (self->edit);
  g_clear_pointer (&self->current, tg_shape_free);
  G_OBJECT_CLASS (tg_video_area_parent_class)->finalize (object);
}

static void
tg_video_area_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TgVideoArea *self = TG_VIDEO_AREA (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE: g_value_set_object (value, self->paintable); break;
    case PROP_OVERLAY: g_value_set_object (value, self->overlay); break;
    case PROP_OVERLAY_OPACITY: g_value_set_double (value, self->overlay_opacity); break;
    case PROP_TOOL: g_value_set_enum (value, self->tool); break;
    case PROP_COLOR: g_value_set_boxed (value, &self->color); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_video_area_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TgVideoArea *self = TG_VIDEO_AREA (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE: tg_video_area_set_paintable (self, g_value_get_object (value)); break;
    case PROP_OVERLAY: tg_video_area_set_overlay (self, g_value_get_object (value)); break;
    case PROP_OVERLAY_OPACITY: tg_video_area_set_overlay_opacity (self, g_value_get_double (value)); break;
    case PROP_TOOL: tg_video_area_set_tool (self, g_value_get_enum (value)); break;
    case PROP_COLOR:
      if (g_value_get_boxed (value) != NULL)
        tg_video_area_set_color (self, g_value_get_boxed (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_video_area_class_init (TgVideoAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_video_area_dispose;
  object_class->finalize = tg_video_area_finalize;
  object_class->get_property = tg_video_area_get_property;
  object_class->set_property = tg_video_area_set_property;
  widget_class->snapshot = tg_video_area_snapshot;
  widget_class->measure = tg_video_area_measure;
  widget_class->size_allocate = tg_video_area_size_allocate;
  widget_class->unmap = tg_video_area_unmap;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  props[PROP_PAINTABLE] = g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE, rw);
  props[PROP_OVERLAY] = g_param_spec_object ("overlay", NULL, NULL, GDK_TYPE_PAINTABLE, rw);
  props[PROP_OVERLAY_OPACITY] = g_param_spec_double ("overlay-opacity", NULL, NULL, 0.0, 1.0, 0.5, rw);
  props[PROP_TOOL] = g_param_spec_enum ("tool", NULL, NULL, TG_TYPE_TOOL, TG_TOOL_NONE, rw);
  props[PROP_COLOR] = g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA, rw);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* TgVideoArea::changed: the edit drawing got or lost a shape. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  tg_player_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/player/tg-video-area.ui");
  gtk_widget_class_bind_template_child (widget_class, TgVideoArea, text_popover);
  gtk_widget_class_bind_template_child (widget_class, TgVideoArea, text_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_update);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_end);
  gtk_widget_class_bind_template_callback (widget_class, on_text_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_text_add_clicked);
  gtk_widget_class_set_css_name (widget_class, "tg-video-area");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tg_video_area_init (TgVideoArea *self)
{
  self->drawings = g_ptr_array_new_with_free_func ((GDestroyNotify) tg_drawing_unref);
  self->edit = tg_drawing_new ();
  self->overlay_opacity = 0.5;
  self->color = (GdkRGBA) { 0.878, 0.106, 0.141, 1.0 };
  gtk_widget_init_template (GTK_WIDGET (self));
}
