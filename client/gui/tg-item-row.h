/* tg-item-row.h — a row of the coaching lists (blocked times, session
 * types, upcoming sessions): a title, a subtitle, an optional badge and
 * up to four buttons, each bound to an action with a target:
 *
 *   TG_ITEM_ROW_PRIMARY   a suggested text button ("Join")
 *   TG_ITEM_ROW_TEXT      a flat text button ("Reschedule…", "Deactivate")
 *   TG_ITEM_ROW_EDIT      an icon button (pencil)
 *   TG_ITEM_ROW_REMOVE    an icon button (bin, or another icon)
 *
 * Buttons stay hidden until set.  Their widget names are "item-primary",
 * "item-text", "item-edit" and "item-remove". */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_ITEM_ROW (tg_item_row_get_type ())

G_DECLARE_FINAL_TYPE (TgItemRow, tg_item_row, TG, ITEM_ROW, AdwActionRow)

typedef enum {
  TG_ITEM_ROW_PRIMARY,
  TG_ITEM_ROW_TEXT,
  TG_ITEM_ROW_EDIT,
  TG_ITEM_ROW_REMOVE,
} TgItemRowButton;

/* @id: what the row stands for (kept; tg_item_row_get_id()). */
TgItemRow  *tg_item_row_new         (const char      *id,
                                     const char      *title,
                                     const char      *subtitle);
const char *tg_item_row_get_id      (TgItemRow       *self);
/* A badge after the text (NULL: none). */
void        tg_item_row_set_badge   (TgItemRow       *self,
                                     const char      *text);
/* Shows button @which: @label (text buttons) or @tooltip (icon buttons,
 * @icon NULL for the default icon), activating @action with the string
 * target @target. */
void        tg_item_row_set_button  (TgItemRow       *self,
                                     TgItemRowButton  which,
                                     const char      *label,
                                     const char      *icon,
                                     const char      *action,
                                     const char      *target);
void        tg_item_row_hide_button (TgItemRow       *self,
                                     TgItemRowButton  which);
GtkWidget  *tg_item_row_get_button  (TgItemRow       *self,
                                     TgItemRowButton  which);

G_END_DECLS
