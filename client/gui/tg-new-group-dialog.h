/* tg-new-group-dialog.h — asks for a group's name and creates it
 * (POST /groups); emits "created" with the new group's id. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_NEW_GROUP_DIALOG (tg_new_group_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgNewGroupDialog, tg_new_group_dialog, TG, NEW_GROUP_DIALOG, AdwMessageDialog)

TgNewGroupDialog *tg_new_group_dialog_new (GtkWindow *parent);

G_END_DECLS
