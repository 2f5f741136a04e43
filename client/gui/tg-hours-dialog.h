/* tg-hours-dialog.h — one window of weekly availability with exact times:
 * a day, a start and an end ("HH:MM"; an end at or before the start runs
 * past midnight).  Used to add a window ("saved" with the values) and to
 * edit one of the week view's ("saved", or "removed" from its Remove
 * button).  The dialog checks the times before it lets "Save" through. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_HOURS_DIALOG (tg_hours_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgHoursDialog, tg_hours_dialog, TG, HOURS_DIALOG, AdwMessageDialog)

/* @editing: show "Remove" (the window exists already). */
TgHoursDialog *tg_hours_dialog_new   (GtkWindow *parent,
                                      int        day,
                                      int        start_minute,
                                      int        end_minute,
                                      gboolean   editing);

/* What the fields say now; FALSE when a time is not valid. */
gboolean       tg_hours_dialog_get   (TgHoursDialog *self,
                                      int           *day,
                                      int           *start_minute,
                                      int           *end_minute);

G_END_DECLS
