/* tg-week-view.c — see tg-week-view.h. */
#define G_LOG_DOMAIN "tg-week-view"

#include "tg-week-view.h"

#include "tg-coaching.h"

#include <glib/gi18n.h>

#define HEADER_HEIGHT 28.0
#define GUTTER_WIDTH 52.0
#define HOUR_HEIGHT 20.0
#define MIN_COLUMN_WIDTH 64.0
#define EDGE 6.0          /* how near a block's edge a drag resizes it */
#define CLICK_SLOP 4.0    /* a press that moves less is a click */
#define DAY_MINUTES (24 * 60)

typedef enum {
  MODE_NONE,
  MODE_CREATE,
  MODE_PRESS,        /* on a block; a click unless it moves */
  MODE_MOVE,
  MODE_RESIZE_START,
  MODE_RESIZE_END,
} Mode;

struct _TgWeekView
{
  GtkWidget parent_instance;

  GArray *windows;              /* TandemWindow */

  Mode mode;
  double press_x, press_y;
  int anchor_column;
  int anchor_minute;            /* snapped */
  guint hit;                    /* the window pressed */
  TandemWindow before;          /* it, as it was at the press */
  int grab_offset;              /* minutes from its start to the press */
  gboolean preview;             /* a window being drawn */
  int preview_column, preview_start, preview_end;
};

