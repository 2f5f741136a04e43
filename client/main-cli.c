/* main-cli.c — `tandem-cli`, the terminal client: sets up the locale and
 * hands over to tc_cli_main() (client/cli/). */
#define G_LOG_DOMAIN "tandem-cli"

#include "tc-cli.h"

#include <locale.h>

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("tandem-cli");

  return tc_cli_main (argc, argv);
}
