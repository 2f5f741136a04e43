/* tg-blocked-dialog.h — a blocked time range of an expert: from and until
 * ("YYYY-MM-DD HH:MM" in the user's time zone) and a reason.  Emits
 * "saved" (start and end as unix seconds, the reason) once both times are
 * valid and the end is after the start. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_BLOCKED_DIALOG (tg_blocked_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgBlockedDialog, tg_blocked_dialog, TG, BLOCKED_DIALOG, AdwMessageDialog)

/* Starts with tomorrow, all day. */
TgBlockedDialog *tg_blocked_dialog_new   (GtkWindow       *parent);

/* Parses "YYYY-MM-DD HH:MM" (or "YYYY-MM-DD": midnight) in @zone; NULL
 * when it is no such time. */
GDateTime       *tg_blocked_dialog_parse (const char      *text,
                                          GTimeZone       *zone);

/* What the fields say now; FALSE when invalid. */
gboolean         tg_blocked_dialog_get   (TgBlockedDialog *self,
                                          gint64          *start,
                                          gint64          *end,
                                          const char     **reason);

G_END_DECLS
