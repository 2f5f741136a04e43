/* first-frame.c — how long a program takes from exec to its first window
 * on screen, mapped and drawn, measured from outside the program by the X
 * server (any toolkit, no hook needed):
 *
 *   first-frame [-t SECONDS] [-l MS] -- COMMAND [ARG...]
 *
 * Watches the root window for new top-level windows (SubstructureNotify),
 * starts COMMAND, puts an XDamage monitor on each new top-level, and
 * prints one line
 *
 *   exec_us=… map_ms=… drawn_ms=…
 *
 * where exec_us is the wall-clock time (µs since the epoch) just before
 * fork, map_ms the first MapNotify of a top-level and drawn_ms the first
 * damage reported inside a mapped top-level, both since exec.  Then, after
 * MS more milliseconds (-l, default 0), stops COMMAND (SIGTERM, then
 * SIGKILL).  Exit status 2 when nothing was drawn in
 * time. */
#define _GNU_SOURCE
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WINDOWS 64

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
ignore_errors (Display *display, XErrorEvent *event)
{
  (void) display;
  (void) event;
  return 0;   /* windows may vanish between the event and our request */
}

int
main (int argc, char **argv)
{
  double timeout_s = 20;
  int linger_ms = 0;
  int first = 1;

  while (first + 1 < argc && argv[first][0] == '-' && argv[first][1] != '-')
    {
      if (strcmp (argv[first], "-t") == 0)
        timeout_s = atof (argv[first + 1]);
      else if (strcmp (argv[first], "-l") == 0)
        linger_ms = atoi (argv[first + 1]);
      first += 2;
    }
  if (first < argc && strcmp (argv[first], "--") == 0)
    first++;
  if (first >= argc)
    {
      fprintf (stderr, "usage: first-frame [-t SECONDS] [-l MS] -- COMMAND [ARG...]\n");
      return 64;
    }

  Display *display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "first-frame: cannot open the display (is DISPLAY set?)\n");
      return 69;
    }
  int damage_event, damage_error;
  if (!XDamageQueryExtension (display, &damage_event, &damage_error))
    {
      fprintf (stderr, "first-frame: the X server has no DAMAGE extension\n");
      return 69;
    }
  XSetErrorHandler (ignore_errors);
  Window root = DefaultRootWindow (display);
  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, False);

  struct timeval wall;
  gettimeofday (&wall, NULL);
  double start = now_ms ();
  pid_t child = fork ();
  if (child == 0)
    {
      execvp (argv[first], argv + first);
      fprintf (stderr, "first-frame: cannot run %s: %s\n", argv[first], strerror (errno));
      _exit (127);
    }

  Window windows[MAX_WINDOWS];
  int mapped[MAX_WINDOWS] = { 0 };
  int n = 0;
  double map_ms = -1, drawn_ms = -1;
  int fd = ConnectionNumber (display);

  while (drawn_ms < 0 && now_ms () - start < timeout_s * 1000)
    {
      if (!XPending (display))
        {
          struct pollfd p = { .fd = fd, .events = POLLIN };
          poll (&p, 1, 50);
          continue;
        }
      XEvent event;
      XNextEvent (display, &event);
      double t = now_ms () - start;
      if (event.type == CreateNotify && event.xcreatewindow.parent == root && n < MAX_WINDOWS)
        {
          /* Watch it before it can draw. */
          windows[n] = event.xcreatewindow.window;
          XDamageCreate (display, windows[n], XDamageReportNonEmpty);
          n++;
        }
      else if (event.type == MapNotify && event.xmap.event == root)
        {
          for (int i = 0; i < n; i++)
            if (windows[i] == event.xmap.window)
              mapped[i] = 1;
          if (map_ms < 0)
            map_ms = t;
        }
      else if (event.type == damage_event + XDamageNotify)
        {
          XDamageNotifyEvent *d = (XDamageNotifyEvent *) &event;
          XDamageSubtract (display, d->damage, None, None);
          for (int i = 0; i < n; i++)
            if (windows[i] == d->drawable && mapped[i])
              drawn_ms = t;
        }
    }

  /* Let the program finish its frame (and say so, if it reports it). */
  if (linger_ms > 0)
    usleep ((useconds_t) linger_ms * 1000);
  kill (child, SIGTERM);
  for (int i = 0; i < 40 && waitpid (child, NULL, WNOHANG) == 0; i++)
    usleep (50000);
  if (waitpid (child, NULL, WNOHANG) == 0)
    {
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
  printf ("exec_us=%lld map_ms=%.1f drawn_ms=%.1f\n",
          (long long) wall.tv_sec * 1000000 + wall.tv_usec, map_ms, drawn_ms);
  XCloseDisplay (display);
  return drawn_ms < 0 ? 2 : 0;
}
