/* tc-timecode.c — parsing and showing positions in a video. */
#define G_LOG_DOMAIN "tc-timecode"

#include "tc-timecode.h"

#include "tandem-error.h"

#include <glib/gi18n.h>

/* Reads the digits at *@p into *@value (stopping before overflow past
 * TC_TIMECODE_MAX_MS); FALSE when there are none or too many. */
static gboolean
read_digits (const char **p,
             gint64      *value)
{
  const char *start = *p;
  gint64 v = 0;

  while (g_ascii_isdigit (**p))
    {
      v = v * 10 + (**p - '0');
      if (v > TC_TIMECODE_MAX_MS)
        return FALSE;
      (*p)++;
    }
  *value = v;
  return *p > start;
}

static gboolean
fail (const char  *text,
      GError     **error)
{
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
               _("“%s” is not a position in the video; write it as [h:]m:s[.fff] (1:02.5) or in seconds (62.5)"),
               text);
  return FALSE;
}

gboolean
tc_timecode_parse (const char  *text,
                   gint64      *ms,
                   GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (ms != NULL, FALSE);

  const char *p = text;
  gint64 fields[3];
  guint n = 0;
  gint64 millis = 0;

  while (*p == ' ')
    p++;
  for (;;)
    {
      if (n == G_N_ELEMENTS (fields) || !read_digits (&p, &fields[n]))
        return fail (text, error);
      n++;
      if (*p != ':')
        break;
      p++;
    }

  if (*p == '.')
    {
      gint64 scale = 100;
      p++;
      if (!g_ascii_isdigit (*p))
        return fail (text, error);
      for (; g_ascii_isdigit (*p); p++)
        {
          if (scale == 0)
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           _("“%s” is more precise than a millisecond"), text);
              return FALSE;
            }
          millis += (*p - '0') * scale;
          scale /= 10;
        }
    }
  while (*p == ' ')
    p++;
  if (*p != '\0')
    return fail (text, error);

  /* fields = [h,] [m,] s; the seconds always, and minutes below hours,
   * stay under 60 once a colon is written. */
  gint64 seconds = fields[n - 1];
  gint64 minutes = n >= 2 ? fields[n - 2] : 0;
  gint64 hours = n == 3 ? fields[0] : 0;
  if (n >= 2 && seconds >= 60)
    return fail (text, error);
  if (n == 3 && minutes >= 60)
    return fail (text, error);

  gint64 total_s = (hours * 60 + minutes) * 60 + seconds;
  if (total_s > TC_TIMECODE_MAX_MS / 1000 || total_s * 1000 + millis > TC_TIMECODE_MAX_MS)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   _("“%s” is later than any video can last"), text);
      return FALSE;
    }
  *ms = total_s * 1000 + millis;
  return TRUE;
}

char *
tc_timecode_format (gint64 ms)
{
  if (ms < 0)
    ms = 0;

  gint64 s = ms / 1000;
  gint64 frac = ms % 1000;
  GString *out = g_string_new (NULL);

  if (s >= 3600)
    g_string_append_printf (out, "%" G_GINT64_FORMAT ":%02d:%02d",
                            s / 3600, (int) (s / 60 % 60), (int) (s % 60));
  else
    g_string_append_printf (out, "%d:%02d", (int) (s / 60), (int) (s % 60));

  if (frac != 0)
    {
      char digits[4];
      g_snprintf (digits, sizeof digits, "%03d", (int) frac);
      for (int i = 2; i > 0 && digits[i] == '0'; i--)
        digits[i] = '\0';
      g_string_append_printf (out, ".%s", digits);
    }
  return g_string_free (out, FALSE);
}
