/* test-mailer.c — sd-mailer: message format, header-injection refusal, the
 * spool, and real SMTP conversations with th-smtp over loopback. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "jobs/sd-mailer.h"

#include "tandem-error.h"
#include "th-smtp.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define FROM "Tandem <no-reply@tandem.example>"

/* --- log capture: the message body must never be logged ------------------ */

static GMutex log_lock;
static GString *log_text;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].value != NULL)
      {
        if (fields[i].length < 0)
          g_string_append (log_text, fields[i].value);
        else
          g_string_append_len (log_text, fields[i].value, fields[i].length);
        g_string_append_c (log_text, '\n');
      }
  g_mutex_unlock (&log_lock);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static char *
captured_logs (void)
{
  g_mutex_lock (&log_lock);
  char *copy = g_strdup (log_text->str);
  g_mutex_unlock (&log_lock);
  return copy;
}

/* --- helpers ------------------------------------------------------------- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-mailer-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static GStrv
list_dir (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GDir *dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_strv_builder_add (builder, name);
  g_dir_close (dir);
  return g_strv_builder_end (builder);
}

/* A spool-mode mailer whose spool lives in a fresh temporary directory. */
typedef struct {
  char     *dir;
  char     *spool;
  SdMailer *mailer;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  f->dir = make_tmp_dir ();
  f->spool = g_build_filename (f->dir, "var", "spool", "mail", NULL);
  f->mailer = sd_mailer_new (NULL, NULL, NULL, FROM, f->spool, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->mailer);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sd_mailer_free (f->mailer);
  rm_rf (f->dir);
  g_free (f->spool);
  g_free (f->dir);
}

static SdMail
basic_mail (void)
{
  SdMail mail = {
    .to = "alice@example.org",
    .to_name = "Alice Example",
    .subject = "Welcome to Tandem",
    .text = "Hello Alice,\nyour invitation code is ABC-123.\n",
  };
  return mail;
}

/* Every line ends in CRLF (no bare CR or LF), no line is longer than 78
 * characters, the whole header block is ASCII. */
static void
assert_wire_format (const char *msg)
{
  gsize len = strlen (msg);
  gsize line_start = 0;

  g_assert_true (g_str_has_suffix (msg, "\r\n"));
  for (gsize i = 0; i < len; i++)
    {
      if (msg[i] == '\r')
        g_assert_cmpint (msg[i + 1], ==, '\n');
      if (msg[i] == '\n')
        {
          g_assert_cmpuint (i, >, 0);
          g_assert_cmpint (msg[i - 1], ==, '\r');
          g_assert_cmpuint (i - 1 - line_start, <=, 78);
          line_start = i + 1;
        }
    }

  const char *end = strstr (msg, "\r\n\r\n");
  g_assert_nonnull (end);
  for (const char *p = msg; p < end; p++)
    g_assert_cmpuint ((guchar) *p, <, 0x80);
}

static gboolean
replace_boundary (const GMatchInfo *info,
                  GString          *result,
                  gpointer          user_data)
{
  GHashTable *seen = user_data;
  g_autofree char *boundary = g_match_info_fetch (info, 0);
  char *name = g_hash_table_lookup (seen, boundary);
  if (name == NULL)
    {
      name = g_strdup_printf ("BOUNDARY%u", g_hash_table_size (seen) + 1);
      g_hash_table_insert (seen, g_strdup (boundary), name);
    }
  g_string_append (result, name);
  return FALSE;
}

/* @msg without its Date and Message-ID lines and with the random MIME
 * boundaries numbered in order of appearance. */
static char *
normalise (const char *msg)
{
  g_auto(GStrv) lines = g_strsplit (msg, "\r\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Date: ") || g_str_has_prefix (lines[i], "Message-ID: "))
        continue;
      g_string_append (out, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append (out, "\r\n");
    }

  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) regex = g_regex_new ("=_tandem_[0-9a-f]+", 0, 0, NULL);
  return g_regex_replace_eval (regex, out->str, -1, 0, 0, replace_boundary, seen, NULL);
}

static gboolean
matches (const char *pattern,
         const char *text)
{
  return g_regex_match_simple (pattern, text, G_REGEX_MULTILINE, 0);
}

static const char *
body_of (const char *msg)
{
  const char *sep = strstr (msg, "\r\n\r\n");
  g_assert_nonnull (sep);
  return sep + 4;
}

/* --- format -------------------------------------------------------------- */