G_DEFINE_FINAL_TYPE (TgWeekView, tg_week_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CHANGED,
  SIGNAL_WINDOW_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the model ---- */

static gboolean
crosses_midnight (const TandemWindow *w)
{
  return w->end_minute <= w->start_minute;
}

static int
compare_windows (gconstpointer a,
                 gconstpointer b)
{
  const TandemWindow *x = a, *y = b;
  if (x->day_of_week != y->day_of_week)
    return x->day_of_week - y->day_of_week;
  if (x->start_minute != y->start_minute)
    return x->start_minute - y->start_minute;
  return x->end_minute - y->end_minute;
}

/* Sorts, and merges the windows of one day that overlap or touch (those
 * running past midnight stay as they are). */
static void
normalize (TgWeekView *self)
{
  g_array_sort (self->windows, compare_windows);
  for (guint i = 0; i + 1 < self->windows->len;)
    {
      TandemWindow *a = &g_array_index (self->windows, TandemWindow, i);
      TandemWindow *b = &g_array_index (self->windows, TandemWindow, i + 1);
      if (a->day_of_week == b->day_of_week && !crosses_midnight (a) && !crosses_midnight (b) &&
          b->start_minute <= a->end_minute)
        {
          a->end_minute = MAX (a->end_minute, b->end_minute);
          g_array_remove_index (self->windows, i + 1);
        }
      else
        i++;
    }
}

static guint
index_of (TgWeekView *self,
          int         day,
          int         minute)
{
  for (guint i = 0; i < self->windows->len; i++)
    {
      const TandemWindow *w = &g_array_index (self->windows, TandemWindow, i);
      if (w->day_of_week == day && minute >= w->start_minute &&
          (crosses_midnight (w) || minute < w->end_minute))
        return i;
    }
  return 0;
}

static void
changed (TgWeekView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
tg_week_view_set_windows (TgWeekView         *self,
                          const TandemWindow *windows,
                          guint               n_windows)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  g_array_set_size (self->windows, 0);
  for (guint i = 0; i < n_windows; i++)
    if (windows[i].day_of_week >= 0 && windows[i].day_of_week <= 6)
      g_array_append_val (self->windows, windows[i]);
  normalize (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const TandemWindow *
tg_week_view_get_windows (TgWeekView *self,
                          guint      *n_windows)
{
  g_return_val_if_fail (TG_IS_WEEK_VIEW (self), NULL);
  if (n_windows != NULL)
    *n_windows = self->windows->len;
  return (const TandemWindow *) self->windows->data;
}

static void
add (TgWeekView *self,
     int         day,
     int         start_minute,
     int         end_minute)
{
  TandemWindow w = { day, CLAMP (start_minute, 0, DAY_MINUTES - 1), CLAMP (end_minute, 0, DAY_MINUTES) };
  g_array_append_val (self->windows, w);
  normalize (self);
}

guint
tg_week_view_add_window (TgWeekView *self,
                         int         day,
                         int         start_minute,
                         int         end_minute)
{
  g_return_val_if_fail (TG_IS_WEEK_VIEW (self), 0);
  g_return_val_if_fail (day >= 0 && day <= 6, 0);
  add (self, day, start_minute, end_minute);
  changed (self);
  return index_of (self, day, CLAMP (start_minute, 0, DAY_MINUTES - 1));
}

void
tg_week_view_replace_window (TgWeekView *self,
                             guint       index,
                             int         day,
                             int         start_minute,
                             int         end_minute)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  g_return_if_fail (index < self->windows->len);
  g_return_if_fail (day >= 0 && day <= 6);
  g_array_remove_index (self->windows, index);
  add (self, day, start_minute, end_minute);
  changed (self);
}

void
tg_week_view_remove_window (TgWeekView *self,
                            guint       index)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  g_return_if_fail (index < self->windows->len);
  g_array_remove_index (self->windows, index);
  changed (self);
}

/* ---- geometry ---- */

static double
column_width (TgWeekView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  return MAX ((width - GUTTER_WIDTH) / 7.0, 1.0);
}

static double
y_of_minute (int minute)
{
  return HEADER_HEIGHT + minute * HOUR_HEIGHT / 60.0;
}

/* The column under @x (clamped to the grid). */
static int
column_at (TgWeekView *self,
           double      x)
{
  int column = (int) ((x - GUTTER_WIDTH) / column_width (self));
  return CLAMP (column, 0, 6);
}

/* The minute under @y, snapped to the grid (0..1440). */
static int
minute_at (double y)
{
  double minutes = (y - HEADER_HEIGHT) * 60.0 / HOUR_HEIGHT;
  int snapped = (int) (minutes / TG_WEEK_VIEW_SNAP_MINUTES + 0.5) * TG_WEEK_VIEW_SNAP_MINUTES;
  return CLAMP (snapped, 0, DAY_MINUTES);
}

void
tg_week_view_get_point (TgWeekView *self,
                        int         day,
                        int         minute,
                        double     *x,
                        double     *y)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  *x = GUTTER_WIDTH + (tg_coaching_column_of_day (day) + 0.5) * column_width (self);
  *y = y_of_minute (minute);
}

typedef struct {
  guint index;
  int column;
  int start, end;    /* of this piece, within its day */
} Piece;

/* The one or two pieces window @i draws as (past midnight: two). */
static guint
pieces_of (TgWeekView *self,
           guint       i,
           Piece       pieces[2])
{
  const TandemWindow *w = &g_array_index (self->windows, TandemWindow, i);
  int column = tg_coaching_column_of_day (w->day_of_week);
  if (!crosses_midnight (w))
    {
      pieces[0] = (Piece) { i, column, w->start_minute, w->end_minute };
      return 1;
    }
  pieces[0] = (Piece) { i, column, w->start_minute, DAY_MINUTES };
  pieces[1] = (Piece) { i, tg_coaching_column_of_day ((w->day_of_week + 1) % 7), 0, w->end_minute };
  return w->end_minute > 0 ? 2 : 1;
}

static void
piece_rect (TgWeekView      *self,
            const Piece     *piece,
            graphene_rect_t *rect)
{
  double cw = column_width (self);
  double top = y_of_minute (piece->start);
  graphene_rect_init (rect, GUTTER_WIDTH + piece->column * cw + 2, top + 1,
                      cw - 4, MAX (y_of_minute (piece->end) - top - 2, 2));
}

