/* tc-keyring.c — session tokens in the secret service through libsecret. */
#define G_LOG_DOMAIN "tc-keyring"

#include "tc-keyring.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

static const SecretSchema *
session_schema (void)
{
  static const SecretSchema schema = {
    "io.github.tandem.Session", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  return &schema;
}

gboolean
tc_keyring_disabled (void)
{
  const char *value = g_getenv ("TANDEM_NO_KEYRING");
  return value != NULL && *value != '\0' && g_strcmp0 (value, "0") != 0;
}

char *
tc_keyring_lookup (const char  *server,
                   GError     **error)
{
  g_return_val_if_fail (server != NULL, NULL);

  char *found = secret_password_lookup_sync (session_schema (), NULL, error,
                                             "server", server, NULL);
  if (found == NULL)
    return NULL;
  /* Hand out GLib memory; libsecret's copy is wiped by secret_password_free. */
  char *token = g_strdup (found);
  secret_password_free (found);
  return token;
}

gboolean
tc_keyring_store (const char  *server,
                  const char  *token,
                  GError     **error)
{
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  /* Remove the old secret first: replacing an item in place trips
   * gnome-keyring 42 ("asked to register item …, but it's already
   * registered") and the store fails. */
  if (!tc_keyring_clear (server, error))
    return FALSE;

  g_autofree char *label = g_strdup_printf (_("Tandem session on %s"), server);
  return secret_password_store_sync (session_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                     NULL, error, "server", server, NULL);
}

gboolean
tc_keyring_clear (const char  *server,
                  GError     **error)
{
  g_return_val_if_fail (server != NULL, FALSE);

  g_autoptr(GError) local_error = NULL;
  if (!secret_password_clear_sync (session_schema (), NULL, &local_error, "server", server, NULL) &&
      local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
