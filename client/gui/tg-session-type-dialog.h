/* tg-session-type-dialog.h — a session type's name, description and
 * length (15–120 minutes), to create one or change it.  Emits "saved"
 * with the values once the name is not empty. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_SESSION_TYPE_DIALOG (tg_session_type_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgSessionTypeDialog, tg_session_type_dialog, TG, SESSION_TYPE_DIALOG, AdwMessageDialog)

/* @type: the session type to change (NULL: a new one). */
TgSessionTypeDialog *tg_session_type_dialog_new (GtkWindow  *parent,
                                                 JsonObject *type);

G_END_DECLS
