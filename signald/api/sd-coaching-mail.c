/* sd-coaching-mail.c — booking and reminder e-mails (see
 * sd-coaching-mail.h).  Texts are marked N_() and translated per
 * recipient with sd_i18n_get(); dates are written from translated weekday
 * and month names, never with the process locale. */
#define G_LOG_DOMAIN "sd-coaching-mail"

#include "api/sd-coaching-mail.h"

#include "api/sd-api.h"
#include "api/sd-coaching-ics.h"
#include "api/sd-coaching-info.h"
#include "jobs/sd-outbox.h"
#include "sd-i18n.h"

#include <glib/gi18n-lib.h>

/* GDateTime: 1 = Monday … 7 = Sunday */
static const char *const weekdays[] = {
  N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
  N_("Friday"), N_("Saturday"), N_("Sunday"),
};

static const char *const months[] = {
  N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
  N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

static GTimeZone *
zone_or_utc (const char *time_zone)
{
  GTimeZone *tz = time_zone != NULL ? g_time_zone_new_identifier (time_zone) : NULL;
  return tz != NULL ? tz : g_time_zone_new_utc ();
}

char *
sd_coaching_mail_format_time (gint64      start,
                              gint64      end,
                              gboolean    with_end,
                              const char *language,
                              const char *time_zone)
{
  g_autoptr(GTimeZone) tz = zone_or_utc (time_zone);
  g_autoptr(GDateTime) utc_start = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) utc_end = g_date_time_new_from_unix_utc (end);
  g_autoptr(GDateTime) s = g_date_time_to_timezone (utc_start, tz);
  g_autoptr(GDateTime) e = g_date_time_to_timezone (utc_end, tz);

  /* TRANSLATORS: a date: %1$s the weekday, %2$d the day of the month,
   * %3$s the month, %4$d the year ("Monday, 3 March 2025"). */
  gboolean first = g_date_time_get_day_of_month (s) == 1;
  g_autofree char *date = g_strdup_printf (!first ? sd_i18n_get (language, N_("%1$s, %2$d %3$s %4$d"))
                                           /* TRANSLATORS: the same on the first of a month, where some
                                            * languages write the day otherwise (French: "lundi 1er
                                            * juillet 2025") */
                                           : sd_i18n_pget (language, "first day of the month",
                                                           NC_("first day of the month", "%1$s, %2$d %3$s %4$d")),
                                           sd_i18n_get (language, weekdays[g_date_time_get_day_of_week (s) - 1]),
                                           g_date_time_get_day_of_month (s),
                                           sd_i18n_get (language, months[g_date_time_get_month (s) - 1]),
                                           g_date_time_get_year (s));
  if (!with_end)
    return g_strdup_printf ("%s, %02d:%02d", date, g_date_time_get_hour (s), g_date_time_get_minute (s));
  return g_strdup_printf ("%s, %02d:%02d–%02d:%02d (%s)", date,
                          g_date_time_get_hour (s), g_date_time_get_minute (s),
                          g_date_time_get_hour (e), g_date_time_get_minute (e),
                          g_time_zone_get_identifier (tz));
}

