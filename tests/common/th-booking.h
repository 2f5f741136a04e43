/* th-booking.h — a coaching club for call tests and benchmarks: an
 * organization with its admin, an expert, a student and another student
 * in one group, a session type, and bookings written straight into the
 * database (any time, also in the past, without the booking rules). */
#pragma once

#include "th-server.h"

G_BEGIN_DECLS

typedef struct {
  ThServer *ts;
  char *org_id;
  char *group_id;
  char *type_id;
  char *admin;                 /* tokens */
  char *expert, *expert_id;
  char *student, *student_id;
  char *other;                 /* a member of the group in no booking */
} ThClub;

/* @tag makes the e-mail addresses unique. */
ThClub *th_club_new     (ThServer   *ts,
                         const char *tag);
void    th_club_free    (ThClub     *club);

/* A booking of the club's expert with its student over [@start, @end)
 * (Unix seconds); returns its id. */
char   *th_club_book    (ThClub     *club,
                         gint64      start,
                         gint64      end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThClub, th_club_free)

G_END_DECLS
