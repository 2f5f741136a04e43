/* test-token.c — bearer tokens, their hashes and random codes. */
#include "auth/sd-token.h"

#include <string.h>

#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define TOKEN_BODY_LEN 43   /* 32 bytes in unpadded base64 */

static gboolean
is_base64url (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '-' && *s != '_')
      return FALSE;
  return TRUE;
}

static void
test_init (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_crypto_init (&error));
  g_assert_no_error (error);
  /* Idempotent. */
  g_assert_true (sd_crypto_init (NULL));
}

static void
test_prefix_length (void)
{
  g_autofree char *session = sd_token_new (SD_TOKEN_PREFIX_SESSION);
  g_autofree char *api = sd_token_new (SD_TOKEN_PREFIX_API);
  g_autofree char *bare = sd_token_new (NULL);

  g_assert_true (g_str_has_prefix (session, "tds_"));
  g_assert_true (g_str_has_prefix (api, "tdk_"));
  g_assert_cmpuint (strlen (session), ==, 4 + TOKEN_BODY_LEN);
  g_assert_cmpuint (strlen (api), ==, 4 + TOKEN_BODY_LEN);
  g_assert_cmpuint (strlen (bare), ==, TOKEN_BODY_LEN);

  g_assert_true (is_base64url (session + 4));
  g_assert_true (is_base64url (api + 4));
  g_assert_true (is_base64url (bare));
  g_assert_null (strchr (session, '='));
}

static void
test_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                      g_free, NULL);

  for (guint i = 0; i < 10000; i++)
    {
      char *token = sd_token_new (SD_TOKEN_PREFIX_SESSION);
      g_assert_cmpuint (strlen (token), ==, 4 + TOKEN_BODY_LEN);
      g_assert_true (g_hash_table_add (seen, token));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 10000);
}

static void
test_hash (void)
{
  g_autofree char *token = sd_token_new (SD_TOKEN_PREFIX_API);
  g_autofree char *h1 = sd_token_hash (token);
  g_autofree char *h2 = sd_token_hash (token);
  g_autofree char *other = sd_token_hash ("tdk_something-else");
  g_autofree char *abc = sd_token_hash ("abc");
  g_autofree char *empty = sd_token_hash ("");

  g_assert_cmpuint (strlen (h1), ==, 64);
  for (const char *p = h1; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
  g_assert_cmpstr (h1, ==, h2);
  g_assert_cmpstr (h1, !=, other);
  g_assert_null (strstr (h1, token + 4));

  /* FIPS 180-2 test vectors. */
  g_assert_cmpstr (abc, ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (empty, ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_equal (void)
{
  g_autofree char *a = sd_token_new (SD_TOKEN_PREFIX_SESSION);
  g_autofree char *b = g_strdup (a);
  g_autofree char *c = g_strdup (a);
  g_autofree char *shorter = g_strndup (a, strlen (a) - 1);
  g_autofree char *longer = g_strconcat (a, "x", NULL);

  c[strlen (c) - 1] = c[strlen (c) - 1] == 'A' ? 'B' : 'A';

  g_assert_true (sd_token_equal (a, b));
  g_assert_false (sd_token_equal (a, c));
  g_assert_false (sd_token_equal (a, shorter));
  g_assert_false (sd_token_equal (shorter, a));
  g_assert_false (sd_token_equal (a, longer));
  g_assert_true (sd_token_equal ("", ""));
  g_assert_false (sd_token_equal (a, NULL));
  g_assert_false (sd_token_equal (NULL, a));
  g_assert_false (sd_token_equal (NULL, NULL));
}

static void
test_code_alphabet (void)
{
  g_autofree char *empty = sd_token_code (0);

  g_assert_cmpstr (empty, ==, "");

  for (guint length = 1; length <= 64; length++)
    {
      g_autofree char *code = sd_token_code (length);

      g_assert_cmpuint (strlen (code), ==, length);
      for (const char *p = code; *p != '\0'; p++)
        g_assert_nonnull (strchr (CODE_ALPHABET, *p));
    }
}

/* Pearson's chi-square over 100 000 characters.  With 31 symbols there are
 * 30 degrees of freedom: the statistic averages 30 with a standard
 * deviation near 7.75, and exceeds 120 with probability below 1e-12, so the
 * bound never fails by chance.  A plain "byte % 31" (first 8 symbols
 * 12.5% likelier) scores about 280 here and would be caught. */
static void
test_code_distribution (void)
{
  const guint n_codes = 10000, code_len = 10;
  const guint n_symbols = sizeof CODE_ALPHABET - 1;
  const double expected = (double) (n_codes * code_len) / n_symbols;
  guint counts[sizeof CODE_ALPHABET - 1] = { 0 };
  double chi2 = 0.0;

  for (guint i = 0; i < n_codes; i++)
    {
      g_autofree char *code = sd_token_code (code_len);

      for (guint j = 0; j < code_len; j++)
        {
          const char *pos = strchr (CODE_ALPHABET, code[j]);
          g_assert_nonnull (pos);
          counts[pos - CODE_ALPHABET]++;
        }
    }

  for (guint k = 0; k < n_symbols; k++)
    {
      double d = counts[k] - expected;
      g_assert_cmpuint (counts[k], >, 0);
      chi2 += d * d / expected;
    }

  g_test_message ("chi-square over %u characters: %.2f (30 d.o.f.)",
                  n_codes * code_len, chi2);
  g_assert_cmpfloat (chi2, <, 120.0);
}

static void
test_random_bytes (void)
{
  guint8 a[32] = { 0 };
  guint8 b[32] = { 0 };
  guint8 zero[32] = { 0 };

  sd_token_random_bytes (a, sizeof a);
  sd_token_random_bytes (b, sizeof b);
  sd_token_random_bytes (NULL, 0);

  g_assert_true (memcmp (a, zero, sizeof a) != 0);
  g_assert_true (memcmp (a, b, sizeof a) != 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Auth/token/init", test_init);
  g_test_add_func ("/Auth/token/prefix-length", test_prefix_length);
  g_test_add_func ("/Auth/token/unique", test_unique);
  g_test_add_func ("/Auth/token/hash", test_hash);
  g_test_add_func ("/Auth/token/equal", test_equal);
  g_test_add_func ("/Auth/token/code-alphabet", test_code_alphabet);
  g_test_add_func ("/Auth/token/code-distribution", test_code_distribution);
  g_test_add_func ("/Auth/token/random-bytes", test_random_bytes);

  return g_test_run ();
}