/* The sentence that opens the mail to @me about @info. */
static char *
intro (const SdCoachingInfo   *info,
       const SdCoachingMail   *mail,
       const SdCoachingPerson *me,
       const SdCoachingPerson *other,
       gboolean                to_expert)
{
  const char *lang = me->language;
  g_autofree char *other_name = sd_api_one_line (other->name);

  switch (mail->kind)
    {
    case SD_COACHING_MAIL_BOOKED:
      return to_expert
             ? g_strdup_printf (sd_i18n_get (lang, N_("%s has booked a session with you.")), other_name)
             : g_strdup_printf (sd_i18n_get (lang, N_("Your session with %s is booked.")), other_name);
    case SD_COACHING_MAIL_CANCELLED:
      if (g_strcmp0 (info->cancelled_by, me->id) == 0)
        return g_strdup (sd_i18n_get (lang, N_("You have cancelled this session.")));
      if (g_strcmp0 (info->cancelled_by, other->id) == 0)
        return g_strdup_printf (sd_i18n_get (lang, N_("%s has cancelled your session.")), other_name);
      return g_strdup (sd_i18n_get (lang, N_("This session has been cancelled.")));
    case SD_COACHING_MAIL_RESCHEDULED:
      {
        g_autofree char *moved = g_strdup_printf (
          sd_i18n_get (lang, N_("Your session with %s has been moved to a new time.")), other_name);
        if (mail->previous_start <= 0)
          return g_steal_pointer (&moved);
        g_autofree char *before = sd_coaching_mail_format_time (mail->previous_start, mail->previous_start,
                                                                FALSE, lang, me->time_zone);
        g_autofree char *was = g_strdup_printf (sd_i18n_get (lang, N_("It was planned for %s.")), before);
        return g_strdup_printf ("%s %s", moved, was);
      }
    case SD_COACHING_MAIL_REMINDER:
      if (g_strcmp0 (mail->reminder, "24h") == 0)
        return g_strdup_printf (sd_i18n_get (lang, N_("Your session with %s starts in 24 hours.")), other_name);
      if (g_strcmp0 (mail->reminder, "1h") == 0)
        return g_strdup_printf (sd_i18n_get (lang, N_("Your session with %s starts in one hour.")), other_name);
      return g_strdup_printf (sd_i18n_get (lang, N_("Your session with %s starts in 15 minutes.")), other_name);
    default:
      g_assert_not_reached ();
    }
}

static char *
subject (const SdCoachingInfo   *info,
         const SdCoachingMail   *mail,
         const SdCoachingPerson *me,
         const SdCoachingPerson *other)
{
  const char *lang = me->language;
  g_autofree char *type = sd_api_one_line (info->session_type);
  g_autofree char *other_name = sd_api_one_line (other->name);
  g_autofree char *when = sd_coaching_mail_format_time (info->start, info->end, FALSE, lang, me->time_zone);
  switch (mail->kind)
    {
    case SD_COACHING_MAIL_BOOKED:
      /* TRANSLATORS: e-mail subject: session type, the other person, the start */
      return g_strdup_printf (sd_i18n_get (lang, N_("Session booked: %s with %s, %s")), type, other_name, when);
    case SD_COACHING_MAIL_CANCELLED:
      return g_strdup_printf (sd_i18n_get (lang, N_("Session cancelled: %s with %s, %s")), type, other_name, when);
    case SD_COACHING_MAIL_RESCHEDULED:
      return g_strdup_printf (sd_i18n_get (lang, N_("Session moved: %s with %s, now %s")), type, other_name, when);
    case SD_COACHING_MAIL_REMINDER:
    default:
      return g_strdup_printf (sd_i18n_get (lang, N_("Reminder: %s with %s, %s")), type, other_name, when);
    }
}

/* One "Label: value" line of the details; @value on one line. */
#define APPEND_LINE(text, language, format, value) \
  G_STMT_START { \
    g_autofree char *one_line_ = sd_api_one_line (value); \
    g_string_append_printf ((text), sd_i18n_get ((language), format), one_line_); \
    g_string_append_c ((text), '\n'); \
  } G_STMT_END

