/* tg-window-private.h — the window's state, shared by tg-window.c (pages,
 * session, toasts) and tg-window-groups.c (the sidebar's groups). */
#pragma once

#include "tg-asset-page.h"
#include "tg-group-page.h"
#include "tg-invite-page.h"
#include "tg-call-page.h"
#include "tg-sign-in-page.h"
#include "tg-uploads-view.h"
#include "tg-window.h"

G_BEGIN_DECLS

struct _TgWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  TgSignInPage *sign_in_page;
  TgInvitePage *invite_page;
  AdwLeaflet *leaflet;
  GtkListBox *groups_list;
  GtkStack *groups_stack;
  GtkStack *content_stack;
  TgGroupPage *group_page;
  TgAssetPage *asset_page;
  TgUploadsView *uploads_view;
  TgCallPage *call_page;
  GtkWidget *uploads_button;
  GtkWidget *content_box;

  GPtrArray *toasts;                 /* AdwToast on show */
  GCancellable *cancellable;        /* of the window's own requests */
  GCancellable *groups_cancellable;
  char *select_after_reload;        /* group to select once listed */
  char *pending_invitation;         /* code to accept after signing in */
  char *return_page;                /* where the invitation page goes back to */
};

/* tg-window-groups.c */
void tg_window_groups_init    (TgWindow *self);
void tg_window_groups_clear   (TgWindow *self);
void tg_window_new_group      (TgWindow *self);

/* tg-window.c */
/* With $TANDEM_STARTUP_PROBE: "tandem-ready WHAT US" on stderr, once. */
void tg_window_report_ready   (const char *what);
void tg_window_show_content   (TgWindow   *self,
                               const char *name);

G_END_DECLS
