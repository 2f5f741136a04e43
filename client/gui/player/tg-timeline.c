/* tg-timeline.c — strip, review markers, selection and playhead; see
 * tg-timeline.h. */
#define G_LOG_DOMAIN "tg-timeline"

#include "tg-timeline.h"

#include <glib/gi18n-lib.h>

#define STRIP_HEIGHT 48
#define MARKER_HEIGHT 12
#define PAD 6

typedef struct {
  gint64 at_ms;
  gint64 end_ms;
} Marker;

struct _TgTimeline
{
  GtkWidget parent_instance;

  gint64 duration_ms;
  gint64 position_ms;
  GdkTexture *strip;
  guint strip_frames;
  guint strip_interval_ms;
  guint strip_columns;
  GArray *markers;      /* Marker */
  gint64 in_ms;
  gint64 out_ms;
};

enum {
  SIGNAL_SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgTimeline, tg_timeline, GTK_TYPE_WIDGET)

/* ---- geometry ---- */

static double
track_width (TgTimeline *self)
{
  return MAX (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * PAD, 1);
}

double
tg_timeline_x_of (TgTimeline *self,
                  gint64      position_ms)
{
  g_return_val_if_fail (TG_IS_TIMELINE (self), 0.0);
  if (self->duration_ms <= 0)
    return PAD;
  return PAD + track_width (self) * CLAMP ((double) position_ms / (double) self->duration_ms, 0.0, 1.0);
}

gint64
tg_timeline_position_at (TgTimeline *self,
                         double      x)
{
  g_return_val_if_fail (TG_IS_TIMELINE (self), 0);
  if (self->duration_ms <= 0)
    return 0;
  double fraction = CLAMP ((x - PAD) / track_width (self), 0.0, 1.0);
  return (gint64) (fraction * (double) self->duration_ms + 0.5);
}

/* ---- drawing ---- */

/* Tiles of the strip across the track: each tile shows the strip frame of
 * the time at its middle. */
static void
snapshot_strip (TgTimeline  *self,
                GtkSnapshot *snapshot)
{
  if (self->strip == NULL || self->strip_frames == 0 || self->strip_columns == 0 || self->duration_ms <= 0)
    return;

  int strip_w = gdk_texture_get_width (self->strip);
  int strip_h = gdk_texture_get_height (self->strip);
  guint rows = (self->strip_frames + self->strip_columns - 1) / self->strip_columns;
  double tile_w = (double) strip_w / self->strip_columns;
  double tile_h = (double) strip_h / rows;
  if (tile_w <= 0 || tile_h <= 0)
    return;

  double scale = STRIP_HEIGHT / tile_h;     /* tiles drawn STRIP_HEIGHT high */
  double shown_w = tile_w * scale;
  double width = track_width (self);
  guint n = (guint) MAX (1, width / shown_w + 0.999);

  for (guint i = 0; i < n; i++)
    {
      double x = PAD + i * shown_w;
      double w = MIN (shown_w, PAD + width - x);
      if (w <= 0)
        break;
      gint64 middle = tg_timeline_position_at (self, x + w / 2);
      guint frame = MIN ((guint) (middle / MAX (self->strip_interval_ms, 1)), self->strip_frames - 1);
      double col = frame % self->strip_columns, row = frame / self->strip_columns;

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x, 0, w, STRIP_HEIGHT));
      gtk_snapshot_append_texture (snapshot, self->strip,
                                   &GRAPHENE_RECT_INIT (x - col * shown_w, -row * STRIP_HEIGHT,
                                                        strip_w * scale, strip_h * scale));
      gtk_snapshot_pop (snapshot);
    }
}

static void
tg_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  TgTimeline *self = TG_TIMELINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  /* The track. */
  GdkRGBA track = { fg.red, fg.green, fg.blue, 0.12 };
  gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (PAD, 0, width - 2 * PAD, STRIP_HEIGHT));
  snapshot_strip (self, snapshot);

  if (self->duration_ms <= 0)
    return;

  /* The selection for a new comment. */
  if (self->in_ms >= 0)
    {
      double x0 = tg_timeline_x_of (self, self->in_ms);
      double x1 = self->out_ms >= 0 ? tg_timeline_x_of (self, self->out_ms) : x0 + 2;
      GdkRGBA sel = { 0.21, 0.52, 0.89, 0.35 };
      gtk_snapshot_append_color (snapshot, &sel, &GRAPHENE_RECT_INIT (x0, 0, MAX (x1 - x0, 2), STRIP_HEIGHT));
    }

  /* Markers: a span for a range, a small triangle-ish block for a moment. */
  GdkRGBA marker = { 0.96, 0.76, 0.07, 1.0 };
  double my = STRIP_HEIGHT + 2;
  for (guint i = 0; i < self->markers->len; i++)
    {
      const Marker *m = &g_array_index (self->markers, Marker, i);
      double x = tg_timeline_x_of (self, m->at_ms);
      if (m->end_ms > m->at_ms)
        {
          double x1 = tg_timeline_x_of (self, m->end_ms);
          GdkRGBA span = marker;
          span.alpha = 0.5;
          gtk_snapshot_append_color (snapshot, &span, &GRAPHENE_RECT_INIT (x, my + 3, MAX (x1 - x, 2), MARKER_HEIGHT - 6));
        }
      gtk_snapshot_append_color (snapshot, &marker, &GRAPHENE_RECT_INIT (x - 2, my, 4, MARKER_HEIGHT));
    }

  /* The playhead. */
  double px = tg_timeline_x_of (self, self->position_ms);
  GdkRGBA head = { 0.88, 0.11, 0.14, 1.0 };
  gtk_snapshot_append_color (snapshot, &head, &GRAPHENE_RECT_INIT (px - 1, 0, 2, height));
}

