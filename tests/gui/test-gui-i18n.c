/* test-gui-i18n.c — the desktop app speaks the language chosen in
 * Preferences ("language" setting, read before anything is translated) from
 * the catalogs this build compiled (po/): the sign-in page in German or
 * French ($TANDEM_TEST_LANGUAGE), with a screenshot of it. */
#include "th-gui.h"

#include "tg-coaching.h"
#include "tg-util.h"

#include <glib/gi18n.h>

typedef struct {
  const char *language;
  const char *invitation_button;
  const char *pending;
  const char *error_reason;
  const char *monday;
  const char *monday_short;
} Expected;

static const Expected expected[] = {
  { "de", "Ich habe eine _Einladung", "Wartet auf Besprechung", "Die E-Mail-Adresse oder das Passwort ist falsch.",
    "Montag", "Mo" },
  { "fr", "J’ai une _invitation", "À analyser", "L’adresse e-mail ou le mot de passe est incorrect.",
    "Lundi", "lun." },
};

static const Expected *want;

static gboolean
page_shown (gpointer data)
{
  TgWindow *window = th_gui_window ();
  return window != NULL && g_strcmp0 (tg_window_get_page (window), "sign-in") == 0;
}

static void
test_sign_in_page (void)
{
  th_gui_wait (page_shown, NULL, 15000, "the sign-in page");
  GtkWidget *button = th_gui_find ("sign-in-invitation");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, want->invitation_button);
  g_autofree char *name = g_strdup_printf ("sign-in-%s", want->language);
  th_gui_screenshot (NULL, name);
}

static void
test_messages (void)
{
  g_assert_cmpstr (tg_asset_status_label ("pending"), ==, want->pending);
  g_autoptr(GError) error = g_error_new_literal (g_quark_from_static_string ("tandem-error-quark"), 3, "x");
  g_autofree char *sentence = tg_error_sentence (error, NULL);
  g_assert_cmpstr (sentence, ==, want->error_reason);
  /* The coaching pages' days (weekday names with a context). */
  g_assert_cmpstr (tg_coaching_day_name (1), ==, want->monday);
  g_assert_cmpstr (tg_coaching_day_short_name (1), ==, want->monday_short);
}

int
main (int    argc,
      char **argv)
{
  const char *language = g_getenv ("TANDEM_TEST_LANGUAGE");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (g_strcmp0 (expected[i].language, language) == 0)
      want = &expected[i];
  g_assert_nonnull (want);

  /* As if chosen in Preferences before this start (settings in memory). */
  g_unsetenv ("LANGUAGE");
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.tandem.Tandem");
    g_settings_set_string (settings, "language", want->language);
  }
  th_gui_init (&argc, &argv);
  th_gui_app_start ();

  g_test_add_func ("/Gui/i18n/sign-in-page", test_sign_in_page);
  g_test_add_func ("/Gui/i18n/messages", test_messages);
  int status = g_test_run ();
  th_gui_app_stop ();
  return status;
}
