/* tc-cli-progress.c — the upload progress on stderr: one bar redrawn in
 * place on a terminal (name, bar, percent, bytes, rate, time left), plain
 * lines every 10 % or 10 s otherwise (logs, CI), nothing with --quiet. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Plain lines: at least one per this many seconds while bytes move. */
#define PLAIN_INTERVAL_US (10 * G_USEC_PER_SEC)

struct _TcCliProgress
{
  gboolean quiet;
  gboolean tty;
  gboolean bar_shown;   /* a bar is on the current line */
  char *name;           /* the file being sent */
  guint64 total;        /* of every file */
  guint64 done;
  int last_tenth;       /* plain lines: the last 10 % step printed */
  gint64 last_line_us;
};

char *
tc_cli_format_size (guint64 bytes)
{
  /* GLib puts a no-break space before the unit; a plain one reads the same
   * and stays greppable in logs. */
  g_autofree char *text = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
  g_auto(GStrv) parts = g_strsplit (text, "\u00a0", -1);
  return g_strjoinv (" ", parts);
}

char *
tc_cli_format_duration (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("--:--");
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* Terminal columns of valid UTF-8 @text (wide characters take two). */
static gsize
columns (const char *text)
{
  gsize width = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_iszerowidth (c))
        width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* @text cut to at most @width columns, ending in "…" when cut. */
static char *
fit (const char *text,
     gsize       width)
{
  if (columns (text) <= width)
    return g_strdup (text);
  GString *out = g_string_new (NULL);
  gsize used = 0;
  for (const char *p = text; *p != '\0' && width > 0; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
      if (used + w > width - 1)
        break;
      g_string_append_unichar (out, c);
      used += w;
    }
  if (width > 0)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

char *
tc_cli_progress_line (const char *name,
                      guint64     done,
                      guint64     total,
                      double      rate,
                      gint64      eta_seconds,
                      guint       width)
{
  int percent = total > 0 ? (int) (done * 100 / total) : 100;
  g_autofree char *done_text = tc_cli_format_size (done);
  g_autofree char *total_text = tc_cli_format_size (total);
  g_autofree char *rate_text = rate > 0 ? tc_cli_format_size ((guint64) rate) : g_strdup ("--");
  g_autofree char *eta_text = tc_cli_format_duration (eta_seconds);
  /* "  45%  12.3 MiB / 27.0 MiB  3.2 MiB/s  ETA 0:05" */
  g_autofree char *tail = g_strdup_printf (_("%3d%%  %s / %s  %s/s  ETA %s"), percent, done_text, total_text,
                                           rate_text, eta_text);
  if (width == 0)
    return g_strdup_printf ("%s  %s", name, tail);

  /* Room for the name and the bar, with two spaces before the tail. */
  gsize tail_width = columns (tail);
  gsize room = width > tail_width + 2 ? width - tail_width - 2 : 0;
  gsize name_width = columns (name);
  gsize bar_width = 0;
  if (room >= 8 + 3 + 5)
    {
      /* The name takes up to half (at least 8 columns), the bar the rest. */
      name_width = MIN (name_width, MAX (room / 2, (gsize) 8));
      bar_width = room - name_width - 3;
    }
  else
    name_width = MIN (name_width, room);

  g_autofree char *shown = fit (name, name_width);
  GString *line = g_string_new (shown);
  if (bar_width > 0)
    {
      gsize filled = total > 0 ? (gsize) ((double) bar_width * (double) done / (double) total) : bar_width;
      g_string_append (line, " [");
      for (gsize i = 0; i < bar_width; i++)
        g_string_append_c (line, i < filled ? '#' : '-');
      g_string_append_c (line, ']');
    }
  g_string_append_printf (line, "  %s", tail);
  g_autofree char *whole = g_string_free (line, FALSE);
  return fit (whole, width);
}

static guint
terminal_width (void)
{
  struct winsize size;
  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20)
    return size.ws_col;
  return 80;
}

TcCliProgress *
tc_cli_progress_new (guint64  total,
                     gboolean quiet)
{
  TcCliProgress *progress = g_new0 (TcCliProgress, 1);
  progress->quiet = quiet;
  progress->tty = isatty (STDERR_FILENO);
  progress->total = total;
  progress->last_tenth = -1;
  return progress;
}

/* Ends a bar line so that the next output starts on a fresh line. */
static void
clear_bar (TcCliProgress *progress)
{
  if (progress->bar_shown)
    {
      fputc ('\n', stderr);
      progress->bar_shown = FALSE;
    }
}

void
tc_cli_progress_message (TcCliProgress *progress,
                         const char    *text)
{
  if (progress->quiet)
    return;
  clear_bar (progress);
  g_printerr ("%s\n", text);
}

void
tc_cli_progress_start_file (TcCliProgress *progress,
                            const char    *name)
{
  clear_bar (progress);
  g_free (progress->name);
  progress->name = g_strdup (name);
  progress->last_tenth = -1;
  progress->last_line_us = 0;
}

void
tc_cli_progress_update (TcCliProgress *progress,
                        guint64        done,
                        double         rate,
                        gint64         eta_seconds)
{
  progress->done = done;
  if (progress->quiet)
    return;

  g_autofree char *name = tc_cli_printable (progress->name);
  if (progress->tty)
    {
      guint width = terminal_width ();
      g_autofree char *line = tc_cli_progress_line (name, done, progress->total, rate, eta_seconds, width - 1);
      /* \r, the line, then erase whatever a longer earlier line left. */
      g_printerr ("\r%s\033[K", line);
      progress->bar_shown = TRUE;
      return;
    }

  int tenth = progress->total > 0 ? (int) (done * 10 / progress->total) : 10;
  gint64 now = g_get_monotonic_time ();
  if (tenth == progress->last_tenth && now - progress->last_line_us < PLAIN_INTERVAL_US)
    return;
  progress->last_tenth = tenth;
  progress->last_line_us = now;
  g_autofree char *line = tc_cli_progress_line (name, done, progress->total, rate, eta_seconds, 0);
  g_printerr ("%s\n", line);
}

void
tc_cli_progress_free (TcCliProgress *progress)
{
  if (progress == NULL)
    return;
  clear_bar (progress);
  g_free (progress->name);
  g_free (progress);
}