static void
test_format_ascii (Fixture       *f,
                   gconstpointer  data)
{
  SdMail mail = basic_mail ();
  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  g_autofree char *again = sd_mailer_format (f->mailer, &mail);

  g_assert_nonnull (msg);
  assert_wire_format (msg);
  g_assert_true (matches ("^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
                          "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
                          "[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\r$", msg));
  g_assert_nonnull (strstr (msg, "\r\nFrom: Tandem <no-reply@tandem.example>\r\n"));
  g_assert_nonnull (strstr (msg, "\r\nTo: Alice Example <alice@example.org>\r\n"));
  g_assert_nonnull (strstr (msg, "\r\nSubject: Welcome to Tandem\r\n"));
  g_assert_true (matches ("^Message-ID: <[^@<>[:space:]]+@tandem\\.example>\r$", msg));
  g_assert_nonnull (strstr (msg, "\r\nMIME-Version: 1.0\r\n"));
  g_assert_nonnull (strstr (msg, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
  g_assert_nonnull (strstr (msg, "\r\nContent-Transfer-Encoding: quoted-printable\r\n"));
  g_assert_cmpstr (body_of (msg), ==, "Hello Alice,\r\nyour invitation code is ABC-123.\r\n");

  g_autofree char *text = th_mail_get_text (msg, "text/plain");
  g_assert_cmpstr (text, ==, mail.text);

  /* A fresh Message-ID every time. */
  g_autofree char *id1 = th_mail_get_header (msg, "Message-ID");
  g_autofree char *id2 = th_mail_get_header (again, "Message-ID");
  g_assert_cmpstr (id1, !=, id2);
}

static void
test_format_quoted_printable (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("Grüße, Jürgen!\n"
                                          "x=y\n"
                                          "trailing space \n"
                                          "tab\t\n"
                                          ".\n"
                                          "..\n"
                                          "From here\n");
  for (int i = 0; i < 30; i++)
    g_string_append (text, "long line ");
  g_string_append_c (text, '\n');
  for (int i = 0; i < 60; i++)
    g_string_append (text, "ä");
  g_string_append_c (text, '\n');
  for (int i = 0; i < 100; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "=\n");

  SdMail mail = basic_mail ();
  mail.text = text->str;
  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  g_assert_nonnull (msg);
  assert_wire_format (msg);

  const char *body = body_of (msg);
  g_assert_nonnull (strstr (body, "Gr=C3=BC=C3=9Fe, J=C3=BCrgen!\r\n"));
  g_assert_nonnull (strstr (body, "\r\nx=3Dy\r\n"));
  g_assert_nonnull (strstr (body, "\r\ntrailing space=20\r\n"));
  g_assert_nonnull (strstr (body, "\r\ntab=09\r\n"));
  g_assert_nonnull (strstr (body, "=\r\n"));  /* soft line breaks */
  for (const char *p = body; *p; p++)
    g_assert_true (*p == '\r' || *p == '\n' || (*p >= 0x20 && *p < 0x7f));

  g_autofree char *decoded = th_mail_get_text (msg, "text/plain");
  g_assert_cmpstr (decoded, ==, text->str);
}

static void
test_format_line_ends (Fixture       *f,
                       gconstpointer  data)
{
  SdMail mail = basic_mail ();
  mail.text = "one\r\ntwo\rthree\nfour";
  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);
  g_assert_cmpstr (body_of (msg), ==, "one\r\ntwo\r\nthree\r\nfour\r\n");

  mail.text = "";
  g_autofree char *empty = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (empty);
  g_assert_cmpstr (body_of (empty), ==, "\r\n");

  mail.text = NULL;
  g_autofree char *none = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (none);
}

static void
test_format_subject_utf8 (Fixture       *f,
                          gconstpointer  data)
{
  SdMail mail = basic_mail ();
  mail.subject = "Einladung für Jürgen Müller – Gruppe „Läufer“";
  mail.to_name = "Jörg Šimůnek";

  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);
  g_assert_true (matches ("^Subject: =\\?utf-8\\?Q\\?Einladung_f=C3=BCr_J=C3=BCrgen", msg));
  g_assert_true (matches ("^To: =\\?utf-8\\?Q\\?J=C3=B6rg_=C5=A0im=C5=AFnek\\?= <alice@example\\.org>\r$", msg));

  g_autofree char *subject = th_mail_get_header (msg, "Subject");
  g_assert_cmpstr (subject, ==, mail.subject);
  g_autofree char *to = th_mail_get_header (msg, "To");
  g_assert_cmpstr (to, ==, "Jörg Šimůnek <alice@example.org>");

  /* Long: folded over several lines, each encoded-word whole. */
  g_autoptr(GString) longer = g_string_new (NULL);
  for (int i = 0; i < 20; i++)
    g_string_append (longer, "Grüße aus Köln ");
  g_string_append (longer, "=?x?");
  mail.subject = longer->str;
  g_autofree char *long_msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (long_msg);
  g_autofree char *long_subject = th_mail_get_header (long_msg, "Subject");
  g_assert_cmpstr (long_subject, ==, longer->str);
  g_assert_true (matches ("^Subject: =\\?utf-8\\?Q\\?[^ ]+\\?=\r\n =\\?utf-8\\?Q\\?", long_msg));

  /* ASCII text that looks like an encoded-word is encoded too. */
  mail.subject = "=?utf-8?Q?fake?=";
  g_autofree char *fake = sd_mailer_format (f->mailer, &mail);
  g_autofree char *fake_subject = th_mail_get_header (fake, "Subject");
  g_assert_cmpstr (fake_subject, ==, "=?utf-8?Q?fake?=");
  g_assert_null (strstr (fake, "Subject: =?utf-8?Q?fake?="));
}

