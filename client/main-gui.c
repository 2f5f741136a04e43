/* main-gui.c — `tandem`, the desktop app: picks the interface language
 * from the settings before anything is translated, sets up gettext and
 * runs TgApplication (client/gui/). */
#define G_LOG_DOMAIN "tandem"

#include "tg-application.h"
#include "tg-main.h"

int
main (int    argc,
      char **argv)
{
  if (!tg_main_init (argv[0]))
    return 1;
  g_autoptr(TgApplication) app = tg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
