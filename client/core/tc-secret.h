/* tc-secret.h — strings that hold a secret (tokens, passwords): wiped
 * before their memory is freed.  Declare them as g_auto(TcSecret). */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef char *TcSecret;

/* Overwrites @secret with zeros and frees it; NULL is fine. */
static inline void
tc_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (TcSecret, tc_secret_free, NULL)

G_END_DECLS