static void
test_format_subject_folding (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GString) subject = g_string_new ("Your weekly summary:");
  for (int i = 0; i < 15; i++)
    g_string_append_printf (subject, " session %d done,", i);

  SdMail mail = basic_mail ();
  mail.subject = subject->str;
  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);
  g_assert_null (strstr (msg, "=?utf-8?"));
  g_assert_true (matches ("^Subject: Your weekly summary: .*\r\n session", msg));
  g_autofree char *unfolded = th_mail_get_header (msg, "Subject");
  g_assert_cmpstr (unfolded, ==, subject->str);
}

static void
test_format_display_names (void)
{
  struct {
    const char *from;
    const char *to_name;
    const char *from_line;
    const char *to_line;
  } cases[] = {
    { "bot@example.org", NULL,
      "\r\nFrom: bot@example.org\r\n", "\r\nTo: alice@example.org\r\n" },
    { "\"Tandem, Inc.\" <bot@example.org>", "Doe, John",
      "\r\nFrom: \"Tandem, Inc.\" <bot@example.org>\r\n",
      "\r\nTo: \"Doe, John\" <alice@example.org>\r\n" },
    { "  Tandem   <bot@example.org>  ", "Say \"hi\" \\o/",
      "\r\nFrom: Tandem <bot@example.org>\r\n",
      "\r\nTo: \"Say \\\"hi\\\" \\\\o/\" <alice@example.org>\r\n" },
    { "<bot@example.org>", "",
      "\r\nFrom: bot@example.org\r\n", "\r\nTo: alice@example.org\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = make_tmp_dir ();
      g_autoptr(SdMailer) mailer = sd_mailer_new (NULL, NULL, NULL, cases[i].from, dir, &error);
      g_assert_no_error (error);

      SdMail mail = basic_mail ();
      mail.to_name = cases[i].to_name;
      g_autofree char *msg = sd_mailer_format (mailer, &mail);
      assert_wire_format (msg);
      g_assert_nonnull (strstr (msg, cases[i].from_line));
      g_assert_nonnull (strstr (msg, cases[i].to_line));
      g_assert_true (matches ("^Message-ID: <[^@]+@example\\.org>\r$", msg));
      rm_rf (dir);
    }
}

static void
test_format_html (Fixture       *f,
                  gconstpointer  data)
{
  SdMail mail = basic_mail ();
  mail.html = "<p>Hello <b>Alice</b>, your code is <code>ABC-123</code>.</p>\n";
  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);

  g_autofree char *type = th_mail_get_header (msg, "Content-Type");
  g_assert_true (matches ("^multipart/alternative;[ \t]*boundary=\"=_tandem_[0-9a-f]+\"$", type));
  g_assert_null (th_mail_get_header (msg, "Content-Transfer-Encoding"));

  const char *plain = strstr (msg, "Content-Type: text/plain; charset=utf-8\r\n");
  const char *html = strstr (msg, "Content-Type: text/html; charset=utf-8\r\n");
  g_assert_nonnull (plain);
  g_assert_nonnull (html);
  g_assert_true (plain < html);  /* the preferred alternative comes last */

  g_autofree char *boundary = g_strndup (strstr (type, "=_tandem_"), 9 + 24);
  g_autofree char *close = g_strdup_printf ("\r\n--%s--\r\n", boundary);
  g_assert_true (g_str_has_suffix (msg, close));

  g_autofree char *text = th_mail_get_text (msg, "text/plain");
  g_autofree char *html_text = th_mail_get_text (msg, "text/html");
  /* The CRLF before a boundary belongs to the boundary. */
  g_autofree char *text_expected = g_strndup (mail.text, strlen (mail.text) - 1);
  g_autofree char *html_expected = g_strndup (mail.html, strlen (mail.html) - 1);
  g_assert_cmpstr (text, ==, text_expected);
  g_assert_cmpstr (html_text, ==, html_expected);
}

static const char ics[] =
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tandem//EN\r\nMETHOD:REQUEST\r\n"
  "BEGIN:VEVENT\r\nUID:1@tandem.example\r\nSUMMARY:Lauftraining mit Jürgen\r\n"
  "DTSTART:20250101T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