/* The window under (@x, @y) and its piece; FALSE when none. */
static gboolean
hit_test (TgWeekView *self,
          double      x,
          double      y,
          Piece      *hit)
{
  for (guint i = 0; i < self->windows->len; i++)
    {
      Piece pieces[2];
      guint n = pieces_of (self, i, pieces);
      for (guint p = 0; p < n; p++)
        {
          graphene_rect_t rect;
          piece_rect (self, &pieces[p], &rect);
          if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
            {
              *hit = pieces[p];
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* ---- the pointer ---- */

void
tg_week_view_pointer_begin (TgWeekView *self,
                            double      x,
                            double      y)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  Piece piece;

  self->press_x = x;
  self->press_y = y;
  self->preview = FALSE;
  if (x < GUTTER_WIDTH || y < HEADER_HEIGHT)
    {
      self->mode = MODE_NONE;
      return;
    }
  self->anchor_column = column_at (self, x);
  self->anchor_minute = minute_at (y);
  if (!hit_test (self, x, y, &piece))
    {
      self->mode = MODE_CREATE;
      return;
    }
  graphene_rect_t rect;
  piece_rect (self, &piece, &rect);
  self->hit = piece.index;
  self->before = g_array_index (self->windows, TandemWindow, piece.index);
  gboolean whole = !crosses_midnight (&self->before);
  if (whole && y >= rect.origin.y + rect.size.height - EDGE)
    self->mode = MODE_RESIZE_END;
  else if (whole && y <= rect.origin.y + EDGE)
    self->mode = MODE_RESIZE_START;
  else
    {
      self->mode = MODE_PRESS;
      self->grab_offset = whole ? self->anchor_minute - self->before.start_minute : 0;
    }
}

void
tg_week_view_pointer_update (TgWeekView *self,
                             double      x,
                             double      y)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  int minute = minute_at (y);
  TandemWindow *w = self->mode >= MODE_PRESS && self->hit < self->windows->len
                    ? &g_array_index (self->windows, TandemWindow, self->hit) : NULL;

  switch (self->mode)
    {
    case MODE_NONE:
      return;
    case MODE_CREATE:
      self->preview = TRUE;
      self->preview_column = self->anchor_column;
      self->preview_start = MIN (self->anchor_minute, minute);
      self->preview_end = MAX (self->anchor_minute, minute);
      break;
    case MODE_PRESS:
      if (ABS (x - self->press_x) < CLICK_SLOP && ABS (y - self->press_y) < CLICK_SLOP)
        return;
      if (crosses_midnight (&self->before))
        return;   /* past midnight: edited in the dialog only */
      self->mode = MODE_MOVE;
      G_GNUC_FALLTHROUGH;
    case MODE_MOVE:
      {
        int length = self->before.end_minute - self->before.start_minute;
        int start = CLAMP (minute - self->grab_offset, 0, DAY_MINUTES - length);
        w->day_of_week = tg_coaching_day_at_column (column_at (self, x));
        w->start_minute = start;
        w->end_minute = start + length;
      }
      break;
    case MODE_RESIZE_START:
      w->start_minute = CLAMP (minute, 0, w->end_minute - TG_WEEK_VIEW_SNAP_MINUTES);
      break;
    case MODE_RESIZE_END:
      w->end_minute = CLAMP (minute, w->start_minute + TG_WEEK_VIEW_SNAP_MINUTES, DAY_MINUTES);
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tg_week_view_pointer_end (TgWeekView *self,
                          double      x,
                          double      y)
{
  g_return_if_fail (TG_IS_WEEK_VIEW (self));
  tg_week_view_pointer_update (self, x, y);
  Mode mode = self->mode;
  self->mode = MODE_NONE;

  switch (mode)
    {
    case MODE_NONE:
      break;
    case MODE_CREATE:
      self->preview = FALSE;
      if (self->preview_end - self->preview_start >= TG_WEEK_VIEW_SNAP_MINUTES)
        {
          add (self, tg_coaching_day_at_column (self->preview_column), self->preview_start, self->preview_end);
          changed (self);
        }
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case MODE_PRESS:
      g_signal_emit (self, signals[SIGNAL_WINDOW_ACTIVATED], 0, self->hit);
      break;
    case MODE_MOVE:
    case MODE_RESIZE_START:
    case MODE_RESIZE_END:
      {
        const TandemWindow *w = &g_array_index (self->windows, TandemWindow, self->hit);
        if (compare_windows (w, &self->before) != 0)
          {
            normalize (self);
            changed (self);
          }
      }
      break;
    }
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TgWeekView     *self)
{
  tg_week_view_pointer_begin (self, x, y);
  if (self->mode == MODE_NONE)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TgWeekView     *self)
{
  double x, y;
  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  tg_week_view_pointer_update (self, x + dx, y + dy);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TgWeekView     *self)
{
  double x, y;
  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  tg_week_view_pointer_end (self, x + dx, y + dy);
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           TgWeekView               *self)
{
  Piece piece;
  const char *cursor = "cell";

  if (x < GUTTER_WIDTH || y < HEADER_HEIGHT)
    cursor = NULL;
  else if (hit_test (self, x, y, &piece))
    {
      graphene_rect_t rect;
      piece_rect (self, &piece, &rect);
      const TandemWindow *w = &g_array_index (self->windows, TandemWindow, piece.index);
      gboolean edge = y >= rect.origin.y + rect.size.height - EDGE || y <= rect.origin.y + EDGE;
      cursor = !crosses_midnight (w) && edge ? "ns-resize" : "pointer";
    }
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

/* ---- drawing ---- */

static void
color_of (GtkWidget  *widget,
          const char *name,
          GdkRGBA    *color,
          const char *fallback)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  if (!gtk_style_context_lookup_color (style, name, color))
    gdk_rgba_parse (color, fallback);
}

/* @text at (@x, @y) in at most @lines lines of @width (ellipsized);
 * @valign_center: @y is the middle of the first line. */
static void
draw_text (TgWeekView     *self,
           GtkSnapshot    *snapshot,
           const char     *text,
           double          x,
           double          y,
           double          width,
           int             lines,
           gboolean        centered,
           gboolean        valign_center,
           const GdkRGBA  *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_height (layout, -MAX (lines, 1));
  pango_layout_get_pixel_size (layout, &w, &h);
  if (valign_center)
    y -= h / (2.0 * MAX (pango_layout_get_line_count (layout), 1));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (centered ? x + (width - w) / 2 : x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
draw_block (TgWeekView      *self,
            GtkSnapshot     *snapshot,
            graphene_rect_t *rect,
            const GdkRGBA   *fill,
            const GdkRGBA   *ink,
            const char      *label)
{
  GskRoundedRect rounded;
  gsk_rounded_rect_init_from_rect (&rounded, rect, 6);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, fill, rect);
  if (label != NULL && rect->size.height >= 14)
    draw_text (self, snapshot, label, rect->origin.x + 4, rect->origin.y + 1, rect->size.width - 8,
               (int) ((rect->size.height - 2) / 16), FALSE, FALSE, ink);
  gtk_snapshot_pop (snapshot);
}

static void
tg_week_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  TgWeekView *self = TG_WEEK_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double cw = column_width (self);
  double bottom = y_of_minute (DAY_MINUTES);
  GdkRGBA fg, line, shade, accent, accent_fg, preview;

  color_of (widget, "window_fg_color", &fg, "#333333");
  line = fg;
  line.alpha = 0.12;
  shade = fg;
  shade.alpha = 0.04;
  color_of (widget, "accent_bg_color", &accent, "#3584e4");
  color_of (widget, "accent_fg_color", &accent_fg, "#ffffff");
  preview = accent;
  preview.alpha = 0.45;
  GdkRGBA dim = fg;
  dim.alpha = 0.6;

  /* Weekend columns shaded, day names on top. */
  for (int c = 0; c < 7; c++)
    {
      int day = tg_coaching_day_at_column (c);
      double x = GUTTER_WIDTH + c * cw;
      if (day == 0 || day == 6)
        gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (x, HEADER_HEIGHT, cw, bottom - HEADER_HEIGHT));
      draw_text (self, snapshot, tg_coaching_day_short_name (day), x, 4, cw, 1, TRUE, FALSE, &fg);
      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, HEADER_HEIGHT, 1, bottom - HEADER_HEIGHT));
    }
  /* Hour lines, labelled every other hour. */
  for (int h = 0; h <= 24; h++)
    {
      double y = y_of_minute (h * 60);
      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (GUTTER_WIDTH - 4, y, width - GUTTER_WIDTH + 4, 1));
      if (h % 2 == 0 && h < 24)
        {
          g_autofree char *label = tg_coaching_format_minutes (h * 60);
          draw_text (self, snapshot, label, 0, h == 0 ? y + 1 : y, GUTTER_WIDTH - 8, 1, FALSE, h != 0, &dim);
        }
    }

  for (guint i = 0; i < self->windows->len; i++)
    {
      const TandemWindow *w = &g_array_index (self->windows, TandemWindow, i);
      g_autofree char *from = tg_coaching_format_minutes (w->start_minute);
      g_autofree char *until = tg_coaching_format_minutes (w->end_minute);
      g_autofree char *label = g_strdup_printf ("%s – %s", from, until);
      Piece pieces[2];
      guint n = pieces_of (self, i, pieces);
      for (guint p = 0; p < n; p++)
        {
          graphene_rect_t rect;
          piece_rect (self, &pieces[p], &rect);
          draw_block (self, snapshot, &rect, &accent, &accent_fg, p == 0 ? label : NULL);
        }
    }

  if (self->preview)
    {
      Piece piece = { 0, self->preview_column, self->preview_start, MAX (self->preview_end, self->preview_start + 1) };
      graphene_rect_t rect;
      g_autofree char *from = tg_coaching_format_minutes (self->preview_start);
      g_autofree char *until = tg_coaching_format_minutes (self->preview_end);
      g_autofree char *label = g_strdup_printf ("%s–%s", from, until);
      piece_rect (self, &piece, &rect);
      draw_block (self, snapshot, &rect, &preview, &accent_fg, label);
    }
}

