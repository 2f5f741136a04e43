/* tc-cli-output.c — what `tandem-cli` prints: JSON documents, aligned
 * fields and tables for people, and errors with their exit status.
 *
 * Text that came from the server is shown with control characters
 * replaced, so a name cannot move the cursor or recolour the terminal. */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli.h"

#include <string.h>

/* ---- text ---- */

/* @text with control characters (C0, DEL, C1) replaced by U+FFFD, and
 * invalid UTF-8 repaired. */
char *
tc_cli_printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Terminal columns taken by valid UTF-8 @text. */
static gsize
display_width (const char *text)
{
  gsize width = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_iszerowidth (c))
        width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

static void
print_padded (GString    *line,
              const char *text,
              gsize       width)
{
  g_string_append (line, text);
  for (gsize w = display_width (text); w < width; w++)
    g_string_append_c (line, ' ');
}

/* ---- JSON ---- */

void
tc_cli_print_json (TcCli    *cli,
                   JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  g_autofree char *text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
tc_cli_print_object (TcCli      *cli,
                     JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  tc_cli_print_json (cli, node);
}

gboolean
tc_cli_print_deleted (TcCli      *cli,
                      const char *id)
{
  if (!cli->json)
    return FALSE;
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "id", id);
  json_object_set_boolean_member (o, "deleted", TRUE);
  tc_cli_print_object (cli, o);
  return TRUE;
}

const char *
tc_cli_str (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
tc_cli_obj (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
tc_cli_member_obj (JsonObject *object,
                   const char *name)
{
  return object != NULL ? tc_cli_obj (json_object_get_member (object, name)) : NULL;
}

const char *
tc_cli_role_text (const char *role)
{
  if (g_strcmp0 (role, "student") == 0)
    return C_("role", "student");
  if (g_strcmp0 (role, "expert") == 0)
    return C_("role", "expert");
  if (g_strcmp0 (role, "admin") == 0)
    return C_("role", "admin");
  return role;
}

char *
tc_cli_format_time (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (text, NULL);
  if (utc == NULL)
    return g_strdup (text);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* ---- errors ---- */

/* What to tell a person about @error: our own sentence for the errors
 * whose remedy is on this side, the server's message otherwise. */
static char *
human_message (TcCli        *cli,
               const GError *error)
{
  if (error->domain == TANDEM_ERROR)
    switch (error->code)
      {
      case TANDEM_ERROR_INVALID_CREDENTIALS:
        return g_strdup (_("the e-mail address or the password is wrong"));
      case TANDEM_ERROR_UNAUTHORIZED:
        if (cli->session != NULL && tc_session_has_token (cli->session))
          return g_strdup_printf (_("the session is no longer valid; sign in again with “%s login”"),
                                  g_get_prgname ());
        return g_strdup_printf (_("you are not signed in; sign in with “%s login”"), g_get_prgname ());
      default:
        break;
      }
  return tc_cli_printable (error->message);
}

int
tc_cli_fail (TcCli        *cli,
             const GError *error)
{
  const char *code = "failed";
  int status = TC_CLI_EXIT_REFUSED;
  g_autofree char *message = human_message (cli, error);

  if (error->domain == G_OPTION_ERROR)
    {
      code = "usage";
      status = TC_CLI_EXIT_USAGE;
    }
  else if (error->domain == TANDEM_ERROR)
    {
      code = tandem_error_code_name (error->code);
      status = error->code == TANDEM_ERROR_NETWORK ? TC_CLI_EXIT_NETWORK : TC_CLI_EXIT_REFUSED;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      code = "interrupted";
      status = TC_CLI_EXIT_INTERRUPTED;
    }

  g_printerr ("%s: %s\n", g_get_prgname (), message);
  if (cli->json)
    {
      JsonObject *inner = json_object_new ();
      json_object_set_string_member (inner, "code", code);
      json_object_set_string_member (inner, "message", message);
      JsonObject *outer = json_object_new ();
      json_object_set_object_member (outer, "error", inner);
      tc_cli_print_object (cli, outer);
    }
  return status;
}

/* ---- fields ---- */

void
tc_cli_print_fields (const char * const *pairs)
{
  gsize width = 0;

  for (guint i = 0; pairs[i] != NULL; i += 2)
    if (pairs[i + 1] != NULL)
      width = MAX (width, display_width (pairs[i]) + 1);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      if (pairs[i + 1] == NULL)
        continue;
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *label = g_strconcat (pairs[i], ":", NULL);
      g_autofree char *value = tc_cli_printable (pairs[i + 1]);
      print_padded (line, label, width + 2);
      g_string_append (line, value);
      g_print ("%s\n", line->str);
    }
}

/* ---- tables ---- */

struct _TcCliTable
{
  guint n_columns;
  GPtrArray *rows;  /* of GStrv; the first is the header */
};

static void
add_row (TcCliTable *table,
         va_list     args)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    row[i] = tc_cli_printable (va_arg (args, const char *));
  g_ptr_array_add (table->rows, row);
}

TcCliTable *
tc_cli_table_new (guint n_columns,
                  ...)
{
  TcCliTable *table = g_new0 (TcCliTable, 1);
  va_list args;

  table->n_columns = n_columns;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  va_start (args, n_columns);
  add_row (table, args);
  va_end (args);
  return table;
}

void
tc_cli_table_add (TcCliTable *table,
                  ...)
{
  va_list args;
  va_start (args, table);
  add_row (table, args);
  va_end (args);
}

void
tc_cli_table_print (TcCliTable *table)
{
  g_autofree gsize *widths = g_new0 (gsize, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);
      for (guint c = 0; c < table->n_columns; c++)
        {
          if (c + 1 < table->n_columns)
            print_padded (line, row[c], widths[c] + 2);
          else
            g_string_append (line, row[c]);
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

void
tc_cli_table_free (TcCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table);
}
