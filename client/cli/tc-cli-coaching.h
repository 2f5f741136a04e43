/* tc-cli-coaching.h — what the live-coaching commands share (session-types,
 * availability, block, slots, book, bookings, cancel, reschedule): the
 * group a command works in, the time zone times are shown and read in,
 * reading and showing times, weekly windows on the command line, and
 * finding experts, session types and bookings by what people type.
 *
 * Time zone of a command: --tz ZONE, else the user's own (time_zone of
 * GET /auth/me, set in the desktop app's preferences), else the system's.
 */
#pragma once

#include "tc-cli.h"
#include "tandem-slots.h"

G_BEGIN_DECLS

/* ---- pure helpers (unit-tested in tests/unit/test-cli-coaching.c) ---- */

/* "Monday" / "Mon" for @day_of_week 0 (Sunday) … 6, translated. */
const char  *tc_cli_weekday_name      (int          day_of_week,
                                       gboolean     abbreviated);

/* Reads a moment typed by a person: RFC 3339 with an offset or Z
 * ("2025-03-10T09:00:00Z"), or a local date and time in @zone
 * ("2025-03-10 09:00", "2025-03-10T09:00[:SS]"), or a date alone
 * ("2025-03-10": the start of that day, or with @end_of_day the start of
 * the next, so a date as an end bound includes the day).  A local time that
 * does not exist (the hour skipped in spring) moves forward.  Usage error
 * naming @option when unreadable. */
GDateTime   *tc_cli_parse_when        (const char  *option,
                                       const char  *text,
                                       GTimeZone   *zone,
                                       gboolean     end_of_day,
                                       GError     **error);

/* @time as RFC 3339 UTC ("2025-03-10T08:00:00Z") for the API. */
char        *tc_cli_rfc3339_utc       (GDateTime   *time);

/* An RFC 3339 time from the API in @zone as "Mon 2025-03-10 09:00" (with
 * @with_day) or "09:00"; a copy of @text when it is none; NULL for NULL. */
char        *tc_cli_format_in_zone    (const char  *text,
                                       GTimeZone   *zone,
                                       gboolean     with_day);

/* Reads weekly windows from the command line: day specs ("mon", "monday",
 * "0"–"6" with 0 = Sunday, lists "mon,wed", ranges "mon-fri") each followed
 * by one or more "HH:MM-HH:MM" ranges, e.g. `mon-fri 09:00-12:00
 * 13:00-17:00 sat 10:00-12:00`.  An end at or before the start runs past
 * midnight; "24:00" is midnight at the end.  Appends TandemWindow values
 * to @windows.  Usage error for anything else. */
gboolean     tc_cli_parse_windows     (int          n_words,
                                       char       **words,
                                       GArray      *windows,
                                       GError     **error);

/* "HH:MM" of @minutes after midnight (0 … 1440). */
char        *tc_cli_hhmm              (int          minutes);

/* ---- with the server ---- */

/* GET /auth/me, once per run (kept in @cli). */
JsonObject  *tc_cli_me                (TcCli       *cli,
                                       GError     **error);

/* The zone to show and read times in: @tz_option (usage error when unknown),
 * else the user's, else the system's.  Sets *@name to its name. */
GTimeZone   *tc_cli_display_zone      (TcCli       *cli,
                                       const char  *tz_option,
                                       char       **name,
                                       GError     **error);

/* The group of a coaching command: --group (@option, id or exact name), or
 * the caller's only group.  A usage error when they are in several. */
char        *tc_cli_coaching_group    (TcCli       *cli,
                                       const char  *option,
                                       GError     **error);

/* What most coaching commands begin with: the group of --group
 * (tc_cli_coaching_group()) into *@group_id, then the zone of --tz
 * (tc_cli_display_zone()) into *@zone and *@zone_name.  FALSE with
 * @error set when either fails. */
gboolean     tc_cli_coaching_scope    (TcCli       *cli,
                                       const char  *group_option,
                                       const char  *tz_option,
                                       char       **group_id,
                                       GTimeZone  **zone,
                                       char       **zone_name,
                                       GError     **error);

/* The end of a command whose reply is the changed thing: with --json the
 * reply as it is, else @heading on a line of its own and @print's view of
 * the reply object.  Returns TC_CLI_EXIT_OK. */
int          tc_cli_coaching_show     (TcCli       *cli,
                                       JsonNode    *reply,
                                       const char  *heading,
                                       void       (*print) (JsonObject *object));

/* The id of the expert of --expert (@text, see tc_cli_find_expert()) into
 * *@expert_id; NULL there when @text is NULL.  FALSE with @error set when
 * the group has no such expert. */
gboolean     tc_cli_expert_option     (TcCli       *cli,
                                       const char  *group_id,
                                       const char  *text,
                                       char       **expert_id,
                                       GError     **error);

/* The expert of @group_id that @text names (user id or name, the name
 * exactly or else ignoring case) from GET …/coaching/experts; the returned
 * node holds the expert object. */
JsonNode    *tc_cli_find_expert       (TcCli       *cli,
                                       const char  *group_id,
                                       const char  *text,
                                       GError     **error);

/* The session type @text (id or name) of @expert_id (NULL: any expert) in
 * @group_id; @text NULL: the expert's only active type (a usage error
 * naming them when there are several).  With @include_inactive also
 * inactive ones. */
JsonNode    *tc_cli_find_session_type (TcCli       *cli,
                                       const char  *group_id,
                                       const char  *expert_id,
                                       const char  *text,
                                       gboolean     include_inactive,
                                       GError     **error);

/* The booking @booking_id: in @group_option's group, or else looked up in
 * each of the caller's groups.  Sets *@group_id. */
JsonNode    *tc_cli_find_booking      (TcCli       *cli,
                                       const char  *group_option,
                                       const char  *booking_id,
                                       char       **group_id,
                                       GError     **error);

/* "Technique with Eva Müller, Mon 2025-03-10 09:00–10:00" for a booking. */
char        *tc_cli_booking_summary   (TcCli       *cli,
                                       JsonObject  *booking,
                                       GTimeZone   *zone);

G_END_DECLS
