/* main.c — signald: read the configuration, open the database, serve until
 * SIGINT/SIGTERM. */
#define G_LOG_DOMAIN "signald"

#include "sd-config.h"
#include "sd-server.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_autoptr(SdConfig) config = sd_config_new_defaults ();
  if (!sd_config_load (config, &argc, &argv, &error))
    {
      g_printerr ("signald: %s\n", error->message);
      return 2;
    }

  g_autoptr(SdServer) server = sd_server_new (g_steal_pointer (&config), &error);
  if (server == NULL)
    {
      g_printerr ("signald: %s\n", error->message);
      return 1;
    }
  if (!sd_server_start (server, &error))
    {
      g_printerr ("signald: %s\n", error->message);
      return 1;
    }

  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  fprintf (stdout, "{\"msg\":\"listening\",\"url\":\"%s\"}\n", sd_server_get_url (server));
  fflush (stdout);
  g_main_loop_run (loop);
  sd_server_stop (server);
  return 0;
}
