/* tg-player-resources.c — registering the player's GResource; see
 * tg-player-resources.h. */
#include "tg-player-resources.h"

#include "tg-player-gresource.h"

#include <gtk/gtk.h>

void
tg_player_ensure_resources (void)
{
  static gsize done;
  if (g_once_init_enter (&done))
    {
      tg_player_register_resource ();
      /* The style, for the display the widgets will be on (none in tests
       * that only build objects). */
      GdkDisplay *display = gdk_display_get_default ();
      if (display != NULL)
        {
          g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
          gtk_css_provider_load_from_resource (css, "/io/github/tandem/Tandem/player/tg-player.css");
          gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
        }
      g_once_init_leave (&done, 1);
    }
}
