/* sd-config.c — signald settings from options, key file and environment. */
#define G_LOG_DOMAIN "sd-config"

#include "sd-config.h"

#include "tandem-error.h"
#include "tandem-slots.h"

#include <stdlib.h>
#include <string.h>

SdConfig *
sd_config_new_defaults (void)
{
  SdConfig *config = g_new0 (SdConfig, 1);
  config->listen_host = g_strdup ("127.0.0.1");
  config->listen_port = 8080;
  config->workers = 0;
  config->smtp_from = g_strdup ("Tandem <no-reply@localhost>");
  config->session_ttl_s = 30 * 24 * 3600;
  config->invitation_ttl_s = 14 * 24 * 3600;
  config->max_body_bytes = 1024 * 1024;
  config->max_upload_bytes = G_GINT64_CONSTANT (8) << 30;
  config->storage_quota_bytes = G_GINT64_CONSTANT (100) << 30;
  config->upload_ttl_s = 7 * 24 * 3600;
  config->upload_sweep_interval_s = 600;
  config->log_requests = TRUE;
  config->media_jobs = TRUE;
  config->min_booking_notice_s = 2 * 3600;
  config->cancellation_notice_s = 3600;
  config->connect_window_s = 15 * 60;
  config->stun_urls = g_new0 (char *, 1);
  config->turn_urls = g_new0 (char *, 1);
  config->call_idle_timeout_s = 60;
  return config;
}

void
sd_config_free (SdConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->listen_host);
  g_free (config->database_url);
  g_free (config->database_owner_url);
  g_free (config->data_dir);
  g_free (config->public_url);
  g_free (config->mail_spool);
  g_free (config->smtp_url);
  g_free (config->smtp_from);
  g_free (config->smtp_username);
  if (config->smtp_password != NULL)
    {
      memset (config->smtp_password, 0, strlen (config->smtp_password));
      g_free (config->smtp_password);
    }
  g_strfreev (config->stun_urls);
  g_strfreev (config->turn_urls);
  if (config->turn_secret != NULL)
    {
      memset (config->turn_secret, 0, strlen (config->turn_secret));
      g_free (config->turn_secret);
    }
  g_free (config);
}

gboolean
sd_config_parse_listen (const char  *value,
                        char       **host,
                        guint16     *port,
                        GError     **error)
{
  const char *colon = strrchr (value, ':');
  guint64 p = 0;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   "listen address “%s” is not HOST:PORT", value);
      return FALSE;
    }
  g_autofree char *h = g_strndup (value, (gsize) (colon - value));
  if (h[0] == '[' && g_str_has_suffix (h, "]"))
    {
      char *inner = g_strndup (h + 1, strlen (h) - 2);
      g_free (h);
      h = inner;
    }
  if (h[0] == '\0')
    {
      g_free (h);
      h = g_strdup ("0.0.0.0");
    }
  g_free (*host);
  *host = g_steal_pointer (&h);
  *port = (guint16) p;
  return TRUE;
}

gboolean
sd_config_parse_size (const char  *value,
                      gint64      *bytes,
                      GError     **error)
{
  static const struct { const char *suffix; gint64 factor; } units[] = {
    { "", 1 }, { "b", 1 },
    { "k", 1 << 10 }, { "kib", 1 << 10 }, { "kb", 1000 },
    { "m", 1 << 20 }, { "mib", 1 << 20 }, { "mb", 1000000 },
    { "g", 1 << 30 }, { "gib", 1 << 30 }, { "gb", 1000000000 },
    { "t", G_GINT64_CONSTANT (1) << 40 }, { "tib", G_GINT64_CONSTANT (1) << 40 },
    { "tb", G_GINT64_CONSTANT (1000000000000) },
  };
  const char *p = value != NULL ? value : "";
  while (g_ascii_isspace (*p))
    p++;
  const char *digits = p;
  while (g_ascii_isdigit (*p))
    p++;
  g_autofree char *number = g_strndup (digits, (gsize) (p - digits));
  g_autofree char *unit = g_ascii_strdown (g_strstrip (g_strdup (p)), -1);
  guint64 n = 0;

  if (*number != '\0' && g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT64, &n, NULL))
    for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
      if (g_str_equal (unit, units[i].suffix) && n <= (guint64) (G_MAXINT64 / units[i].factor))
        {
          *bytes = (gint64) n * units[i].factor;
          return TRUE;
        }
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
               "“%s” is not a size (such as 8GiB, 512M or a number of bytes)", value != NULL ? value : "");
  return FALSE;
}

