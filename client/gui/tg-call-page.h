/* tg-call-page.h — the video call of a coaching session (the window's
 * "call" page, where Join leads): the other participant's video large,
 * the self view small, mute, camera off/on, screen share (shown only
 * where a screen can be captured: an X11 display with ximagesrc), hang
 * up, the connection quality (good/fair/poor from the engine's round-trip
 * time and packet loss, read every 2 s), whether the other one is there
 * ("Waiting for Sam to join…", "Sam left the call."), and "Review
 * Together" (tg-call-review.h) beside the call.
 *
 * The call runs on the call engine (tc-call.h) joined to signald by a
 * TgCallLink (tg-call-link.h).  Sources: the camera and the microphone,
 * or what $TANDEM_CALL_VIDEO and $TANDEM_CALL_AUDIO name (the engine's
 * source specs: "test:blue", "none", a file…); $TANDEM_CALL_SPEAKERS=off
 * keeps the other side's sound silent.  A source that cannot open is
 * left out (no camera: the call goes on without video, and turning the
 * camera on later adds it and renegotiates).
 *
 * Leaving the page (tg_call_page_leave(), which the window calls when it
 * shows another page) leaves the call; the Hang Up button hangs up and
 * goes back to the group.  Either way the engine, its pipeline and the
 * socket are gone afterwards. */
#pragma once

#include <adwaita.h>

#include "tc-call.h"
#include "tg-call-link.h"
#include "tg-call-review.h"

G_BEGIN_DECLS

#define TG_TYPE_CALL_PAGE (tg_call_page_get_type ())

G_DECLARE_FINAL_TYPE (TgCallPage, tg_call_page, TG, CALL_PAGE, AdwBin)

/* Joins the call of booking @booking_id of group @group_id (loads the
 * booking, then connects); leaves any call before. */
void           tg_call_page_join             (TgCallPage *self,
                                              const char *group_id,
                                              const char *booking_id);
const char    *tg_call_page_get_booking      (TgCallPage *self);

/* Leaves the call (the other side sees "left"); nothing when none. */
void           tg_call_page_leave            (TgCallPage *self);
/* Hangs up and goes back to the group (the Hang Up button). */
void           tg_call_page_hangup           (TgCallPage *self);

/* Whether the next join starts with the camera on (TRUE by default). */
void           tg_call_page_set_camera_on_join (TgCallPage *self,
                                                gboolean    on);

/* For tests: the engine and the link of the call (NULL without a call),
 * the text over the video ("" when none), the quality shown, the review
 * pane. */
TcCall        *tg_call_page_get_call         (TgCallPage *self);
TgCallLink    *tg_call_page_get_link         (TgCallPage *self);
const char    *tg_call_page_get_status       (TgCallPage *self);
const char    *tg_call_page_get_quality      (TgCallPage *self);
TgCallReview  *tg_call_page_get_review       (TgCallPage *self);
/* Whether screen sharing is offered here. */
gboolean       tg_call_page_can_share_screen (void);

G_END_DECLS