static void
test_format_attachment (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) attachment = g_bytes_new_static (ics, strlen (ics));
  SdMailAttachment att = { "invite.ics", "text/calendar; method=REQUEST", attachment };
  SdMail mail = basic_mail ();
  mail.html = "<p>See the invitation.</p>";
  mail.attachments = &att;
  mail.n_attachments = 1;

  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);

  /* multipart/mixed { multipart/alternative { text, HTML, the invitation },
   * the invitation as a file } */
  g_autofree char *type = th_mail_get_header (msg, "Content-Type");
  g_assert_true (g_str_has_prefix (type, "multipart/mixed;"));
  const char *alternative = strstr (msg, "\r\nContent-Type: multipart/alternative;");
  const char *inline_calendar = strstr (msg, "\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n"
                                             "Content-Transfer-Encoding: base64\r\n\r\n");
  const char *calendar = strstr (msg, "\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8;\r\n"
                                      " name=\"invite.ics\"\r\n"
                                      "Content-Disposition: attachment;\r\n"
                                      " filename=\"invite.ics\"\r\n"
                                      "Content-Transfer-Encoding: base64\r\n\r\n");
  g_assert_nonnull (alternative);
  g_assert_nonnull (inline_calendar);
  g_assert_nonnull (calendar);
  g_assert_true (alternative < inline_calendar);
  g_assert_true (inline_calendar < calendar);

  g_autoptr(GPtrArray) parts = th_mail_get_parts (msg);
  g_assert_cmpuint (parts->len, ==, 4);
  static const struct { const char *type, *parent; gboolean file; } expected[] = {
    { "text/plain", "multipart/alternative", FALSE },
    { "text/html", "multipart/alternative", FALSE },
    { "text/calendar", "multipart/alternative", FALSE },
    { "text/calendar", "multipart/mixed", TRUE },
  };
  for (guint i = 0; i < parts->len; i++)
    {
      ThMailPart *part = g_ptr_array_index (parts, i);
      g_assert_cmpstr (part->mime_type, ==, expected[i].type);
      g_assert_cmpstr (part->parent, ==, expected[i].parent);
      g_assert_true ((part->disposition != NULL) == expected[i].file);
      if (g_str_equal (part->mime_type, "text/calendar"))
        g_assert_true (g_bytes_equal (part->body, attachment));
    }

  g_autoptr(GBytes) decoded = th_mail_get_part (msg, "text/calendar");
  g_assert_nonnull (decoded);
  g_assert_true (g_bytes_equal (decoded, attachment));
  g_autofree char *text = th_mail_get_text (msg, "text/plain");
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "Hello Alice,"));
  g_autofree char *html = th_mail_get_text (msg, "text/html");
  g_assert_cmpstr (html, ==, mail.html);

  /* Without HTML the alternatives are the text and the invitation. */
  mail.html = NULL;
  g_autofree char *plain = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (plain);
  g_autoptr(GPtrArray) plain_parts = th_mail_get_parts (plain);
  g_assert_cmpuint (plain_parts->len, ==, 3);
  ThMailPart *first = g_ptr_array_index (plain_parts, 0);
  ThMailPart *second = g_ptr_array_index (plain_parts, 1);
  g_assert_cmpstr (first->mime_type, ==, "text/plain");
  g_assert_cmpstr (first->parent, ==, "multipart/alternative");
  g_assert_cmpstr (second->mime_type, ==, "text/calendar");
  g_assert_cmpstr (second->parent, ==, "multipart/alternative");
}

static void
test_format_attachments (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) notes = g_bytes_new_static ("notes\n", 6);
  g_autoptr(GBytes) calendar = g_bytes_new_static (ics, strlen (ics));
  /* A .ics without a method is an ordinary file, not an invitation. */
  SdMailAttachment atts[] = {
    { "notes.txt", "text/plain", notes },
    { "feed.ics", "text/calendar; charset=utf-8", calendar },
  };
  SdMail mail = basic_mail ();
  mail.attachments = atts;
  mail.n_attachments = G_N_ELEMENTS (atts);

  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);
  g_assert_null (strstr (msg, "multipart/alternative"));
  g_assert_nonnull (strstr (msg, "\r\nContent-Type: text/plain; charset=utf-8;\r\n name=\"notes.txt\"\r\n"));
  g_assert_nonnull (strstr (msg, "\r\nContent-Type: text/calendar; charset=utf-8;\r\n name=\"feed.ics\"\r\n"));
  g_autoptr(GPtrArray) parts = th_mail_get_parts (msg);
  g_assert_cmpuint (parts->len, ==, 3);
  for (guint i = 0; i < parts->len; i++)
    {
      ThMailPart *part = g_ptr_array_index (parts, i);
      g_assert_cmpstr (part->parent, ==, "multipart/mixed");
      g_assert_true ((part->disposition != NULL) == (i > 0));
    }
  g_assert_true (g_bytes_equal (((ThMailPart *) g_ptr_array_index (parts, 1))->body, notes));
  g_assert_true (g_bytes_equal (((ThMailPart *) g_ptr_array_index (parts, 2))->body, calendar));

  /* n_attachments without the array, or an attachment without data, is refused. */
  mail.attachments = NULL;
  g_assert_null (sd_mailer_format (f->mailer, &mail));
  atts[0].data = NULL;
  mail.attachments = atts;
  g_assert_null (sd_mailer_format (f->mailer, &mail));
}

