/* tg-week-view.h — an expert's weekly hours drawn as a week: seven day
 * columns (Monday first), the hours of the day downwards, each window of
 * availability a block.  Edited with the pointer, on a 15-minute grid:
 *
 *   drag on free space       adds a window over the dragged hours
 *   drag a block's top or bottom edge   moves its start or end
 *   drag a block             moves it (to another time or day)
 *   click a block            "window-activated" (the page opens a dialog
 *                            to edit its exact times or remove it)
 *
 * Windows are TandemWindow (shared/tandem-slots.h: day 0 = Sunday,
 * minutes after local midnight; end <= start runs past midnight).  Windows
 * of one day that overlap or touch are merged.  "changed" is emitted for
 * every change made with the pointer or through the functions below (not
 * for tg_week_view_set_windows()). */
#pragma once

#include <gtk/gtk.h>

#include "tandem-slots.h"

G_BEGIN_DECLS

#define TG_TYPE_WEEK_VIEW (tg_week_view_get_type ())

G_DECLARE_FINAL_TYPE (TgWeekView, tg_week_view, TG, WEEK_VIEW, GtkWidget)

#define TG_WEEK_VIEW_SNAP_MINUTES 15

TgWeekView         *tg_week_view_new             (void);

/* Replaces every window (copied, then merged and sorted). */
void                tg_week_view_set_windows     (TgWeekView         *self,
                                                  const TandemWindow *windows,
                                                  guint               n_windows);
/* The windows, sorted by day and start; @n_windows receives their count. */
const TandemWindow *tg_week_view_get_windows     (TgWeekView         *self,
                                                  guint              *n_windows);
/* Adds a window (merged with those it overlaps); returns its index after
 * merging.  @end <= @start runs past midnight. */
guint               tg_week_view_add_window      (TgWeekView         *self,
                                                  int                 day,
                                                  int                 start_minute,
                                                  int                 end_minute);
/* Changes window @index (then merges). */
void                tg_week_view_replace_window  (TgWeekView         *self,
                                                  guint               index,
                                                  int                 day,
                                                  int                 start_minute,
                                                  int                 end_minute);
void                tg_week_view_remove_window   (TgWeekView         *self,
                                                  guint               index);

/* Where @minute of @day lies in the widget (the middle of the day's
 * column), for tests and for the pointer functions below. */
void                tg_week_view_get_point       (TgWeekView         *self,
                                                  int                 day,
                                                  int                 minute,
                                                  double             *x,
                                                  double             *y);

/* What the drag gesture calls, in widget coordinates; tests drive the view
 * through them too. */
void                tg_week_view_pointer_begin   (TgWeekView         *self,
                                                  double              x,
                                                  double              y);
void                tg_week_view_pointer_update  (TgWeekView         *self,
                                                  double              x,
                                                  double              y);
void                tg_week_view_pointer_end     (TgWeekView         *self,
                                                  double              x,
                                                  double              y);

G_END_DECLS
