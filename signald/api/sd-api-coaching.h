/* sd-api-coaching.h — what the live-coaching families share: who acts as
 * which expert, time parsing, an expert's schedule as the slot maths wants
 * it (shared/tandem-slots.h), and the JSON of session types and bookings.
 *
 * The families: sd-api-coaching-types.c (session types),
 * sd-api-availability.c (weekly windows, time zone, buffers),
 * sd-api-coaching-blocked.c (blocked ranges), sd-api-coaching-experts.c
 * (the experts of a group), sd-api-slots.c (free slots), sd-api-bookings.c
 * (book, list, cancel, reschedule).  All live under /groups/{gid}/coaching/.
 *
 * Who may do what, everywhere:
 *  - the group must be visible to the caller (its members, the
 *    organization's admins); otherwise, and for other organizations, 404;
 *  - an "expert" of a group is a member whose role is expert or admin;
 *  - experts and admins manage their own session types, availability and
 *    blocked ranges; admins may act for an expert of the group (expert_id);
 *    students get 403.
 */
#pragma once

#include "api/sd-api.h"
#include "api/sd-api-groups.h"
#include "tandem-slots.h"

G_BEGIN_DECLS

/* Inside an open transaction: fails with NOT_FOUND unless @user_id is a
 * member of @group_id whose role is expert or admin. */
gboolean    sd_coaching_require_expert (SdRequest   *req,
                                        const char  *group_id,
                                        const char  *user_id,
                                        GError     **error);

/* Inside an open transaction: the expert the caller acts for in @group.
 * @requested is the expert_id the caller named (NULL: the caller).
 * Students: FORBIDDEN.  Another person than the caller: admins only
 * (FORBIDDEN).  The expert must be an expert of the group (NOT_FOUND).
 * Returns a new string or NULL with @error set. */
char       *sd_coaching_acting_expert  (SdRequest         *req,
                                        const SdApiGroup  *group,
                                        const char        *requested,
                                        GError           **error);

/* RFC 3339 (with a zone or Z) into unix seconds; INVALID_REQUEST naming
 * @what otherwise.  Sub-second parts are cut. */
gboolean    sd_coaching_parse_time     (const char  *text,
                                        const char  *what,
                                        gint64      *seconds,
                                        GError     **error);

/* Fails with VALIDATION naming @what unless @value is a UUID. */
gboolean    sd_coaching_check_uuid     (const char  *value,
                                        const char  *what,
                                        GError     **error);

/* Fails with VALIDATION when the string @field of @body has control
 * characters (line breaks and tabs are allowed when @multiline). */
gboolean    sd_coaching_check_text     (JsonObject  *body,
                                        const char  *field,
                                        gboolean     multiline,
                                        GError     **error);

/* An expert's schedule in one group, ready for tandem_slots_*. */
typedef struct {
  TandemSlotQuery query;   /* points into the arrays below */
  gboolean configured;     /* availability was set in this group */
  char *time_zone;         /* the availability's zone, else the user's, else "UTC" */
  GArray *windows;         /* TandemWindow */
  GArray *busy;            /* TandemRange */
} SdCoachingSchedule;

void        sd_coaching_schedule_clear (SdCoachingSchedule *schedule);

/* Inside an open transaction: loads the time zone, buffers and windows of
 * @expert_id in @group_id, and the busy ranges that can touch a slot in
 * [@from, @to): the expert's blocked ranges and the blocks of their live
 * bookings in every group of the organization, except @exclude_booking_id
 * (NULL for none: used when a booking moves).  "now" and the minimum notice
 * come from the request and the configuration.  Without availability the
 * schedule has no windows (and so no slots). */
gboolean    sd_coaching_schedule_load  (SdRequest           *req,
                                        const char          *group_id,
                                        const char          *expert_id,
                                        int                  duration_minutes,
                                        gint64               from,
                                        gint64               to,
                                        const char          *exclude_booking_id,
                                        SdCoachingSchedule  *out,
                                        GError             **error);

/* The columns sd_coaching_type_json() reads; "t" is coaching_session_types. */
#define SD_COACHING_TYPE_COLUMNS \
  "t.id, t.group_id, t.expert_id, t.name, t.description, t.duration_minutes, t.active," \
  " t.created_at, t.updated_at"

JsonObject *sd_coaching_type_json      (SdDbRows *rows, guint i);

/* SELECT … FROM for bookings with the names sd_coaching_booking_json()
 * shows; "b" is coaching_bookings. */
#define SD_COACHING_BOOKING_SELECT \
  "SELECT b.id, b.group_id, b.session_type_id, t.name AS session_type_name," \
  " b.expert_id, e.name AS expert_name, b.student_id, s.name AS student_name," \
  " b.start_at, b.end_at, b.status, b.notes, b.cancel_reason, b.cancelled_by, b.cancelled_at," \
  " b.sequence, b.created_at, b.updated_at" \
  " FROM coaching_bookings b" \
  " JOIN coaching_session_types t ON t.id = b.session_type_id AND t.org_id = b.org_id" \
  " JOIN users e ON e.id = b.expert_id AND e.org_id = b.org_id" \
  " JOIN users s ON s.id = b.student_id AND s.org_id = b.org_id"

/* {"id","group_id","session_type_id","session_type":{"id","name"},
 *  "expert_id","expert":{"id","name"},"student_id","student":{"id","name"},
 *  "start","end","duration_minutes","status","notes","cancel_reason",
 *  "cancelled_by","cancelled_at","sequence","cancel_deadline",
 *  "connect_opens_at","created_at","updated_at"} */
JsonObject *sd_coaching_booking_json   (SdRequest *req, SdDbRows *rows, guint i);

G_END_DECLS

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdCoachingSchedule, sd_coaching_schedule_clear)