static void
test_format_attachment_variants (Fixture       *f,
                                 gconstpointer  data)
{
  guint8 binary[3000];
  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (guint8) (i * 7);
  g_autoptr(GBytes) attachment = g_bytes_new (binary, sizeof binary);

  /* Text only, no name, no type. */
  SdMailAttachment att = { NULL, NULL, attachment };
  SdMail mail = basic_mail ();
  mail.attachments = &att;
  mail.n_attachments = 1;
  g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (msg);
  g_assert_null (strstr (msg, "multipart/alternative"));
  g_assert_nonnull (strstr (msg, "\r\nContent-Type: application/octet-stream;\r\n name=\"attachment\"\r\n"));
  g_autoptr(GBytes) decoded = th_mail_get_part (msg, "application/octet-stream");
  g_assert_true (g_bytes_equal (decoded, attachment));
  g_autofree char *text = th_mail_get_text (msg, "text/plain");
  g_assert_true (g_str_has_prefix (text, "Hello Alice,"));

  /* A name that needs RFC 2231. */
  att.filename = "Einladung Jürgen \"2025\".ics";
  att.content_type = "text/calendar; method=\"REQUEST\"; charset=utf-8";
  g_autofree char *named = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (named);
  g_assert_nonnull (strstr (named, "\r\n filename*=utf-8''Einladung%20J%C3%BCrgen%20%222025%22.ics\r\n"));
  g_assert_nonnull (strstr (named, "\r\nContent-Type: text/calendar; method=\"REQUEST\"; charset=utf-8;\r\n name*=utf-8''"));

  /* An empty attachment is still a part. */
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  att.data = empty;
  g_autofree char *empty_msg = sd_mailer_format (f->mailer, &mail);
  assert_wire_format (empty_msg);
  g_autoptr(GBytes) empty_part = th_mail_get_part (empty_msg, "text/calendar");
  g_assert_nonnull (empty_part);
  g_assert_cmpuint (g_bytes_get_size (empty_part), ==, 0);
}

/* --- refusals ------------------------------------------------------------ */

static void
assert_refused (SdMailer     *mailer,
                const SdMail *mail)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *msg = sd_mailer_format (mailer, mail);
  g_assert_null (msg);
  g_assert_false (sd_mailer_send (mailer, mail, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION);
}

static void
test_reject_header_injection (Fixture       *f,
                              gconstpointer  data)
{
  static const char *const bad_to[] = {
    "alice@example.org\r\nBcc: eve@evil.example",
    "alice@example.org\nBcc: eve@evil.example",
    "alice@example.org\r",
    "Alice <alice@example.org>",
    "alice@example.org, eve@evil.example",
    "alice@example.org>",
    "alice",
    "@example.org",
    "alice@",
    "alice@@example.org",
    "al ice@example.org",
    "\"alice\"@example.org",
    "alice@[127.0.0.1]",
    "alice@exa_mple.org",
    "alice@-example.org",
    "alice@example-.org",
    "alice@example.org.",
    "alice@example..org",
    ".alice@example.org",
    "alice.@example.org",
    "al..ice@example.org",
    "jürgen@example.org",
    "alice(comment)@example.org",
    "",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.org",
  };
  SdMail mail;

  for (guint i = 0; i < G_N_ELEMENTS (bad_to); i++)
    {
      mail = basic_mail ();
      mail.to = bad_to[i];
      assert_refused (f->mailer, &mail);
    }
  mail = basic_mail ();
  mail.to = NULL;
  assert_refused (f->mailer, &mail);

  mail = basic_mail ();
  mail.to_name = "Alice\r\nBcc: eve@evil.example";
  assert_refused (f->mailer, &mail);
  mail.to_name = "Alice\nBcc: eve@evil.example";
  assert_refused (f->mailer, &mail);
  mail.to_name = "Alice\r";
  assert_refused (f->mailer, &mail);

  mail = basic_mail ();
  mail.subject = "Hi\r\nBcc: eve@evil.example";
  assert_refused (f->mailer, &mail);
  mail.subject = "Hi\n\n<html>";
  assert_refused (f->mailer, &mail);
  mail.subject = "Hi \xff\xfe";
  assert_refused (f->mailer, &mail);

  mail = basic_mail ();
  mail.text = "not UTF-8: \xc3\x28";
  assert_refused (f->mailer, &mail);

  g_autoptr(GBytes) attachment = g_bytes_new_static ("x", 1);
  static const char *const bad_types[] = {
    "text/calendar\r\nBcc: eve@evil.example",
    "text/calendar; method=REQUEST\r\n",
    "text/calendar; method=REQUEST\r\n\r\nbody",
    "text calendar",
    "text/",
    "/calendar",
    "text/calendar; method",
    "text/calendar; method=\"REQUEST",
    "text/calendar;; x=y",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad_types); i++)
    {
      SdMailAttachment bad = { NULL, bad_types[i], attachment };
      mail = basic_mail ();
      mail.attachments = &bad;
      mail.n_attachments = 1;
      assert_refused (f->mailer, &mail);
    }
  SdMailAttachment bad_name = { "invite.ics\r\nContent-Type: text/html", NULL, attachment };
  mail = basic_mail ();
  mail.attachments = &bad_name;
  mail.n_attachments = 1;
  assert_refused (f->mailer, &mail);
  bad_name.filename = "tab\tname.ics";
  assert_refused (f->mailer, &mail);

  /* Nothing reached the spool. */
  g_auto(GStrv) files = list_dir (f->spool);
  g_assert_cmpuint (g_strv_length (files), ==, 0);

  /* Unusual but plain addresses are fine. */
  static const char *const good_to[] = {
    "a.b+tag@sub.example-host.org",
    "o'brien@example.ie",
    "x@localhost",
    "1@2.3",
  };
  for (guint i = 0; i < G_N_ELEMENTS (good_to); i++)
    {
      mail = basic_mail ();
      mail.to = good_to[i];
      g_autofree char *msg = sd_mailer_format (f->mailer, &mail);
      g_assert_nonnull (msg);
    }
}

