/* test-password.c — password policy and Argon2id hashing. */
#include "auth/sd-password.h"
#include "auth/sd-token.h"
#include "tandem-error.h"

#include <gio/gio.h>
#include <string.h>

/* From the GResource bundle compiled with --manual-register. */
void sd_register_resource (void);

/* Build a string of @n_chars characters cycling through @pieces (each one
 * UTF-8 character). */
static char *
cycle_chars (const char * const *pieces,
             guint               n_chars)
{
  GString *s = g_string_new (NULL);
  guint n_pieces = g_strv_length ((char **) pieces);

  for (guint i = 0; i < n_chars; i++)
    g_string_append (s, pieces[i % n_pieces]);
  return g_string_free (s, FALSE);
}

static void
test_hash_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = sd_password_hash ("correct-Horse-7-battery", &error);

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  g_assert_true (sd_password_verify (hash, "correct-Horse-7-battery"));
}

static void
test_wrong_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = sd_password_hash ("correct-Horse-7-battery", &error);

  g_assert_no_error (error);
  g_assert_false (sd_password_verify (hash, "correct-horse-7-battery"));
  g_assert_false (sd_password_verify (hash, "correct-Horse-7-batter"));
  g_assert_false (sd_password_verify (hash, ""));
}

static void
test_phc_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = sd_password_hash ("same password twice", &error);
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (a, "$argon2id$v=19$m=19456,t=2,p=1$"));

  /* Random salt: the same password hashes differently each time. */
  b = sd_password_hash ("same password twice", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, !=, b);
  g_assert_true (sd_password_verify (b, "same password twice"));
}

static void
test_malformed_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = sd_password_hash ("malformed-hash-test", &error);
  g_autofree char *truncated = NULL;
  g_autofree char *huge_m = NULL;
  g_autofree char *argon2i = NULL;
  g_autofree char *long_hash = NULL;
  const char *bad[] = {
    "",
    "not a hash",
    "$argon2id$",
    "$argon2id$v=19$m=19456,t=2,p=1$",
    "$argon2id$v=19$m=19456,t=2,p=1$$$",
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
    "$argon2id$v=19$m=abc,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
    "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
    "$2b$12$abcdefghijklmnopqrstuuO3bCO9bXlXl9sZl5n3GsJ3eUd4Lk1bK",
  };

  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (sd_password_verify (bad[i], "malformed-hash-test"));
  g_assert_false (sd_password_verify (NULL, "malformed-hash-test"));
  g_assert_false (sd_password_verify (good, NULL));

  truncated = g_strndup (good, strlen (good) - 5);
  g_assert_false (sd_password_verify (truncated, "malformed-hash-test"));

  /* Absurd cost parameters are refused before anything is allocated. */
  huge_m = g_strdup (good);
  {
    char *m = strstr (huge_m, "m=19456");
    g_assert_nonnull (m);
    g_autofree char *tmp = g_strdup_printf ("%.*sm=4294967295%s",
                                            (int) (m - huge_m), huge_m,
                                            m + strlen ("m=19456"));
    g_assert_false (sd_password_verify (tmp, "malformed-hash-test"));
  }

  /* Another algorithm's name on our hash does not verify. */
  argon2i = g_strdup (good);
  memmove (argon2i + strlen ("$argon2i"), argon2i + strlen ("$argon2id"),
           strlen (argon2i) - strlen ("$argon2id") + 1);
  g_assert_false (sd_password_verify (argon2i, "malformed-hash-test"));

  /* A very long string is refused without parsing. */
  long_hash = g_strnfill (100000, 'a');
  memcpy (long_hash, "$argon2id$", strlen ("$argon2id$"));
  g_assert_false (sd_password_verify (long_hash, "malformed-hash-test"));

  g_assert_true (sd_password_verify (good, "malformed-hash-test"));
}

static void
assert_policy_refuses (const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sd_password_check_policy (password, &error));
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD);
  g_assert_nonnull (error->message);
  /* A sentence for the user, never the password itself (words like
   * "password" may of course appear in the sentence). */
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_assert_true (g_str_has_suffix (error->message, "."));
  if (password != NULL && strlen (password) >= 8 && strpbrk (password, "0123456789#") != NULL)
    g_assert_null (strstr (error->message, password));
}

static void
assert_policy_accepts (const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_password_check_policy (password, &error));
  g_assert_no_error (error);
}

static void
test_length_boundaries (void)
{
  const char *ascii[] = { "k", "Q", "7", "#", "v", "m", "2", "p", "x", NULL };
  g_autofree char *p7 = cycle_chars (ascii, 7);
  g_autofree char *p8 = cycle_chars (ascii, 8);
  g_autofree char *p128 = cycle_chars (ascii, 128);
  g_autofree char *p129 = cycle_chars (ascii, 129);
  g_autofree char *huge = cycle_chars (ascii, 5000);

  assert_policy_refuses (NULL);
  assert_policy_refuses ("");
  assert_policy_refuses (p7);
  assert_policy_accepts (p8);
  assert_policy_accepts (p128);
  assert_policy_refuses (p129);
  assert_policy_refuses (huge);
}

static void
test_length_counts_characters (void)
{
  /* 2-, 3- and 4-byte characters: 8 of them are far more than 8 bytes, and
   * 7 of them are still too short. */
  const char *wide[] = { "ü", "€", "😀", "ß", "漢", "ж", "🎻", NULL };
  g_autofree char *w7 = cycle_chars (wide, 7);
  g_autofree char *w8 = cycle_chars (wide, 8);
  g_autofree char *w128 = cycle_chars (wide, 128);
  g_autofree char *w129 = cycle_chars (wide, 129);

  g_assert_cmpuint (strlen (w7), >, 8);
  assert_policy_refuses (w7);
  assert_policy_accepts (w8);
  g_assert_cmpuint (strlen (w128), >, 128);
  assert_policy_accepts (w128);
  assert_policy_refuses (w129);
}