gboolean
sd_config_parse_duration (const char  *value,
                          gint64      *seconds,
                          GError     **error)
{
  const char *p = value != NULL ? value : "";
  char *end = NULL;
  guint64 n = g_ascii_strtoull (p, &end, 10);
  gint64 factor = 0;

  if (end != p && g_ascii_isdigit (*p))
    {
      if (g_str_equal (end, "") || g_str_equal (end, "s"))
        factor = 1;
      else if (g_str_equal (end, "m"))
        factor = 60;
      else if (g_str_equal (end, "h"))
        factor = 3600;
      else if (g_str_equal (end, "d"))
        factor = 24 * 3600;
    }
  if (factor == 0 || n == 0 || n > (guint64) (G_MAXINT64 / factor))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   "“%s” is not a duration (such as 7d, 12h, 30m or a number of seconds)",
                   value != NULL ? value : "");
      return FALSE;
    }
  *seconds = (gint64) n * factor;
  return TRUE;
}

gboolean
sd_config_parse_urls (const char         *value,
                      const char * const *schemes,
                      GStrv              *urls,
                      GError            **error)
{
  g_auto(GStrv) parts = g_strsplit_set (value != NULL ? value : "", ", \t", -1);
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *url = parts[i];
      gboolean known = FALSE;
      if (*url == '\0')
        continue;
      for (guint k = 0; schemes[k] != NULL && !known; k++)
        known = g_str_has_prefix (url, schemes[k]) && strlen (url) > strlen (schemes[k]);
      for (const char *c = url; known && *c != '\0'; c++)
        known = g_ascii_isgraph (*c);
      if (!known)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) schemes);
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                       "“%s” is not a URL starting with %s", url, list);
          return FALSE;
        }
      g_strv_builder_add (out, url);
    }
  g_strfreev (*urls);
  *urls = g_strv_builder_end (out);
  return TRUE;
}

static void
replace (char       **slot,
         const char  *value)
{
  if (value == NULL)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

/* Values gathered from one source, applied in order of precedence. */
typedef struct {
  char *listen, *database, *database_owner, *data_dir, *public_url;
  char *mail_spool, *smtp_url, *smtp_from, *smtp_username, *smtp_password;
  char *request_log;          /* "on" / "off" */
  char *media_jobs;           /* "on" / "off" */
  char *max_upload_size, *storage_quota, *upload_expiry;
  char *min_booking_notice, *cancellation_notice, *connect_window;
  char *stun_urls, *turn_urls, *turn_secret;
  int workers;
} Layer;

static void
layer_clear (Layer *l)
{
  g_free (l->listen); g_free (l->database); g_free (l->database_owner);
  g_free (l->data_dir); g_free (l->public_url); g_free (l->mail_spool);
  g_free (l->smtp_url); g_free (l->smtp_from); g_free (l->smtp_username);
  g_free (l->smtp_password); g_free (l->request_log); g_free (l->media_jobs);
  g_free (l->max_upload_size); g_free (l->storage_quota); g_free (l->upload_expiry);
  g_free (l->min_booking_notice); g_free (l->cancellation_notice); g_free (l->connect_window);
  g_free (l->stun_urls); g_free (l->turn_urls); g_free (l->turn_secret);
}

/* "on"/"true"/"1" or "off"/"false"/"0" into *@value; FALSE with @error
 * naming @key otherwise. */
static gboolean
parse_on_off (const char  *key,
              const char  *text,
              gboolean    *value,
              GError     **error)
{
  if (g_ascii_strcasecmp (text, "on") == 0 || g_str_equal (text, "true") || g_str_equal (text, "1"))
    *value = TRUE;
  else if (g_ascii_strcasecmp (text, "off") == 0 || g_str_equal (text, "false") || g_str_equal (text, "0"))
    *value = FALSE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be on or off, not “%s”", key, text);
      return FALSE;
    }
  return TRUE;
}

/* A coaching notice: "0", "90s", "15m", "2h" (tandem_parse_duration);
 * FALSE with @error naming @key otherwise. */
