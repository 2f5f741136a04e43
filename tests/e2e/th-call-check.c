/* th-call-check.c — checks on `tandem-cli call --json` results. */
#include "th-call-check.h"

ThCliUser *
th_call_user (const char *server_url,
              const char *token)
{
  ThCliUser *user = th_cli_user_new (server_url);
  user->token = g_strdup (token);
  return user;
}

GSubprocess *
th_call_start (ThCliUser  *user,
               const char *booking,
               const char *video,
               const char *audio,
               const char *duration,
               gboolean    relay)
{
  const char *args[] = { "--json", "call", booking, "--video", video, "--audio", audio, "--no-sound",
                         "--duration", duration, relay ? "--relay" : NULL, NULL };
  return th_cli_spawnv (user, args);
}

double
th_call_json_double (ThCliResult *r,
                     const char  *path)
{
  JsonNode *n = th_cli_json_at (r, path);
  g_assert_nonnull (n);
  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  return json_node_get_double (n);
}

char
th_call_received_colour (ThCliResult *r)
{
  int rgb[3];
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("remote_video.center_rgb.%d", i);
      rgb[i] = (int) th_call_json_double (r, path);
    }
  if (rgb[0] > 180 && rgb[1] < 80 && rgb[2] < 80)
    return 'r';
  if (rgb[2] > 180 && rgb[0] < 80 && rgb[1] < 80)
    return 'b';
  return '?';
}

void
th_call_assert_received (ThCliResult *r,
                         char         colour,
                         double       hz)
{
  JsonNode *connected = th_cli_json_at (r, "connected");
  g_assert_nonnull (connected);
  g_assert_true (json_node_get_boolean (connected));
  g_assert_cmpfloat (th_call_json_double (r, "video_frames_received"), >=, 10);
  g_assert_cmpfloat (th_call_json_double (r, "audio_buffers_received"), >=, 10);
  g_assert_cmpfloat (th_call_json_double (r, "first_remote_frame_ms"), >=, 0);
  g_assert_cmpint (th_call_received_colour (r), ==, colour);
  g_assert_cmpfloat_with_epsilon (th_call_json_double (r, "audio_frequency_hz"), hz, hz / 10);
  g_assert_nonnull (th_cli_json_at (r, "rtt_ms"));
}
