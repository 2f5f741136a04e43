/* tg-cancel-dialog.h — "Cancel this session?" with a reason for the other
 * participant; emits "confirmed" with the reason (may be empty). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_CANCEL_DIALOG (tg_cancel_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgCancelDialog, tg_cancel_dialog, TG, CANCEL_DIALOG, AdwMessageDialog)

/* @what: the session, as the list shows it. */
TgCancelDialog *tg_cancel_dialog_new (GtkWindow  *parent,
                                      const char *what);

G_END_DECLS
