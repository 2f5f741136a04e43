/* tc-cli-prompt.c — asking the user: a line with echo, or a password
 * without echo on the terminal (or from stdin with --password-stdin).
 * Passwords live only in memory that is wiped before it is freed. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* One line of @stream without its line end, in GLib memory; NULL at end of
 * input (without error) or on a read error. */
static char *
read_line (FILE    *stream,
           GError **error)
{
  char *buffer = NULL;
  size_t size = 0;
  errno = 0;
  ssize_t len = getline (&buffer, &size, stream);

  if (len < 0)
    {
      int saved = errno;
      free (buffer);
      if (saved != 0)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("cannot read the standard input: %s"), g_strerror (saved));
      return NULL;
    }
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';

  char *line = g_strndup (buffer, (gsize) len);
  explicit_bzero (buffer, size);
  free (buffer);
  return line;
}

/* ---- echo off, restored even on Ctrl-C ---- */

static struct termios saved_termios;

static void
restore_terminal_and_raise (int signum)
{
  tcsetattr (STDIN_FILENO, TCSANOW, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

static char *
read_hidden (const char  *prompt,
             GError     **error)
{
  struct termios quiet;
  struct sigaction action = { 0 }, old_int, old_term, old_hup;

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("cannot use the terminal: %s"), g_strerror (saved));
      return NULL;
    }

  action.sa_handler = restore_terminal_and_raise;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);
  sigaction (SIGHUP, &action, &old_hup);

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  quiet.c_lflag |= ECHONL;
  g_printerr ("%s", prompt);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

  g_autoptr(GError) read_error = NULL;
  char *line = read_line (stdin, &read_error);

  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  sigaction (SIGHUP, &old_hup, NULL);

  if (line == NULL)
    {
      if (read_error != NULL)
        g_propagate_error (error, g_steal_pointer (&read_error));
      else
        tc_cli_set_usage_error (error, _("no password given"));
    }
  return line;
}

/* ---- public ---- */

char *
tc_cli_read_password (const char  *prompt,
                      gboolean     from_stdin,
                      gboolean     confirm,
                      GError     **error)
{
  g_auto(TcSecret) password = NULL;

  if (from_stdin)
    {
      g_autoptr(GError) read_error = NULL;
      password = read_line (stdin, &read_error);
      if (read_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return NULL;
        }
      if (password == NULL || *password == '\0')
        {
          tc_cli_set_usage_error (error, _("no password on the standard input"));
          return NULL;
        }
      return g_steal_pointer (&password);
    }

  if (!isatty (STDIN_FILENO))
    {
      tc_cli_set_usage_error (error,
                              _("no password given: use --password-stdin, or run in a terminal to be asked"));
      return NULL;
    }

  password = read_hidden (prompt, error);
  if (password == NULL)
    return NULL;
  if (*password == '\0')
    {
      tc_cli_set_usage_error (error, _("no password given"));
      return NULL;
    }
  if (confirm)
    {
      g_auto(TcSecret) again = read_hidden (_("Repeat the password: "), error);
      if (again == NULL)
        return NULL;
      if (!g_str_equal (password, again))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, _("the two passwords differ"));
          return NULL;
        }
    }
  return g_steal_pointer (&password);
}

char *
tc_cli_read_line (const char  *prompt,
                  const char  *option,
                  GError     **error)
{
  if (!isatty (STDIN_FILENO))
    {
      tc_cli_set_usage_error (error, _("give %s (there is no terminal to ask)"), option);
      return NULL;
    }

  g_printerr ("%s", prompt);
  g_autoptr(GError) read_error = NULL;
  g_autofree char *line = read_line (stdin, &read_error);
  if (read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return NULL;
    }
  if (line != NULL)
    g_strstrip (line);
  if (line == NULL || *line == '\0')
    {
      tc_cli_set_usage_error (error, _("give %s"), option);
      return NULL;
    }
  return g_steal_pointer (&line);
}