static void
test_reject_config (void)
{
  g_autofree char *dir = make_tmp_dir ();
  static const char *const bad_from[] = {
    "Tandem <no-reply@tandem.example>\r\nBcc: eve@evil.example",
    "Tandem\n <no-reply@tandem.example>",
    "no-reply@tandem.example\r\n",
    "no-reply@tandem.example, eve@evil.example",
    "Tandem <no-reply@tandem.example> trailing",
    "Tandem <no-reply@tandem.example",
    "Tandem <not-an-address>",
    "Tandem",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_from); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdMailer) mailer = sd_mailer_new (NULL, NULL, NULL, bad_from[i], dir, &error);
      g_assert_null (mailer);
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION);
    }

  struct {
    const char *url, *user, *pass, *from, *spool;
  } bad[] = {
    { NULL, NULL, NULL, NULL, dir },                       /* no sender */
    { NULL, NULL, NULL, FROM, NULL },                      /* nowhere to deliver */
    { NULL, NULL, NULL, FROM, "" },
    { "http://127.0.0.1:25", NULL, NULL, FROM, NULL },
    { "smtp://127.0.0.1:25/\r\nX", NULL, NULL, FROM, NULL },
    { "smtp://127.0.0.1:25", "user\r\nRSET", "x", FROM, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdMailer) mailer = sd_mailer_new (bad[i].url, bad[i].user, bad[i].pass,
                                                  bad[i].from, bad[i].spool, &error);
      g_assert_null (mailer);
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(SdMailer) smtps = sd_mailer_new ("SMTPS://mail.example:465", "u", "p", FROM, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (smtps);

  rm_rf (dir);
}

/* --- spool --------------------------------------------------------------- */

static void
test_spool_write (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  /* sd_mailer_new() created the missing directories, private. */
  g_assert_cmpint (g_stat (f->spool, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_autoptr(GBytes) attachment = g_bytes_new_static (ics, strlen (ics));
  SdMail mail = basic_mail ();
  mail.html = "<p>Hello</p>";
  SdMailAttachment att = { "invite.ics", "text/calendar; method=REQUEST", attachment };
  mail.attachments = &att;
  mail.n_attachments = 1;

  g_assert_true (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_no_error (error);

  g_auto(GStrv) files = list_dir (f->spool);
  g_assert_cmpuint (g_strv_length (files), ==, 1);
  g_assert_true (g_regex_match_simple ("^[0-9]{16}-[0-9a-f]{16}\\.eml$", files[0], 0, 0));

  g_autofree char *path = g_build_filename (f->spool, files[0], NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_autofree char *contents = NULL;
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  assert_wire_format (contents);

  g_autofree char *formatted = sd_mailer_format (f->mailer, &mail);
  g_autofree char *a = normalise (contents);
  g_autofree char *b = normalise (formatted);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, contents);  /* normalise() did replace something */

  /* A second message gets a second file, the spool directory is
   * re-created when it vanished, and the names sort by time. */
  rm_rf (f->spool);
  g_assert_true (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_no_error (error);
  g_assert_true (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_no_error (error);
  g_auto(GStrv) again = list_dir (f->spool);
  g_assert_cmpuint (g_strv_length (again), ==, 2);
  g_assert_cmpstr (again[0], !=, again[1]);
  for (guint i = 0; i < 2; i++)
    g_assert_true (g_regex_match_simple ("^[0-9]{16}-[0-9a-f]{16}\\.eml$", again[i], 0, 0));
}

static void
test_spool_error (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdMail mail = basic_mail ();

  /* The spool path is taken by a regular file. */
  rm_rf (f->spool);
  g_assert_true (g_file_set_contents (f->spool, "x", 1, NULL));
  g_assert_false (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  g_assert_null (strstr (error->message, "ABC-123"));
  g_clear_error (&error);

  g_autoptr(SdMailer) bad = sd_mailer_new (NULL, NULL, NULL, FROM, f->spool, &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
}

/* --- SMTP ---------------------------------------------------------------- */

typedef struct {
  ThSmtp   *smtp;
  char     *url;
  SdMailer *mailer;
} SmtpFixture;

static void
smtp_setup (SmtpFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  f->smtp = th_smtp_start (&error);
  g_assert_no_error (error);
  f->url = th_smtp_get_url (f->smtp);
  g_assert_true (g_str_has_prefix (f->url, "smtp://127.0.0.1:"));
  f->mailer = sd_mailer_new (f->url, NULL, NULL, FROM, NULL, &error);
  g_assert_no_error (error);
}

static void
smtp_teardown (SmtpFixture   *f,
               gconstpointer  data)
{
  sd_mailer_free (f->mailer);
  th_smtp_stop (f->smtp);
  g_free (f->url);
}

static void
test_smtp_deliver (SmtpFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdMail mail = basic_mail ();
  mail.subject = "Einladung für Jürgen";
  /* Lines that need dot-stuffing on the wire. */
  mail.text = "Hello Alice,\n.\n..\n.hidden\nyour invitation code is ABC-123.\n";

  g_assert_true (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_no_error (error);
  g_assert_true (th_smtp_wait (f->smtp, 1, 5000));
  g_assert_cmpuint (th_smtp_count (f->smtp), ==, 1);

  ThSmtpMessage *msg = th_smtp_get (f->smtp, 0);
  g_assert_nonnull (msg);
  g_assert_null (th_smtp_get (f->smtp, 1));
  g_assert_cmpstr (msg->from, ==, "no-reply@tandem.example");
  g_assert_cmpuint (g_strv_length (msg->rcpt), ==, 1);
  g_assert_cmpstr (msg->rcpt[0], ==, "alice@example.org");
  g_assert_nonnull (msg->helo);
  g_assert_null (msg->auth_user);

  assert_wire_format (msg->data);
  g_autofree char *formatted = sd_mailer_format (f->mailer, &mail);
  g_autofree char *a = normalise (msg->data);
  g_autofree char *b = normalise (formatted);
  g_assert_cmpstr (a, ==, b);

  g_autofree char *subject = th_mail_get_header (msg->data, "Subject");
  g_assert_cmpstr (subject, ==, mail.subject);
  g_autofree char *text = th_mail_get_text (msg->data, "text/plain");
  g_assert_cmpstr (text, ==, mail.text);
}

static void
test_smtp_multipart (SmtpFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) attachment = g_bytes_new_static (ics, strlen (ics));
  SdMail mail = basic_mail ();
  mail.to = "bob@example.net";
  mail.to_name = NULL;
  mail.html = "<p>Invitation</p>";
  SdMailAttachment att = { "invite.ics", "text/calendar; method=REQUEST", attachment };
  mail.attachments = &att;
  mail.n_attachments = 1;

  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (sd_mailer_send (f->mailer, &mail, &error));
      g_assert_no_error (error);
    }
  g_assert_true (th_smtp_wait (f->smtp, 3, 5000));
  g_assert_cmpuint (th_smtp_sessions (f->smtp), ==, 3);

  ThSmtpMessage *msg = th_smtp_get (f->smtp, 2);
  g_assert_cmpstr (msg->rcpt[0], ==, "bob@example.net");
  g_autoptr(GBytes) decoded = th_mail_get_part (msg->data, "text/calendar");
  g_assert_true (g_bytes_equal (decoded, attachment));
  g_autofree char *html = th_mail_get_text (msg->data, "text/html");
  g_assert_cmpstr (html, ==, mail.html);
}

static void
test_smtp_temporary_failure (SmtpFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdMail mail = basic_mail ();

  th_smtp_fail_next (f->smtp, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (sd_mailer_send (f->mailer, &mail, &error));
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "451"));
      g_assert_null (strstr (error->message, "ABC-123"));
      g_clear_error (&error);
    }
  g_assert_cmpuint (th_smtp_count (f->smtp), ==, 0);

  /* The retry goes through. */
  g_assert_true (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (th_smtp_count (f->smtp), ==, 1);
  g_assert_cmpuint (th_smtp_sessions (f->smtp), ==, 3);
}

static void
test_smtp_auth (SmtpFixture   *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdMail mail = basic_mail ();

  th_smtp_set_auth (f->smtp, "mailer", "s3cret-pass");

  /* No credentials: the server wants AUTH before MAIL. */
  g_assert_false (sd_mailer_send (f->mailer, &mail, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* Wrong password: refused, and the password is not in the error. */
  g_autoptr(SdMailer) wrong = sd_mailer_new (f->url, "mailer", "wrong-pass-4711", FROM, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sd_mailer_send (wrong, &mail, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, "wrong-pass-4711"));
  g_assert_null (strstr (error->message, "mailer"));
  g_clear_error (&error);

  g_autoptr(SdMailer) right = sd_mailer_new (f->url, "mailer", "s3cret-pass", FROM, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_mailer_send (right, &mail, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (th_smtp_count (f->smtp), ==, 1);
  g_assert_cmpstr (th_smtp_get (f->smtp, 0)->auth_user, ==, "mailer");
}

static void
test_smtp_connection_refused (void)
{
  g_autoptr(GError) error = NULL;
  ThSmtp *smtp = th_smtp_start (&error);
  g_assert_no_error (error);
  g_autofree char *url = th_smtp_get_url (smtp);
  th_smtp_stop (smtp);  /* nothing listens there any more */

  g_autoptr(SdMailer) mailer = sd_mailer_new (url, "user", "hunter2-secret", FROM, NULL, &error);
  g_assert_no_error (error);
  SdMail mail = basic_mail ();
  gint64 start = g_get_monotonic_time ();
  g_assert_false (sd_mailer_send (mailer, &mail, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, "hunter2-secret"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_TIME_SPAN_SECOND);
}

typedef struct {
  SdMailer *mailer;
  guint     index;
} SenderArgs;

static gpointer
sender_thread (gpointer data)
{
  SenderArgs *args = data;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *to = g_strdup_printf ("user%u.%u@example.org", args->index, i);
      SdMail mail = basic_mail ();
      mail.to = to;
      if (!sd_mailer_send (args->mailer, &mail, &error))
        return g_strdup (error->message);
    }
  return NULL;
}

static void
test_smtp_threads (SmtpFixture   *f,
                   gconstpointer  data)
{
  SenderArgs args[4];
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      args[i] = (SenderArgs) { f->mailer, i };
      threads[i] = g_thread_new ("sender", sender_thread, &args[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *failure = g_thread_join (threads[i]);
      g_assert_null (failure);
    }
  g_assert_true (th_smtp_wait (f->smtp, 12, 5000));

  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < 12; i++)
    g_hash_table_add (seen, g_strdup (th_smtp_get (f->smtp, i)->rcpt[0]));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 12);
}

static void
test_smtp_server_wait_timeout (SmtpFixture   *f,
                               gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  g_assert_false (th_smtp_wait (f->smtp, 1, 100));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 90 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (th_smtp_wait (f->smtp, 0, 0));
}

/* --- logging ------------------------------------------------------------- */

static void
test_logs_no_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(ThSmtp) smtp = th_smtp_start (&error);
  g_assert_no_error (error);
  g_autofree char *url = th_smtp_get_url (smtp);

  g_autoptr(SdMailer) spool = sd_mailer_new (NULL, NULL, NULL, FROM, dir, &error);
  g_assert_no_error (error);
  g_autoptr(SdMailer) smtp_mailer = sd_mailer_new (url, "mailer", "pw-XYZZY", FROM, NULL, &error);
  g_assert_no_error (error);

  SdMail mail = basic_mail ();
  mail.text = "Your code: SECRET-CODE-93847\n";
  mail.html = "<p>SECRET-CODE-93847</p>";

  g_assert_true (sd_mailer_send (spool, &mail, &error));
  g_assert_no_error (error);
  g_assert_true (sd_mailer_send (smtp_mailer, &mail, &error));
  g_assert_no_error (error);
  mail.to = "bad address@example.org";
  g_assert_false (sd_mailer_send (spool, &mail, &error));
  g_assert_null (sd_mailer_format (spool, &mail));

  g_autofree char *logs = captured_logs ();
  g_assert_nonnull (strstr (logs, "spooled a message"));  /* the capture works */
  g_assert_null (strstr (logs, "SECRET-CODE"));
  g_assert_null (strstr (logs, "XYZZY"));
  rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* Every message, debug ones included, passes the capture; the default
   * writer then prints what G_MESSAGES_DEBUG asks for. */
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Mailer/format/ascii", Fixture, NULL, fixture_setup, test_format_ascii, fixture_teardown);
  g_test_add ("/Mailer/format/quoted-printable", Fixture, NULL, fixture_setup, test_format_quoted_printable, fixture_teardown);
  g_test_add ("/Mailer/format/line-ends", Fixture, NULL, fixture_setup, test_format_line_ends, fixture_teardown);
  g_test_add ("/Mailer/format/subject-utf8", Fixture, NULL, fixture_setup, test_format_subject_utf8, fixture_teardown);
  g_test_add ("/Mailer/format/subject-folding", Fixture, NULL, fixture_setup, test_format_subject_folding, fixture_teardown);
  g_test_add_func ("/Mailer/format/display-names", test_format_display_names);
  g_test_add ("/Mailer/format/html", Fixture, NULL, fixture_setup, test_format_html, fixture_teardown);
  g_test_add ("/Mailer/format/attachment", Fixture, NULL, fixture_setup, test_format_attachment, fixture_teardown);
  g_test_add ("/Mailer/format/attachments", Fixture, NULL, fixture_setup, test_format_attachments, fixture_teardown);
  g_test_add ("/Mailer/format/attachment-variants", Fixture, NULL, fixture_setup, test_format_attachment_variants, fixture_teardown);
  g_test_add ("/Mailer/reject/header-injection", Fixture, NULL, fixture_setup, test_reject_header_injection, fixture_teardown);
  g_test_add_func ("/Mailer/reject/config", test_reject_config);
  g_test_add ("/Mailer/spool/write", Fixture, NULL, fixture_setup, test_spool_write, fixture_teardown);
  g_test_add ("/Mailer/spool/error", Fixture, NULL, fixture_setup, test_spool_error, fixture_teardown);
  g_test_add ("/Mailer/smtp/deliver", SmtpFixture, NULL, smtp_setup, test_smtp_deliver, smtp_teardown);
  g_test_add ("/Mailer/smtp/multipart", SmtpFixture, NULL, smtp_setup, test_smtp_multipart, smtp_teardown);
  g_test_add ("/Mailer/smtp/temporary-failure", SmtpFixture, NULL, smtp_setup, test_smtp_temporary_failure, smtp_teardown);
  g_test_add ("/Mailer/smtp/auth", SmtpFixture, NULL, smtp_setup, test_smtp_auth, smtp_teardown);
  g_test_add_func ("/Mailer/smtp/connection-refused", test_smtp_connection_refused);
  g_test_add ("/Mailer/smtp/threads", SmtpFixture, NULL, smtp_setup, test_smtp_threads, smtp_teardown);
  g_test_add ("/Mailer/smtp/wait-timeout", SmtpFixture, NULL, smtp_setup, test_smtp_server_wait_timeout, smtp_teardown);
  g_test_add_func ("/Mailer/logs/no-body", test_logs_no_body);

  return g_test_run ();
}