static gboolean
parse_notice (const char  *key,
              const char  *text,
              gint64      *seconds,
              GError     **error)
{
  if (!tandem_parse_duration (text, seconds))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be a duration such as 0, 90s, 15m or 2h, not “%s”", key, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
layer_apply (SdConfig     *config,
             const Layer  *l,
             GError      **error)
{
  if (l->listen != NULL &&
      !sd_config_parse_listen (l->listen, &config->listen_host, &config->listen_port, error))
    return FALSE;
  replace (&config->database_url, l->database);
  replace (&config->database_owner_url, l->database_owner);
  replace (&config->data_dir, l->data_dir);
  replace (&config->public_url, l->public_url);
  replace (&config->mail_spool, l->mail_spool);
  replace (&config->smtp_url, l->smtp_url);
  replace (&config->smtp_from, l->smtp_from);
  replace (&config->smtp_username, l->smtp_username);
  replace (&config->smtp_password, l->smtp_password);
  if (l->workers > 0)
    config->workers = (guint) l->workers;
  if (l->request_log != NULL &&
      !parse_on_off ("request-log", l->request_log, &config->log_requests, error))
    return FALSE;
  if (l->media_jobs != NULL &&
      !parse_on_off ("media-jobs", l->media_jobs, &config->media_jobs, error))
    return FALSE;
  if (l->max_upload_size != NULL &&
      !sd_config_parse_size (l->max_upload_size, &config->max_upload_bytes, error))
    return FALSE;
  if (l->storage_quota != NULL &&
      !sd_config_parse_size (l->storage_quota, &config->storage_quota_bytes, error))
    return FALSE;
  if (l->upload_expiry != NULL &&
      !sd_config_parse_duration (l->upload_expiry, &config->upload_ttl_s, error))
    return FALSE;
  if (l->min_booking_notice != NULL &&
      !parse_notice ("min-booking-notice", l->min_booking_notice, &config->min_booking_notice_s, error))
    return FALSE;
  if (l->cancellation_notice != NULL &&
      !parse_notice ("cancellation-notice", l->cancellation_notice, &config->cancellation_notice_s, error))
    return FALSE;
  if (l->connect_window != NULL &&
      !parse_notice ("connect-window", l->connect_window, &config->connect_window_s, error))
    return FALSE;
  static const char *const stun_schemes[] = { "stun:", "stuns:", NULL };
  static const char *const turn_schemes[] = { "turn:", "turns:", NULL };
  if (l->stun_urls != NULL &&
      !sd_config_parse_urls (l->stun_urls, stun_schemes, &config->stun_urls, error))
    return FALSE;
  if (l->turn_urls != NULL &&
      !sd_config_parse_urls (l->turn_urls, turn_schemes, &config->turn_urls, error))
    return FALSE;
  replace (&config->turn_secret, l->turn_secret);
  return TRUE;
}

static char *
key_string (GKeyFile   *kf,
            const char *group,
            const char *key)
{
  return g_key_file_get_string (kf, group, key, NULL);
}

static gboolean
load_key_file (const char  *path,
               Layer       *l,
               GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "cannot read config %s: ", path);
      return FALSE;
    }
  l->listen = key_string (kf, "server", "listen");
  l->public_url = key_string (kf, "server", "public-url");
  l->workers = g_key_file_get_integer (kf, "server", "workers", NULL);
  l->request_log = key_string (kf, "server", "request-log");
  l->media_jobs = key_string (kf, "server", "media-jobs");
  l->database = key_string (kf, "database", "url");
  l->database_owner = key_string (kf, "database", "owner-url");
  l->data_dir = key_string (kf, "storage", "data-dir");
  l->max_upload_size = key_string (kf, "storage", "max-upload-size");
  l->storage_quota = key_string (kf, "storage", "storage-quota");
  l->upload_expiry = key_string (kf, "storage", "upload-expiry");
  l->min_booking_notice = key_string (kf, "coaching", "min-booking-notice");
  l->cancellation_notice = key_string (kf, "coaching", "cancellation-notice");
  l->connect_window = key_string (kf, "coaching", "connect-window");
  l->mail_spool = key_string (kf, "mail", "spool");
  l->smtp_url = key_string (kf, "mail", "smtp-url");
  l->smtp_from = key_string (kf, "mail", "from");
  l->smtp_username = key_string (kf, "mail", "smtp-username");
  l->smtp_password = key_string (kf, "mail", "smtp-password");
  l->stun_urls = key_string (kf, "calls", "stun-urls");
  l->turn_urls = key_string (kf, "calls", "turn-urls");
  l->turn_secret = key_string (kf, "calls", "turn-secret");
  return TRUE;
}

