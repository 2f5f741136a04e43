/* test-log.c — the buffered request log (signald/sd-log.c). */
#include "sd-log.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *
read_all (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  for (gssize n; (n = read (fd, buf, sizeof buf)) > 0;)
    g_string_append_len (s, buf, n);
  return g_string_free (s, FALSE);
}

/* Hostile paths still give one valid JSON object per line. */
static void
test_lines (void)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("test-log-XXXXXX", &path, NULL);
  g_assert_cmpint (fd, >=, 0);

  g_autoptr(SdLog) log = sd_log_new (fd, NULL);   /* no context: write through */
  const char *paths[] = { "/version", "/a\"b\\c", "/x\n{\"y\":1}", "/bad\xff\xfe", "/t\x7f" };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      SdLogRequest e = { "GET", paths[i], 200 + i, 1234567, i % 2 ? "u-1" : NULL, "127.0.0.1", i };
      sd_log_request (log, &e);
    }

  g_autofree char *all = read_all (fd);
  g_auto(GStrv) lines = g_strsplit (all, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (paths) + 1);
  g_assert_cmpstr (lines[G_N_ELEMENTS (paths)], ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_assert_true (json_parser_load_from_data (p, lines[i], -1, &error));
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (p));
      g_assert_cmpstr (json_object_get_string_member (o, "msg"), ==, "request");
      g_assert_cmpint (json_object_get_int_member (o, "status"), ==, 200 + i);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "duration_ms"), 1234.567, 1e-9);
      g_assert_cmpint (json_object_get_int_member (o, "worker"), ==, i);
      if (i % 2)
        g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, "u-1");
      else
        g_assert_true (json_object_get_null_member (o, "user_id"));
      const char *logged = json_object_get_string_member (o, "path");
      g_assert_true (g_utf8_validate (logged, -1, NULL));
      if (g_utf8_validate (paths[i], -1, NULL))
        g_assert_cmpstr (logged, ==, paths[i]);
    }
  close (fd);
  g_unlink (path);
}

/* With a main context, lines wait in the buffer until the flush timer or
 * the size threshold; nothing is lost on free. */
static void
test_buffering (void)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("test-log-XXXXXX", &path, NULL);
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  SdLog *log = sd_log_new (fd, ctx);
  SdLogRequest e = { "GET", "/version", 200, 5, NULL, "::1", 0 };

  sd_log_request (log, &e);
  g_autofree char *before = read_all (fd);
  g_assert_cmpstr (before, ==, "");

  /* The timer flushes within a second. */
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  g_autofree char *after = NULL;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (ctx, FALSE);
      g_free (after);
      after = read_all (fd);
      if (*after != '\0')
        break;
      g_usleep (10000);
    }
  g_assert_nonnull (strstr (after, "\"path\":\"/version\""));

  /* Many lines: flushed by size without the timer. */
  for (int i = 0; i < 1000; i++)
    sd_log_request (log, &e);
  g_autofree char *many = read_all (fd);
  gsize n_lines = 0;
  for (const char *p = many; *p; p++)
    n_lines += *p == '\n';
  g_assert_cmpuint (n_lines, >, 1);
  g_assert_cmpuint (n_lines, <, 1001);
  g_assert_true (g_str_has_suffix (many, "}\n"));

  sd_log_free (log);
  g_autofree char *final = read_all (fd);
  n_lines = 0;
  for (const char *p = final; *p; p++)
    n_lines += *p == '\n';
  g_assert_cmpuint (n_lines, ==, 1001);
  close (fd);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Log/lines", test_lines);
  g_test_add_func ("/Log/buffering", test_buffering);
  return g_test_run ();
}
