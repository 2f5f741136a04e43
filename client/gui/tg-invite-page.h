/* tg-invite-page.h — opens an invitation: a code typed in or from a
 * tandem://invite/CODE link; shows the group's name and picture and who
 * invites; then joins the group (signed in) or creates an account with the
 * invitation (signed out).  Emits "done" (outcome, group id or NULL) with
 * outcome "joined", "registered", "sign-in" (has an account: sign in
 * first) or "cancelled". */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_INVITE_PAGE (tg_invite_page_get_type ())

G_DECLARE_FINAL_TYPE (TgInvitePage, tg_invite_page, TG, INVITE_PAGE, AdwBin)

/* Starts over; with @code (may be NULL) looks it up at once. */
void        tg_invite_page_open     (TgInvitePage *self,
                                     const char   *code);
/* The code looked up last, or NULL. */
const char *tg_invite_page_get_code (TgInvitePage *self);

/* The code in what someone typed or pasted: a code, a tandem://invite/CODE
 * link or a web link ending in /invite/CODE; NULL when there is none. */
char       *tg_invite_page_parse    (const char   *text);

G_END_DECLS