static char *
env_dup (const char *name)
{
  const char *v = g_getenv (name);
  return v != NULL && *v != '\0' ? g_strdup (v) : NULL;
}

static void
load_env (Layer *l)
{
  l->listen = env_dup ("TANDEM_LISTEN");
  l->database = env_dup ("TANDEM_DATABASE");
  l->database_owner = env_dup ("TANDEM_DATABASE_OWNER");
  l->data_dir = env_dup ("TANDEM_DATA_DIR");
  l->public_url = env_dup ("TANDEM_PUBLIC_URL");
  l->mail_spool = env_dup ("TANDEM_MAIL_SPOOL");
  l->smtp_url = env_dup ("TANDEM_SMTP_URL");
  l->smtp_from = env_dup ("TANDEM_SMTP_FROM");
  l->smtp_username = env_dup ("TANDEM_SMTP_USERNAME");
  l->smtp_password = env_dup ("TANDEM_SMTP_PASSWORD");
  l->request_log = env_dup ("TANDEM_REQUEST_LOG");
  l->media_jobs = env_dup ("TANDEM_MEDIA_JOBS");
  l->max_upload_size = env_dup ("TANDEM_MAX_UPLOAD_SIZE");
  l->storage_quota = env_dup ("TANDEM_STORAGE_QUOTA");
  l->upload_expiry = env_dup ("TANDEM_UPLOAD_EXPIRY");
  l->min_booking_notice = env_dup ("TANDEM_MIN_BOOKING_NOTICE");
  l->cancellation_notice = env_dup ("TANDEM_CANCELLATION_NOTICE");
  l->connect_window = env_dup ("TANDEM_CONNECT_WINDOW");
  l->stun_urls = env_dup ("TANDEM_STUN_URLS");
  l->turn_urls = env_dup ("TANDEM_TURN_URLS");
  l->turn_secret = env_dup ("TANDEM_TURN_SECRET");
  g_autofree char *workers = env_dup ("TANDEM_WORKERS");
  if (workers != NULL)
    l->workers = atoi (workers);
}

