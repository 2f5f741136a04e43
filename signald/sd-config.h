/* sd-config.h — signald settings: defaults < key file < TANDEM_* env < options. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *listen_host;          /* "127.0.0.1" */
  guint16 listen_port;        /* 8080; 0 picks a free port (tests) */
  guint workers;              /* main loops serving HTTP; 0 = one per core */
  char *database_url;         /* "sqlite:DATA_DIR/signald.db" */
  char *database_owner_url;   /* PostgreSQL owner role for migrations; may be NULL */
  char *data_dir;
  char *public_url;           /* base of links in e-mails: "http://127.0.0.1:8080" */
  char *mail_spool;           /* DATA_DIR/mail */
  char *smtp_url;             /* "smtp://host:port" or NULL for the spool */
  char *smtp_from;            /* "Tandem <no-reply@localhost>" */
  char *smtp_username;
  char *smtp_password;        /* never logged */
  gint64 session_ttl_s;       /* 30 days */
  gint64 invitation_ttl_s;    /* 14 days */
  gsize max_body_bytes;       /* JSON bodies; 1 MiB */
  gint64 max_upload_bytes;    /* one uploaded file; 8 GiB */
  gint64 storage_quota_bytes; /* per organization unless it has its own; 100 GiB */
  gint64 upload_ttl_s;        /* an unfinished upload expires after; 7 days */
  gint64 upload_sweep_interval_s; /* how often expired uploads are deleted; 10 min (tests) */
  gboolean log_requests;
  gboolean media_jobs;        /* run the media worker here (probe, thumbnails, transcodes); on */
  /* Live coaching (durations in seconds, 0 allowed) */
  gint64 min_booking_notice_s;  /* a slot must start at least this far ahead; 2 h */
  gint64 cancellation_notice_s; /* students cancel or move at least this long before; 1 h */
  gint64 connect_window_s;      /* a call may be joined this long before the start; 15 min */
  /* Calls */
  GStrv stun_urls;            /* ICE servers handed to callers: "stun:HOST:PORT", …; may be empty */
  GStrv turn_urls;            /* "turn:HOST:PORT?transport=udp", …; need turn_secret */
  char *turn_secret;          /* coturn's static-auth-secret (REST API credentials); never logged */
  gint64 call_idle_timeout_s; /* a /ws socket silent this long counts as dropped; 60 s (tests) */
} SdConfig;

SdConfig *sd_config_new_defaults (void);
void      sd_config_free         (SdConfig *config);

/* Parse the command line (removing what it knows from @argv), then the key
 * file named by --config, then the environment, in the precedence above.
 * Returns FALSE with @error set for bad values; prints help and exits for
 * --help. */
gboolean  sd_config_load         (SdConfig   *config,
                                  int        *argc,
                                  char     ***argv,
                                  GError    **error);

/* Parse "HOST:PORT", "[V6]:PORT" or ":PORT". */
gboolean  sd_config_parse_listen (const char *value,
                                  char      **host,
                                  guint16    *port,
                                  GError    **error);

/* "8GiB", "512M", "100 GB", "12345": a byte count with an optional binary
 * (K, KiB, M, MiB, G, GiB, T, TiB) or decimal (KB, MB, GB, TB) suffix. */
gboolean  sd_config_parse_size     (const char *value,
                                    gint64     *bytes,
                                    GError    **error);
/* "7d", "12h", "30m", "90s" or seconds: a duration in seconds, at least 1. */
gboolean  sd_config_parse_duration (const char *value,
                                    gint64     *seconds,
                                    GError    **error);

/* "stun:a:3478, stun:b:3478": URLs separated by commas or spaces, each
 * starting with one of @schemes (NULL-terminated, e.g. "stun:", "stuns:").
 * An empty value gives an empty list. */
gboolean  sd_config_parse_urls     (const char         *value,
                                    const char * const *schemes,
                                    GStrv              *urls,
                                    GError            **error);

/* Fill the values that derive from others (database, spool, public URL). */
void      sd_config_finish       (SdConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdConfig, sd_config_free)

G_END_DECLS
