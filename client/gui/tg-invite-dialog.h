/* tg-invite-dialog.h — invites somebody into a group by e-mail (POST
 * /groups/{id}/invitations) and then shows the invitation: its QR code
 * (GET /invitations/{code}/qr.png) to scan from the screen, the code, the
 * link with a copy button, and "Save QR Code…" to keep the PNG. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_INVITE_DIALOG (tg_invite_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TgInviteDialog, tg_invite_dialog, TG, INVITE_DIALOG, AdwWindow)

TgInviteDialog *tg_invite_dialog_new         (GtkWindow      *parent,
                                              JsonObject     *group);
/* The invitation made (NULL before): code, url, app_url, … */
JsonObject     *tg_invite_dialog_get_invitation (TgInviteDialog *self);
/* Whether the QR code is on show. */
gboolean        tg_invite_dialog_has_qr      (TgInviteDialog *self);
/* Writes the QR code's PNG to @file (what "Save QR Code…" does). */
void            tg_invite_dialog_save_qr_to  (TgInviteDialog *self,
                                              GFile          *file);

G_END_DECLS
