/* tg-coaching.h — what the live-coaching screens share (the sessions list,
 * the booking page, the availability editor): the routes under
 * /groups/{gid}/coaching, weekday names, and times of bookings and slots
 * shown in the user's zone (tg_user_time_zone()).
 *
 * Days of the week are the server's: 0 = Sunday … 6 = Saturday.  Times of
 * day are minutes after local midnight (0..1440). */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How long before a session's start its "Join" button shows when the
 * server does not say (its CONNECT_WINDOW default). */
#define TG_COACHING_CONNECT_WINDOW_SECONDS (15 * 60)

/* "/groups/GID/coaching/REST" (REST without a leading slash; printf-style). */
char        *tg_coaching_path            (const char *group_id,
                                          const char *format,
                                          ...) G_GNUC_PRINTF (2, 3);

/* Whether @name is a time zone this system knows ("Europe/Berlin"). */
gboolean     tg_coaching_zone_is_valid   (const char *name);

/* "Monday" / "Mon" for @day (0 = Sunday), translated. */
const char  *tg_coaching_day_name        (int         day);
const char  *tg_coaching_day_short_name  (int         day);

/* The days in the order the week is shown: Monday first. */
int          tg_coaching_day_at_column   (int         column);
int          tg_coaching_column_of_day   (int         day);

/* "09:00" for 540 minutes (1440 gives "24:00"). */
char        *tg_coaching_format_minutes  (int         minutes);
/* Parses "9:00", "09:00" or "24:00" into minutes; FALSE otherwise. */
gboolean     tg_coaching_parse_minutes   (const char *text,
                                          int        *minutes);

/* @time (RFC 3339) as a GDateTime in the user's zone; NULL when invalid. */
GDateTime   *tg_coaching_local_time      (const char *time);
/* "14:00" of @time in the user's zone. */
char        *tg_coaching_format_clock    (GDateTime  *time);
/* "Tuesday 14 March 2025, 14:00 – 14:45" for [@start, @end) (RFC 3339),
 * in the user's zone; NULL when @start is invalid. */
char        *tg_coaching_format_range    (const char *start,
                                          const char *end);
/* @time as RFC 3339 UTC with seconds ("2025-03-14T13:00:00Z"). */
char        *tg_coaching_format_rfc3339  (GDateTime  *time);

/* The booking's start and end as unix seconds (0 when missing). */
gint64       tg_coaching_booking_start   (JsonObject *booking);
gint64       tg_coaching_booking_end     (JsonObject *booking);
/* The name of the other participant of @booking seen by @me (the expert's
 * or the student's), from the booking itself or from @people (user id →
 * name), else NULL. */
const char  *tg_coaching_booking_partner (JsonObject *booking,
                                          const char *me,
                                          GHashTable *people);
/* The session type's name of @booking, from the booking or from @types
 * (type id → JsonObject), else NULL. */
const char  *tg_coaching_booking_type    (JsonObject *booking,
                                          GHashTable *types);
/* Whether @booking can be joined at @now (unix seconds): from its
 * "connect_opens_at" (the server's start − CONNECT_WINDOW; without it, its
 * start − @window_seconds) until its end, and not cancelled. */
gboolean     tg_coaching_booking_joinable (JsonObject *booking,
                                           gint64      now,
                                           gint64      window_seconds);

G_END_DECLS
