/* sd-coaching-info.h — a booking with what its e-mails and calendar
 * entries show: the session type, the group, and both participants with
 * their address, language and time zone.
 *
 * Read inside a transaction of the booking's organization (row-level
 * security on PostgreSQL); shared by the booking e-mails and reminders
 * (sd-coaching-mail.c) and the calendar feed (sd-api-coaching-feed.c). */
#pragma once

#include "store/sd-db.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;
  const char *email;
  const char *name;
  const char *language;    /* "en", "de", "fr" */
  const char *time_zone;   /* IANA name */
} SdCoachingPerson;

/* Strings belong to the rows they were read from. */
typedef struct {
  const char *id;
  const char *org_id;
  const char *group_id;
  const char *group_name;
  const char *session_type;  /* its name */
  const char *status;        /* "booked" or "cancelled" */
  const char *notes;         /* "" when none */
  const char *cancel_reason; /* NULL unless cancelled with a reason */
  const char *cancelled_by;  /* user id or NULL */
  gint64 start;              /* unix seconds */
  gint64 end;
  gint64 sequence;           /* iCalendar SEQUENCE */
  gint64 created_at;
  gint64 updated_at;
  SdCoachingPerson expert;
  SdCoachingPerson student;
} SdCoachingInfo;

/* The SELECT … FROM … JOIN … of every column sd_coaching_info_read()
 * needs; append " WHERE …" (the booking table is "b"). */
#define SD_COACHING_INFO_SELECT \
  "SELECT b.id, b.org_id, b.group_id, g.name AS group_name, t.name AS session_type," \
  "       b.status, b.notes, b.cancel_reason, b.cancelled_by, b.start_at, b.end_at," \
  "       b.sequence, b.created_at, b.updated_at," \
  "       e.id AS e_id, e.email AS e_email, e.name AS e_name, e.language AS e_language," \
  "       e.time_zone AS e_time_zone," \
  "       s.id AS s_id, s.email AS s_email, s.name AS s_name, s.language AS s_language," \
  "       s.time_zone AS s_time_zone" \
  "  FROM coaching_bookings b" \
  "  JOIN groups g ON g.id = b.group_id" \
  "  JOIN coaching_session_types t ON t.id = b.session_type_id" \
  "  JOIN users e ON e.id = b.expert_id" \
  "  JOIN users s ON s.id = b.student_id"

/* Row @i of rows selected with SD_COACHING_INFO_SELECT. */
void     sd_coaching_info_read (SdDbRows        *rows,
                                guint            i,
                                SdCoachingInfo  *out);

/* Loads booking @booking_id of @org_id into *@rows (zero or one row).
 * FALSE with @error when the database fails. */
gboolean sd_coaching_info_load (SdDbConn    *conn,
                                const char  *org_id,
                                const char  *booking_id,
                                SdDbRows   **rows,
                                GError     **error);

G_END_DECLS
