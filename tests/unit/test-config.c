/* test-config.c — settings precedence: defaults < key file < env < options. */
#include "sd-config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *
write_key_file (void)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("signald-XXXXXX.conf", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path,
    "[server]\nlisten=127.0.0.1:9001\npublic-url=https://file.example/\nworkers=3\nrequest-log=off\n"
    "media-jobs=off\n"
    "[database]\nurl=sqlite:/tmp/from-file.db\n"
    "[storage]\ndata-dir=/tmp/from-file\n"
    "[mail]\nsmtp-url=smtp://127.0.0.1:2525\nfrom=File <f@example.org>\n", -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Parse @args like main() would.  GOption reorders and drops entries of the
 * pointer array, so it parses a shallow copy and the strings are freed from
 * their own array. */
static gboolean
load (SdConfig *config, const char *const *args, GError **error)
{
  g_auto(GStrv) strings = g_strdupv ((char **) args);
  int argc = (int) g_strv_length (strings);
  g_autofree char **argv = g_memdup2 (strings, sizeof (char *) * (argc + 1));
  char **argv_ptr = argv;
  return sd_config_load (config, &argc, &argv_ptr, error);
}

static void
test_precedence (void)
{
  g_autofree char *path = write_key_file ();
  g_autoptr(GError) error = NULL;

  g_unsetenv ("TANDEM_LISTEN");
  g_unsetenv ("TANDEM_DATABASE");
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, NULL };
    g_assert_true (load (c, args, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (c->listen_host, ==, "127.0.0.1");
    g_assert_cmpuint (c->listen_port, ==, 9001);
    g_assert_cmpstr (c->database_url, ==, "sqlite:/tmp/from-file.db");
    g_assert_cmpstr (c->public_url, ==, "https://file.example");
    g_assert_cmpstr (c->mail_spool, ==, "/tmp/from-file/mail");
    g_assert_cmpstr (c->smtp_url, ==, "smtp://127.0.0.1:2525");
    g_assert_cmpuint (c->workers, ==, 3);
    g_assert_false (c->log_requests);
    g_assert_false (c->media_jobs);
  }
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    g_assert_true (c->log_requests);
    g_assert_true (c->media_jobs);
    const char *args[] = { "signald", "--config", path, "--request-log", "on", NULL };
    g_assert_true (load (c, args, &error));
    g_assert_true (c->log_requests);
    g_assert_false (c->media_jobs);
  }
  {
    /* The environment wins over the file, options over the environment. */
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    g_setenv ("TANDEM_MEDIA_JOBS", "on", TRUE);
    const char *args[] = { "signald", "--config", path, NULL };
    g_assert_true (load (c, args, &error));
    g_assert_true (c->media_jobs);
    const char *args_off[] = { "signald", "--config", path, "--media-jobs", "off", NULL };
    g_assert_true (load (c, args_off, &error));
    g_assert_false (c->media_jobs);
    g_unsetenv ("TANDEM_MEDIA_JOBS");
  }

  g_setenv ("TANDEM_LISTEN", "127.0.0.1:9002", TRUE);
  g_setenv ("TANDEM_DATABASE", "sqlite:/tmp/from-env.db", TRUE);
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, NULL };
    g_assert_true (load (c, args, &error));
    g_assert_cmpuint (c->listen_port, ==, 9002);
    g_assert_cmpstr (c->database_url, ==, "sqlite:/tmp/from-env.db");
  }
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, "--listen", "[::1]:9003",
                           "--database", "sqlite:/tmp/from-option.db", NULL };
    g_assert_true (load (c, args, &error));
    g_assert_cmpstr (c->listen_host, ==, "::1");
    g_assert_cmpuint (c->listen_port, ==, 9003);
    g_assert_cmpstr (c->database_url, ==, "sqlite:/tmp/from-option.db");
  }
  g_unsetenv ("TANDEM_LISTEN");
  g_unsetenv ("TANDEM_DATABASE");
  g_unlink (path);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdConfig) c = sd_config_new_defaults ();
  const char *args[] = { "signald", "--listen", "nonsense", NULL };
  g_assert_false (load (c, args, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_autoptr(SdConfig) c2 = sd_config_new_defaults ();
  const char *args2[] = { "signald", "--config", "/nonexistent/signald.conf", NULL };
  g_assert_false (load (c2, args2, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_autoptr(SdConfig) c3 = sd_config_new_defaults ();
  const char *args3[] = { "signald", "--request-log", "sometimes", NULL };
  g_assert_false (load (c3, args3, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);

  g_autoptr(SdConfig) c4 = sd_config_new_defaults ();
  const char *args4[] = { "signald", "--media-jobs", "maybe", NULL };
  g_assert_false (load (c4, args4, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static void
test_defaults (void)
{
  g_autoptr(SdConfig) c = sd_config_new_defaults ();
  c->data_dir = g_strdup ("/srv/t");
  sd_config_finish (c);
  g_assert_cmpstr (c->database_url, ==, "sqlite:/srv/t/signald.db");
  g_assert_cmpstr (c->public_url, ==, "http://127.0.0.1:8080");
  g_assert_null (c->smtp_url);
}

static void
test_sizes_and_durations (void)
{
  g_autoptr(GError) error = NULL;
  gint64 v = 0;
  const struct { const char *text; gint64 bytes; } sizes[] = {
    { "0", 0 }, { "12345", 12345 }, { "8GiB", G_GINT64_CONSTANT (8) << 30 }, { "8g", G_GINT64_CONSTANT (8) << 30 },
    { "512M", 512 << 20 }, { "100 GB", G_GINT64_CONSTANT (100000000000) }, { "1TiB", G_GINT64_CONSTANT (1) << 40 },
    { "4 KiB", 4096 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_assert_true (sd_config_parse_size (sizes[i].text, &v, &error));
      g_assert_no_error (error);
      g_assert_cmpint (v, ==, sizes[i].bytes);
    }
  const char *bad_sizes[] = { "", "GiB", "-1", "1.5G", "8 parsecs", "99999999999999999999", "9999999999T" };
  for (guint i = 0; i < G_N_ELEMENTS (bad_sizes); i++)
    {
      g_assert_false (sd_config_parse_size (bad_sizes[i], &v, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  g_assert_true (sd_config_parse_duration ("7d", &v, &error));
  g_assert_cmpint (v, ==, 7 * 24 * 3600);
  g_assert_true (sd_config_parse_duration ("90", &v, &error));
  g_assert_cmpint (v, ==, 90);
  g_assert_true (sd_config_parse_duration ("12h", &v, &error));
  g_assert_cmpint (v, ==, 12 * 3600);
  const char *bad_durations[] = { "", "0", "7 days", "-3h", "h" };
  for (guint i = 0; i < G_N_ELEMENTS (bad_durations); i++)
    {
      g_assert_false (sd_config_parse_duration (bad_durations[i], &v, &error));
      g_clear_error (&error);
    }

  /* Defaults, then the three layers. */
  g_autoptr(SdConfig) d = sd_config_new_defaults ();
  g_assert_cmpint (d->max_upload_bytes, ==, G_GINT64_CONSTANT (8) << 30);
  g_assert_cmpint (d->storage_quota_bytes, ==, G_GINT64_CONSTANT (100) << 30);
  g_assert_cmpint (d->upload_ttl_s, ==, 7 * 24 * 3600);

  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("signald-XXXXXX.conf", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, "[storage]\nmax-upload-size=1GiB\nstorage-quota=2GiB\nupload-expiry=2d\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("TANDEM_STORAGE_QUOTA", "3GiB", TRUE);
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, "--upload-expiry", "1h", NULL };
    g_assert_true (load (c, args, &error));
    g_assert_no_error (error);
    g_assert_cmpint (c->max_upload_bytes, ==, G_GINT64_CONSTANT (1) << 30);
    g_assert_cmpint (c->storage_quota_bytes, ==, G_GINT64_CONSTANT (3) << 30);
    g_assert_cmpint (c->upload_ttl_s, ==, 3600);
  }
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--max-upload-size", "lots", NULL };
    g_assert_false (load (c, args, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_unsetenv ("TANDEM_STORAGE_QUOTA");
  g_unlink (path);

  /* The shipped example parses, with the upload settings as documented. */
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data", "signald.conf", NULL);
  g_autoptr(SdConfig) e = sd_config_new_defaults ();
  const char *example_args[] = { "signald", "--config", example, NULL };
  g_assert_true (load (e, example_args, &error));
  g_assert_no_error (error);
  g_assert_cmpint (e->max_upload_bytes, ==, G_GINT64_CONSTANT (8) << 30);
  g_assert_cmpint (e->storage_quota_bytes, ==, G_GINT64_CONSTANT (100) << 30);
  g_assert_cmpint (e->upload_ttl_s, ==, 7 * 24 * 3600);
}

static void
test_coaching_notices (void)
{
  g_autoptr(GError) error = NULL;

  g_autoptr(SdConfig) d = sd_config_new_defaults ();
  g_assert_cmpint (d->min_booking_notice_s, ==, 2 * 3600);
  g_assert_cmpint (d->cancellation_notice_s, ==, 3600);
  g_assert_cmpint (d->connect_window_s, ==, 15 * 60);

  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("signald-XXXXXX.conf", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path,
                       "[coaching]\nmin-booking-notice=90s\ncancellation-notice=0\nconnect-window=5m\n",
                       -1, &error);
  g_assert_no_error (error);
  g_unsetenv ("TANDEM_MIN_BOOKING_NOTICE");
  g_unsetenv ("TANDEM_CANCELLATION_NOTICE");
  g_unsetenv ("TANDEM_CONNECT_WINDOW");
  {
    /* The key file, every form: 0, seconds, minutes. */
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, NULL };
    g_assert_true (load (c, args, &error));
    g_assert_no_error (error);
    g_assert_cmpint (c->min_booking_notice_s, ==, 90);
    g_assert_cmpint (c->cancellation_notice_s, ==, 0);
    g_assert_cmpint (c->connect_window_s, ==, 300);
  }
  g_setenv ("TANDEM_MIN_BOOKING_NOTICE", "15m", TRUE);
  g_setenv ("TANDEM_CONNECT_WINDOW", "0", TRUE);
  {
    /* The environment wins over the file, options over the environment. */
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, "--cancellation-notice", "2h",
                           "--connect-window", "10m", NULL };
    g_assert_true (load (c, args, &error));
    g_assert_no_error (error);
    g_assert_cmpint (c->min_booking_notice_s, ==, 15 * 60);
    g_assert_cmpint (c->cancellation_notice_s, ==, 2 * 3600);
    g_assert_cmpint (c->connect_window_s, ==, 600);
  }
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--min-booking-notice", "0", NULL };
    g_assert_true (load (c, args, &error));
    g_assert_cmpint (c->min_booking_notice_s, ==, 0);
  }
  g_unsetenv ("TANDEM_MIN_BOOKING_NOTICE");
  g_unsetenv ("TANDEM_CONNECT_WINDOW");

  /* Bad values stop the start with a message naming the setting. */
  const char *bad[] = { "soon", "-1h", "2 hours", "", "1.5h", "99999999999999999999h" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SdConfig) c = sd_config_new_defaults ();
      const char *args[] = { "signald", "--min-booking-notice", bad[i], NULL };
      g_assert_false (load (c, args, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, "min-booking-notice"));
      g_clear_error (&error);
    }
  g_setenv ("TANDEM_CANCELLATION_NOTICE", "later", TRUE);
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", NULL };
    g_assert_false (load (c, args, &error));
    g_assert_nonnull (strstr (error->message, "cancellation-notice"));
    g_assert_nonnull (strstr (error->message, "later"));
    g_clear_error (&error);
  }
  g_unsetenv ("TANDEM_CANCELLATION_NOTICE");
  g_file_set_contents (path, "[coaching]\nconnect-window=a while\n", -1, &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, NULL };
    g_assert_false (load (c, args, &error));
    g_assert_nonnull (strstr (error->message, "connect-window"));
    g_clear_error (&error);
  }
  g_unlink (path);

  /* The shipped example carries the defaults. */
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data", "signald.conf", NULL);
  g_autoptr(SdConfig) e = sd_config_new_defaults ();
  const char *example_args[] = { "signald", "--config", example, NULL };
  g_assert_true (load (e, example_args, &error));
  g_assert_no_error (error);
  g_assert_cmpint (e->min_booking_notice_s, ==, 2 * 3600);
  g_assert_cmpint (e->cancellation_notice_s, ==, 3600);
  g_assert_cmpint (e->connect_window_s, ==, 15 * 60);
}

/* Call settings: STUN and TURN URLs, the TURN secret. */
static void
test_calls (void)
{
  g_autoptr(GError) error = NULL;

  g_autoptr(SdConfig) d = sd_config_new_defaults ();
  g_assert_cmpuint (g_strv_length (d->stun_urls), ==, 0);
  g_assert_cmpuint (g_strv_length (d->turn_urls), ==, 0);
  g_assert_null (d->turn_secret);

  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("signald-XXXXXX.conf", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path,
    "[calls]\nstun-urls=stun:a.example:3478, stuns:b.example:5349\n"
    "turn-urls=turn:t.example:3478?transport=udp\nturn-secret=from-file\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("TANDEM_TURN_SECRET", "from-env", TRUE);
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path,
                           "--turn-urls", "turn:x.example:3478,turns:x.example:5349?transport=tcp", NULL };
    g_assert_true (load (c, args, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (c->stun_urls), ==, 2);
    g_assert_cmpstr (c->stun_urls[0], ==, "stun:a.example:3478");
    g_assert_cmpstr (c->stun_urls[1], ==, "stuns:b.example:5349");
    g_assert_cmpuint (g_strv_length (c->turn_urls), ==, 2);
    g_assert_cmpstr (c->turn_urls[1], ==, "turns:x.example:5349?transport=tcp");
    g_assert_cmpstr (c->turn_secret, ==, "from-env");
  }
  g_unsetenv ("TANDEM_TURN_SECRET");
  {
    g_autoptr(SdConfig) c = sd_config_new_defaults ();
    const char *args[] = { "signald", "--config", path, NULL };
    g_assert_true (load (c, args, &error));
    g_assert_cmpstr (c->turn_urls[0], ==, "turn:t.example:3478?transport=udp");
    g_assert_cmpstr (c->turn_secret, ==, "from-file");
  }
  g_unlink (path);

  /* Refused: wrong schemes, an empty host, TURN without a secret. */
  const char *const bad[][3] = {
    { "--stun-urls", "turn:a.example:3478" },
    { "--stun-urls", "http://a.example" },
    { "--turn-urls", "stun:a.example:3478" },
    { "--turn-urls", "turn:" },
    { "--turn-urls", "turn:t.example:3478" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SdConfig) c = sd_config_new_defaults ();
      const char *args[] = { "signald", bad[i][0], bad[i][1], NULL };
      if (load (c, args, &error))
        g_error ("%s %s was accepted", bad[i][0], bad[i][1]);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  GStrv urls = g_new0 (char *, 1);
  static const char *const stun[] = { "stun:", NULL };
  g_assert_true (sd_config_parse_urls ("  ", stun, &urls, &error));
  g_assert_cmpuint (g_strv_length (urls), ==, 0);
  g_strfreev (urls);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Config/calls", test_calls);
  g_test_add_func ("/Config/precedence", test_precedence);
  g_test_add_func ("/Config/errors", test_errors);
  g_test_add_func ("/Config/defaults", test_defaults);
  g_test_add_func ("/Config/sizes-and-durations", test_sizes_and_durations);
  g_test_add_func ("/Config/coaching-notices", test_coaching_notices);
  return g_test_run ();
}