static char *
body (const SdCoachingInfo   *info,
      const SdCoachingMail   *mail,
      const SdCoachingPerson *me,
      const SdCoachingPerson *other,
      gboolean                to_expert)
{
  const char *lang = me->language;
  g_autofree char *my_name = sd_api_one_line (me->name);
  g_autofree char *opening = intro (info, mail, me, other, to_expert);
  g_autofree char *when = sd_coaching_mail_format_time (info->start, info->end, TRUE, lang, me->time_zone);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, sd_i18n_get (lang, N_("Hello %s,")), my_name);
  g_string_append (text, "\n\n");
  g_string_append (text, opening);
  g_string_append (text, "\n\n");
  APPEND_LINE (text, lang, N_("Session: %s"), info->session_type);
  APPEND_LINE (text, lang, N_("With: %s"), other->name);
  APPEND_LINE (text, lang, N_("When: %s"), when);
  APPEND_LINE (text, lang, N_("Group: %s"), info->group_name);
  if (info->notes != NULL && *info->notes != '\0')
    APPEND_LINE (text, lang, N_("Notes: %s"), info->notes);
  if (mail->kind == SD_COACHING_MAIL_CANCELLED && mail->reason != NULL && *mail->reason != '\0')
    APPEND_LINE (text, lang, N_("Reason: %s"), mail->reason);
  g_string_append_c (text, '\n');

  switch (mail->kind)
    {
    case SD_COACHING_MAIL_BOOKED:
    case SD_COACHING_MAIL_RESCHEDULED:
      g_string_append (text, sd_i18n_get (lang, N_("The attached invitation puts the session into your calendar.")));
      g_string_append_c (text, '\n');
      break;
    case SD_COACHING_MAIL_CANCELLED:
      g_string_append (text, sd_i18n_get (lang, N_("The attached cancellation takes the session out of your calendar.")));
      g_string_append_c (text, '\n');
      break;
    case SD_COACHING_MAIL_REMINDER:
    default:
      break;
    }
  return g_string_free (text, FALSE);
}

static gboolean
queue_one (SdDbConn               *conn,
           const SdCoachingInfo   *info,
           const SdCoachingMail   *mail,
           gboolean                to_expert,
           gint64                  now,
           GError                **error)
{
  const SdCoachingPerson *me = to_expert ? &info->expert : &info->student;
  const SdCoachingPerson *other = to_expert ? &info->student : &info->expert;
  g_autofree char *to_name = sd_api_one_line (me->name);
  g_autofree char *subject_text = subject (info, mail, me, other);
  g_autofree char *text = body (info, mail, me, other, to_expert);

  g_autoptr(JsonObject) payload = json_object_new ();
  json_object_set_string_member (payload, "to", me->email);
  json_object_set_string_member (payload, "to_name", to_name);
  json_object_set_string_member (payload, "subject", subject_text);
  json_object_set_string_member (payload, "text", text);

  if (mail->kind != SD_COACHING_MAIL_REMINDER)
    {
      gboolean cancel = mail->kind == SD_COACHING_MAIL_CANCELLED;
      g_autofree char *ics = sd_coaching_ics_invitation (info, cancel, me, other, now);
      JsonArray *attachments = json_array_new ();
      JsonObject *a = json_object_new ();
      json_object_set_string_member (a, "filename", cancel ? "cancel.ics" : "invite.ics");
      json_object_set_string_member (a, "content_type",
                                     cancel ? "text/calendar; method=CANCEL" : "text/calendar; method=REQUEST");
      json_object_set_string_member (a, "text", ics);
      json_array_add_object_element (attachments, a);
      json_object_set_array_member (payload, "attachments", attachments);
    }
  return sd_outbox_insert (conn, info->org_id, "mail", payload, now, error);
}

gboolean
sd_coaching_mail_queue (SdDbConn              *conn,
                        const char            *org_id,
                        const char            *booking_id,
                        const SdCoachingMail  *mail,
                        gint64                 now,
                        guint                 *queued,
                        GError               **error)
{
  g_autoptr(SdDbRows) rows = NULL;
  SdCoachingInfo info;

  if (queued != NULL)
    *queued = 0;
  if (!sd_coaching_info_load (conn, org_id, booking_id, &rows, error))
    return FALSE;
  if (sd_db_rows_n (rows) == 0)
    return TRUE;
  sd_coaching_info_read (rows, 0, &info);
  if (!queue_one (conn, &info, mail, TRUE, now, error) ||
      !queue_one (conn, &info, mail, FALSE, now, error))
    return FALSE;
  if (queued != NULL)
    *queued = 2;
  return TRUE;
}