static void
tg_week_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (GUTTER_WIDTH + 7 * MIN_COLUMN_WIDTH);
      *natural = (int) (GUTTER_WIDTH + 7 * 96);
    }
  else
    *minimum = *natural = (int) (y_of_minute (DAY_MINUTES) + 1);
}

/* ---- object ---- */

TgWeekView *
tg_week_view_new (void)
{
  return g_object_new (TG_TYPE_WEEK_VIEW, NULL);
}

static void
tg_week_view_finalize (GObject *object)
{
  TgWeekView *self = TG_WEEK_VIEW (object);
  g_clear_pointer (&self->windows, g_array_unref);
  G_OBJECT_CLASS (tg_week_view_parent_class)->finalize (object);
}

static void
tg_week_view_class_init (TgWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tg_week_view_finalize;
  widget_class->snapshot = tg_week_view_snapshot;
  widget_class->measure = tg_week_view_measure;
  gtk_widget_class_set_css_name (widget_class, "weekview");

  /* The windows changed (by the pointer or a call). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A block was clicked; the index of its window. */
  signals[SIGNAL_WINDOW_ACTIVATED] = g_signal_new ("window-activated", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
tg_week_view_init (TgWeekView *self)
{
  self->windows = g_array_new (FALSE, TRUE, sizeof (TandemWindow));

  GtkGesture *drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_name (GTK_WIDGET (self), "week-view");
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}
