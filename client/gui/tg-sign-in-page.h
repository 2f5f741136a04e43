/* tg-sign-in-page.h — the first page: server address, e-mail and password;
 * signs in through the app's TgSession and keeps the server in the
 * settings.  Errors appear under the form as a sentence. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TG_TYPE_SIGN_IN_PAGE (tg_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (TgSignInPage, tg_sign_in_page, TG, SIGN_IN_PAGE, AdwBin)

/* Fills the form from the settings and the session; clears the password. */
void tg_sign_in_page_reset      (TgSignInPage *self);
/* Shows @message under the form (NULL hides it). */
void tg_sign_in_page_show_error (TgSignInPage *self,
                                 const char   *message);

G_END_DECLS