static void
test_multibyte_whole (void)
{
  const char *wide[] = { "ü", "€", "😀", "ß", "漢", "ж", "🎻", "é", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *password = cycle_chars (wide, 64);
  g_autofree char *hash = NULL;
  g_autofree char *altered = NULL;
  char *last;

  g_assert_cmpint (g_utf8_strlen (password, -1), ==, 64);
  g_assert_cmpuint (strlen (password), >, 128);
  assert_policy_accepts (password);

  hash = sd_password_hash (password, &error);
  g_assert_no_error (error);
  g_assert_true (sd_password_verify (hash, password));

  /* Change only the last character (é → è): if anything were truncated
   * this would still verify. */
  altered = g_strdup (password);
  last = g_utf8_prev_char (altered + strlen (altered));
  g_assert_cmpstr (last, ==, "é");
  memcpy (last, "è", strlen ("è"));
  g_assert_cmpstr (altered, !=, password);
  g_assert_false (sd_password_verify (hash, altered));
}

static void
test_too_long_for_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (SD_PASSWORD_MAX_BYTES + 1, 'x');
  g_autofree char *max = g_strnfill (SD_PASSWORD_MAX_BYTES, 'x');
  g_autofree char *hash = NULL;
  g_autofree char *hash_max = NULL;

  hash = sd_password_hash (huge, &error);
  g_assert_null (hash);
  g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);

  hash_max = sd_password_hash (max, &error);
  g_assert_no_error (error);
  g_assert_true (sd_password_verify (hash_max, max));
  g_assert_false (sd_password_verify (hash_max, huge));
}

static void
test_common (void)
{
  const char *common[] = {
    "password", "PASSWORD", "Password1", "12345678", "QwErTyUiOp",
    "iloveyou", "football", "BaseBall", "sunshine1", "trustno1",
    "letmein1", "1q2w3e4r", "p@ssw0rd",
    /* Patterns not (necessarily) on the list. */
    "123456789", "1234567890", "0987654321", "98765432", "abcdefgh",
    "ABCDEFGHIJ", "zyxwvuts", "aaaaaaaa", "ZZZZZZZZZZZZ", "€€€€€€€€",
  };
  const char *fine[] = {
    "kQ7#vm2px", "Tandem-coaches-Otters", "abcdefgz", "12345679",
    "aaaaaaab", "violin wombat ledger",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    {
      g_test_message ("common: %s", common[i]);
      g_assert_true (sd_password_is_common (common[i]));
      assert_policy_refuses (common[i]);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_test_message ("fine: %s", fine[i]);
      g_assert_false (sd_password_is_common (fine[i]));
      assert_policy_accepts (fine[i]);
    }
}

static gpointer
is_common_thread (G_GNUC_UNUSED gpointer data)
{
  return GINT_TO_POINTER (sd_password_is_common ("Football1"));
}

static void
test_common_threads (void)
{
  /* The list is loaded once even when first used from several threads. */
  GThread *threads[8];

  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("common", is_common_thread, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

static void
test_common_list_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes =
    g_resources_lookup_data ("/io/github/tandem/signald/auth/common-passwords.txt",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_no_error (error);
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = NULL;

      if (lines[i][0] == '\0')
        continue;
      n++;
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      lower = g_utf8_strdown (lines[i], -1);
      g_assert_cmpstr (lines[i], ==, lower);
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), >=, SD_PASSWORD_MIN_CHARS);
      g_assert_true (sd_password_is_common (lines[i]));
    }
  g_assert_cmpuint (n, >=, 500);
}

static void
test_invalid_utf8 (void)
{
  assert_policy_refuses ("abc\xff\xfe" "defgh");
  assert_policy_refuses ("password\xc3");          /* truncated sequence */
  assert_policy_refuses ("\xc0\xaf" "longenough1");  /* overlong '/' */
  assert_policy_refuses ("\xed\xa0\x80" "surrogate9"); /* UTF-16 surrogate */
  g_assert_false (sd_password_is_common ("abc\xff\xfe" "defgh"));
}

static void
test_dummy_hash (void)
{
  const char *a = sd_password_dummy_hash ();
  const char *b = sd_password_dummy_hash ();

  g_assert_nonnull (a);
  g_assert_true (a == b);
  g_assert_true (g_str_has_prefix (a, "$argon2id$v=19$m=19456,t=2,p=1$"));
  g_assert_false (sd_password_verify (a, "password"));
  g_assert_false (sd_password_verify (a, ""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_register_resource ();
  g_assert_true (sd_crypto_init (NULL));

  /* First, so that the list's first load races between threads. */
  g_test_add_func ("/Auth/password/common-threads", test_common_threads);
  g_test_add_func ("/Auth/password/hash-verify", test_hash_verify);
  g_test_add_func ("/Auth/password/wrong-password", test_wrong_password);
  g_test_add_func ("/Auth/password/phc-format", test_phc_format);
  g_test_add_func ("/Auth/password/malformed-hash", test_malformed_hash);
  g_test_add_func ("/Auth/password/length-boundaries", test_length_boundaries);
  g_test_add_func ("/Auth/password/length-counts-characters", test_length_counts_characters);
  g_test_add_func ("/Auth/password/multibyte-whole", test_multibyte_whole);
  g_test_add_func ("/Auth/password/too-long-for-hash", test_too_long_for_hash);
  g_test_add_func ("/Auth/password/common", test_common);
  g_test_add_func ("/Auth/password/common-list", test_common_list_size);
  g_test_add_func ("/Auth/password/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/Auth/password/dummy-hash", test_dummy_hash);

  return g_test_run ();
}
