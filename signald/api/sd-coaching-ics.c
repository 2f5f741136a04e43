/* sd-coaching-ics.c — bookings as iCalendar events (see sd-coaching-ics.h). */
#define G_LOG_DOMAIN "sd-coaching-ics"

#include "api/sd-coaching-ics.h"

#include "api/sd-api.h"
#include "sd-i18n.h"
#include "tandem-ics.h"

#include <glib/gi18n-lib.h>

char *
sd_coaching_ics_uid (const char *booking_id)
{
  return g_strdup_printf ("booking-%s@tandem", booking_id);
}

/* "TYPE with OTHER" in @language. */
static char *
summary (const SdCoachingInfo *info,
         const char           *other_name,
         const char           *language)
{
  g_autofree char *type = sd_api_one_line (info->session_type);
  g_autofree char *other = sd_api_one_line (other_name);
  /* TRANSLATORS: calendar entry title: session type, the other person */
  return g_strdup_printf (sd_i18n_get (language, N_("%s with %s")), type, other);
}

static char *
description (const SdCoachingInfo *info,
             const char           *language)
{
  GString *text = g_string_new (NULL);
  g_autofree char *group = sd_api_one_line (info->group_name);
  g_string_append_printf (text, sd_i18n_get (language, N_("Group: %s")), group);
  if (info->notes != NULL && *info->notes != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, sd_i18n_get (language, N_("Notes: %s")), info->notes);
    }
  if (g_strcmp0 (info->status, "cancelled") == 0 && info->cancel_reason != NULL && *info->cancel_reason != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, sd_i18n_get (language, N_("Reason: %s")), info->cancel_reason);
    }
  return g_string_free (text, FALSE);
}

/* One VEVENT of @info; @summary_text in the reader's language. */
static void
add_event (TandemIcs            *ics,
           const SdCoachingInfo *info,
           const char           *summary_text,
           const char           *language,
           gboolean              cancelled,
           gboolean              with_people,
           gint64                now)
{
  g_autofree char *uid = sd_coaching_ics_uid (info->id);
  g_autofree char *text = description (info, language);
  g_autofree char *url = g_strdup_printf ("tandem://bookings/%s", info->id);
  TandemIcsPerson organizer = {
    .name = info->expert.name, .email = info->expert.email,
  };
  TandemIcsPerson attendees[] = {
    { .name = info->expert.name, .email = info->expert.email, .partstat = TANDEM_ICS_PARTSTAT_ACCEPTED },
    { .name = info->student.name, .email = info->student.email, .partstat = TANDEM_ICS_PARTSTAT_ACCEPTED },
  };
  TandemIcsEvent event = {
    .uid = uid,
    .sequence = (int) CLAMP (info->sequence, 0, G_MAXINT),
    .dtstamp = now,
    .start = info->start,
    .end = info->end,
    .summary = summary_text,
    .description = text,
    .location = "Tandem",
    .url = url,
    .organizer = with_people ? &organizer : NULL,
    .attendees = with_people ? attendees : NULL,
    .n_attendees = with_people ? G_N_ELEMENTS (attendees) : 0,
    .status = cancelled ? TANDEM_ICS_STATUS_CANCELLED : TANDEM_ICS_STATUS_CONFIRMED,
  };
  g_autoptr(GError) error = NULL;
  /* Only bad data from the database could make it fail (an e-mail address
   * with spaces): the event is left out rather than the whole calendar. */
  if (!tandem_ics_add_event (ics, &event, &error))
    g_warning ("booking %s cannot be written as iCalendar: %s", info->id, error->message);
}

char *
sd_coaching_ics_invitation (const SdCoachingInfo   *info,
                            gboolean                cancel,
                            const SdCoachingPerson *me,
                            const SdCoachingPerson *other,
                            gint64                  now)
{
  g_autoptr(TandemIcs) ics = tandem_ics_new (SD_COACHING_ICS_PRODID,
                                             cancel ? TANDEM_ICS_METHOD_CANCEL : TANDEM_ICS_METHOD_REQUEST);
  g_autofree char *title = summary (info, other->name, me->language);
  add_event (ics, info, title, me->language, cancel, TRUE, now);
  return tandem_ics_finish (ics);
}

char *
sd_coaching_ics_feed (const char *calendar_name,
                      const char *language,
                      SdDbRows   *rows,
                      gint64      now)
{
  g_autoptr(TandemIcs) ics = tandem_ics_new (SD_COACHING_ICS_PRODID, TANDEM_ICS_METHOD_PUBLISH);
  tandem_ics_set_name (ics, calendar_name);
  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    {
      SdCoachingInfo info;
      sd_coaching_info_read (rows, i, &info);
      g_autofree char *title = summary (&info, info.student.name, language);
      add_event (ics, &info, title, language, g_strcmp0 (info.status, "cancelled") == 0, TRUE, now);
    }
  return tandem_ics_finish (ics);
}
