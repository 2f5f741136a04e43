/* tc-cli-play.c — `tandem-cli play VIDEO`: asks for a signed playback URL
 * (GET /videos/{id}/playback) and plays it in a window with GStreamer when
 * there is a display; prints the URL otherwise.  `--no-window` decodes the
 * whole stream without showing it, to check that it plays. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include "tc-player.h"
#include "tc-timecode.h"
#include "tc-tus.h"

static gboolean
have_display (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  return (x11 != NULL && *x11 != '\0') || (wayland != NULL && *wayland != '\0');
}

static int
cmd_play (TcCli  *cli,
          int     argc,
          char  **argv)
{
  gboolean no_window = FALSE;
  const GOptionEntry entries[] = {
    { "no-window", 0, 0, G_OPTION_ARG_NONE, &no_window,
      N_("Decode the whole stream without showing it, to check that it plays"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;
  g_autofree char *asset_id = NULL;
  g_autofree char *video_id = NULL;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (!tc_cli_resolve_video (cli, argv[1], FALSE, &asset_id, &video_id, &error))
    return tc_cli_fail (cli, error);

  g_autofree char *path = g_strdup_printf ("/videos/%s/playback", video_id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "GET", path, NULL, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);
  const char *given = tc_cli_str (tc_cli_obj (reply), "url");
  const char *expires_at = tc_cli_str (tc_cli_obj (reply), "expires_at");

  /* A relative URL is on the server; resolve it the way uploads are. */
  TcSession *session = tc_cli_session (cli, &error);
  g_autoptr(TcTusClient) resolver = tc_tus_client_new (tc_session_get_client (session));
  g_autofree char *url = given != NULL ? tc_tus_client_resolve (resolver, given) : NULL;
  if (url == NULL)
    {
      g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, _("the server sent no playback address"));
      return tc_cli_fail (cli, error);
    }

  g_autoptr(JsonObject) result = json_object_new ();
  json_object_set_string_member (result, "asset_id", asset_id);
  json_object_set_string_member (result, "video_id", video_id);
  json_object_set_string_member (result, "url", url);
  json_object_set_string_member (result, "expires_at", expires_at);
  g_autofree char *until = tc_cli_format_time (expires_at);

  if (!no_window && !have_display ())
    {
      json_object_set_boolean_member (result, "played", FALSE);
      if (cli->json)
        tc_cli_print_object (cli, g_steal_pointer (&result));
      else
        g_print ("%s\n", url);
      g_printerr (_("No display to play in ($DISPLAY and $WAYLAND_DISPLAY are not set). "
                    "Open the address above in a video player; it works until %s.\n"),
                  until != NULL ? until : "?");
      return TC_CLI_EXIT_OK;
    }

  g_autoptr(TcPlayer) player = tc_player_new (url, !no_window, &error);
  if (player == NULL)
    return tc_cli_fail (cli, error);
  TcPlayerReport report = { 0 };
  if (!tc_player_run (player, NULL, &report, &error))
    return tc_cli_fail (cli, error);

  if (no_window && report.video_frames == 0)
    {
      g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, _("the stream played, but no video frame came out"));
      return tc_cli_fail (cli, error);
    }

  if (cli->json)
    {
      json_object_set_boolean_member (result, "played", TRUE);
      json_object_set_int_member (result, "video_frames", (gint64) report.video_frames);
      json_object_set_int_member (result, "duration_ms", report.duration_ms);
      if (report.width > 0)
        {
          json_object_set_int_member (result, "width", report.width);
          json_object_set_int_member (result, "height", report.height);
        }
      if (no_window)
        json_object_set_boolean_member (result, "has_audio", report.has_audio);
      tc_cli_print_object (cli, g_steal_pointer (&result));
    }
  else if (no_window)
    {
      g_autofree char *duration = report.duration_ms >= 0 ? tc_timecode_format (report.duration_ms) : g_strdup ("?");
      g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, report.video_frames);
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "The video plays: %s frame of %d×%d, %s long%s.\n",
                            "The video plays: %s frames of %d×%d, %s long%s.\n",
                            (gulong) MIN (report.video_frames, G_MAXULONG)),
               frames, report.width, report.height, duration, report.has_audio ? _(", with sound") : "");
    }
  else
    {
      g_autofree char *duration = report.duration_ms >= 0 ? tc_timecode_format (report.duration_ms) : g_strdup ("?");
      g_print (_("Played the video (%s).\n"), duration);
    }
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_play_commands[] = {
  { NULL, "play", "VIDEO", N_("Play a video (an asset with one video also works)"), cmd_play },
  { NULL }
};
