/* tg-availability-view.h — an expert's own availability in one group, the
 * "Availability" page of the group (experts and admins only):
 *
 *   weekly hours   TgWeekView, edited with the pointer or TgHoursDialog
 *   time zone      the zone the hours are in (default: the user's)
 *   buffers        free minutes kept before and after each session
 *   Save           PUT /groups/{gid}/coaching/availability
 *
 * and below them the expert's blocked times (TgBlockedGroup) and session
 * types (TgSessionTypesGroup), each saved as soon as changed. */
#pragma once

#include <adwaita.h>

#include "tg-blocked-group.h"
#include "tg-session-types-group.h"
#include "tg-week-view.h"

G_BEGIN_DECLS

#define TG_TYPE_AVAILABILITY_VIEW (tg_availability_view_get_type ())

G_DECLARE_FINAL_TYPE (TgAvailabilityView, tg_availability_view, TG, AVAILABILITY_VIEW, AdwBin)

/* Shows the caller's availability in group @group_id (NULL: none) and
 * loads it (GET …/coaching/availability). */
void                 tg_availability_view_set_group      (TgAvailabilityView *self,
                                                          const char         *group_id);
/* Loads everything again (unsaved changes are lost). */
void                 tg_availability_view_reload         (TgAvailabilityView *self);
/* Whether a load or a save is under way. */
gboolean             tg_availability_view_is_busy        (TgAvailabilityView *self);
/* Whether there are changes not saved yet. */
gboolean             tg_availability_view_has_changes    (TgAvailabilityView *self);
/* Sends the hours, zone and buffers (what the Save button does). */
void                 tg_availability_view_save           (TgAvailabilityView *self);

/* Opens TgHoursDialog for a new window (what "Add Hours…" does); returns it. */
GtkWidget           *tg_availability_view_add_hours      (TgAvailabilityView *self);

TgWeekView          *tg_availability_view_get_week       (TgAvailabilityView *self);
TgBlockedGroup      *tg_availability_view_get_blocked    (TgAvailabilityView *self);
TgSessionTypesGroup *tg_availability_view_get_types      (TgAvailabilityView *self);

G_END_DECLS