static void
tg_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 100;
      *natural = 600;
    }
  else
    *minimum = *natural = STRIP_HEIGHT + MARKER_HEIGHT + 4;
}

/* ---- input ---- */

static void
seek_to_x (TgTimeline *self,
           double      x)
{
  if (self->duration_ms <= 0)
    return;
  gint64 ms = tg_timeline_position_at (self, x);
  tg_timeline_set_position (self, ms);
  g_signal_emit (self, signals[SIGNAL_SEEK], 0, ms);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TgTimeline     *self)
{
  seek_to_x (self, x);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TgTimeline     *self)
{
  double x, y;
  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    seek_to_x (self, x + dx);
}

/* ---- API ---- */

GtkWidget *
tg_timeline_new (void)
{
  return g_object_new (TG_TYPE_TIMELINE, NULL);
}

void
tg_timeline_set_duration (TgTimeline *self,
                          gint64      duration_ms)
{
  g_return_if_fail (TG_IS_TIMELINE (self));
  if (self->duration_ms == duration_ms)
    return;
  self->duration_ms = duration_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
tg_timeline_get_duration (TgTimeline *self)
{
  g_return_val_if_fail (TG_IS_TIMELINE (self), -1);
  return self->duration_ms;
}

void
tg_timeline_set_position (TgTimeline *self,
                          gint64      position_ms)
{
  g_return_if_fail (TG_IS_TIMELINE (self));
  if (self->position_ms == position_ms)
    return;
  self->position_ms = position_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
tg_timeline_get_position (TgTimeline *self)
{
  g_return_val_if_fail (TG_IS_TIMELINE (self), -1);
  return self->position_ms;
}

void
tg_timeline_set_strip (TgTimeline *self,
                       GdkTexture *strip,
                       guint       frames,
                       guint       interval_ms,
                       guint       columns)
{
  g_return_if_fail (TG_IS_TIMELINE (self));
  g_set_object (&self->strip, strip);
  self->strip_frames = frames;
  self->strip_interval_ms = interval_ms;
  self->strip_columns = columns;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tg_timeline_clear_markers (TgTimeline *self)
{
  g_return_if_fail (TG_IS_TIMELINE (self));
  g_array_set_size (self->markers, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tg_timeline_add_marker (TgTimeline *self,
                        gint64      at_ms,
                        gint64      end_ms)
{
  g_return_if_fail (TG_IS_TIMELINE (self));
  Marker m = { at_ms, end_ms };
  g_array_append_val (self->markers, m);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tg_timeline_get_n_markers (TgTimeline *self)
{
  g_return_val_if_fail (TG_IS_TIMELINE (self), 0);
  return self->markers->len;
}

void
tg_timeline_set_selection (TgTimeline *self,
                           gint64      in_ms,
                           gint64      out_ms)
{
  g_return_if_fail (TG_IS_TIMELINE (self));
  self->in_ms = in_ms;
  self->out_ms = out_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- GObject ---- */

static void
tg_timeline_finalize (GObject *object)
{
  TgTimeline *self = TG_TIMELINE (object);

  g_clear_object (&self->strip);
  g_array_unref (self->markers);
  G_OBJECT_CLASS (tg_timeline_parent_class)->finalize (object);
}

static void
tg_timeline_class_init (TgTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tg_timeline_finalize;
  widget_class->snapshot = tg_timeline_snapshot;
  widget_class->measure = tg_timeline_measure;

  /* TgTimeline::seek (gint64 position_ms): a click or drag on the strip. */
  signals[SIGNAL_SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_css_name (widget_class, "tg-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
tg_timeline_init (TgTimeline *self)
{
  self->markers = g_array_new (FALSE, FALSE, sizeof (Marker));
  self->duration_ms = -1;
  self->in_ms = -1;
  self->out_ms = -1;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, C_("player", "Timeline"), -1);

  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}