gboolean
sd_config_load (SdConfig   *config,
                int        *argc,
                char     ***argv,
                GError    **error)
{
  Layer opt = { 0 }, env = { 0 }, file = { 0 };
  g_autofree char *config_path = NULL;
  gboolean ok = FALSE;

  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "Key file with settings", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt.listen, "Address to listen on (default 127.0.0.1:8080)", "HOST:PORT" },
    { "database", 'd', 0, G_OPTION_ARG_STRING, &opt.database, "sqlite:PATH or postgres://… (default sqlite:DATA_DIR/signald.db)", "URL" },
    { "database-owner", 0, 0, G_OPTION_ARG_STRING, &opt.database_owner, "PostgreSQL URL of the owner role that runs migrations", "URL" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt.data_dir, "Directory for the database, media and mail spool", "DIR" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &opt.public_url, "Base URL used in links sent to users", "URL" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &opt.workers, "HTTP worker loops (default: one per core)", "N" },
    { "request-log", 0, 0, G_OPTION_ARG_STRING, &opt.request_log, "One JSON line per request on stdout: on (default) or off", "on|off" },
    { "media-jobs", 0, 0, G_OPTION_ARG_STRING, &opt.media_jobs, "Process uploaded videos in this instance: on (default) or off", "on|off" },
    { "mail-spool", 0, 0, G_OPTION_ARG_FILENAME, &opt.mail_spool, "Directory for .eml files when no SMTP server is set (default DATA_DIR/mail)", "DIR" },
    { "smtp-url", 0, 0, G_OPTION_ARG_STRING, &opt.smtp_url, "SMTP server, e.g. smtp://127.0.0.1:25", "URL" },
    { "smtp-from", 0, 0, G_OPTION_ARG_STRING, &opt.smtp_from, "Sender address of e-mails", "ADDRESS" },
    { "max-upload-size", 0, 0, G_OPTION_ARG_STRING, &opt.max_upload_size, "Largest file one upload may hold (default 8GiB)", "SIZE" },
    { "storage-quota", 0, 0, G_OPTION_ARG_STRING, &opt.storage_quota, "Storage per organization unless set for it (default 100GiB)", "SIZE" },
    { "upload-expiry", 0, 0, G_OPTION_ARG_STRING, &opt.upload_expiry, "How long an unfinished upload is kept (default 7d)", "DURATION" },
    { "min-booking-notice", 0, 0, G_OPTION_ARG_STRING, &opt.min_booking_notice, "How far ahead a coaching session must be booked (default 2h)", "DURATION" },
    { "cancellation-notice", 0, 0, G_OPTION_ARG_STRING, &opt.cancellation_notice, "How long before its start a student may still cancel or move a session (default 1h)", "DURATION" },
    { "connect-window", 0, 0, G_OPTION_ARG_STRING, &opt.connect_window, "How long before its start a session's call opens (default 15m)", "DURATION" },
    { "stun-urls", 0, 0, G_OPTION_ARG_STRING, &opt.stun_urls, "STUN servers handed to callers, comma-separated (stun:HOST:PORT)", "URLS" },
    { "turn-urls", 0, 0, G_OPTION_ARG_STRING, &opt.turn_urls, "TURN servers handed to callers, comma-separated (turn:HOST:PORT?transport=udp); need a TURN secret", "URLS" },
    { "turn-secret", 0, 0, G_OPTION_ARG_STRING, &opt.turn_secret, "The TURN server's shared secret (coturn static-auth-secret); better set in the key file or TANDEM_TURN_SECRET", "SECRET" },
    { NULL }
  };

  g_autoptr(GOptionContext) ctx = g_option_context_new ("— the Tandem server");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Every option can also be set in the key file (--config) and as a TANDEM_*\n"
    "environment variable (TANDEM_LISTEN, TANDEM_DATABASE, TANDEM_DATABASE_OWNER,\n"
    "TANDEM_DATA_DIR, TANDEM_PUBLIC_URL, TANDEM_WORKERS, TANDEM_REQUEST_LOG,\n"
    "TANDEM_MEDIA_JOBS,\n"
    "TANDEM_MAIL_SPOOL, TANDEM_SMTP_URL, TANDEM_SMTP_FROM, TANDEM_SMTP_USERNAME,\n"
    "TANDEM_SMTP_PASSWORD, TANDEM_MAX_UPLOAD_SIZE, TANDEM_STORAGE_QUOTA,\n"
    "TANDEM_UPLOAD_EXPIRY, TANDEM_MIN_BOOKING_NOTICE, TANDEM_CANCELLATION_NOTICE,\n"
    "TANDEM_CONNECT_WINDOW, TANDEM_STUN_URLS, TANDEM_TURN_URLS, TANDEM_TURN_SECRET).\n"
    "Options win over the environment, which wins over the key file.");
  if (!g_option_context_parse (ctx, argc, argv, error))
    goto out;

  if (config_path == NULL)
    config_path = env_dup ("TANDEM_CONFIG");
  if (config_path != NULL && !load_key_file (config_path, &file, error))
    goto out;
  load_env (&env);

  if (!layer_apply (config, &file, error) ||
      !layer_apply (config, &env, error) ||
      !layer_apply (config, &opt, error))
    goto out;

  if (config->turn_urls[0] != NULL && (config->turn_secret == NULL || *config->turn_secret == '\0'))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "turn-urls needs turn-secret (the TURN server's shared secret)");
      goto out;
    }

  sd_config_finish (config);
  ok = TRUE;

out:
  layer_clear (&opt);
  layer_clear (&env);
  layer_clear (&file);
  return ok;
}

void
sd_config_finish (SdConfig *config)
{
  if (config->data_dir == NULL)
    config->data_dir = g_build_filename (g_get_user_data_dir (), "tandem", "signald", NULL);
  if (config->database_url == NULL)
    config->database_url = g_strconcat ("sqlite:", config->data_dir, "/signald.db", NULL);
  if (config->mail_spool == NULL)
    config->mail_spool = g_build_filename (config->data_dir, "mail", NULL);
  if (config->public_url == NULL)
    {
      gboolean v6 = strchr (config->listen_host, ':') != NULL;
      config->public_url = g_strdup_printf ("http://%s%s%s:%u", v6 ? "[" : "",
                                            config->listen_host, v6 ? "]" : "",
                                            config->listen_port);
    }
  /* No trailing slash: links are made as public_url + "/path". */
  while (g_str_has_suffix (config->public_url, "/"))
    config->public_url[strlen (config->public_url) - 1] = '\0';
}
