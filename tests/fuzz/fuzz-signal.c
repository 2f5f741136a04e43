/* fuzz-signal.c — libFuzzer target for the call signaling messages
 * (shared/tandem-signal.h), which signald parses from every /ws frame and
 * the client engine from every server message.
 *
 * Input layout:
 *
 *   byte 0            origin: even = TANDEM_SIGNAL_FROM_CLIENT (what signald
 *                     parses), odd = TANDEM_SIGNAL_FROM_SERVER (what a client
 *                     parses)
 *   bytes 1 ..        the frame's text, verbatim (may hold NUL bytes)
 *
 * For each input the target runs tandem_signal_parse() and checks:
 *   - on failure, the error is in TANDEM_SIGNAL_ERROR with a known code and
 *     a valid UTF-8 message (it goes into an "error" reply);
 *   - on success, every string of the message is valid UTF-8 within its
 *     limit, and tandem_signal_to_json() is a fixed point: its text parses
 *     again (same origin) and rebuilds to the same text, at most
 *     TANDEM_SIGNAL_MAX_BYTES long plus the fields the server adds;
 *   - a relayed type parsed from a client, with "from" set as signald sets
 *     it, is accepted by a client (FROM_SERVER) and keeps its fields.
 *
 * Nothing may crash, trip a sanitizer, leak or log a warning or critical.
 * Built as a libFuzzer binary with -Dfuzzing=true (clang), and replayed
 * over the committed corpus (corpus/signal) by replay.c otherwise.
 */
#include "fuzz.h"

#include "tandem-signal.h"

#include <string.h>

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* One-time allocations (types, quarks) before libFuzzer counts leaks. */
  g_autoptr(TandemSignal) msg = tandem_signal_parse ("{\"type\":\"ping\",\"a\":[1]}", 23,
                                                     TANDEM_SIGNAL_FROM_CLIENT, NULL);
  g_assert_nonnull (msg);
  g_autofree char *text = tandem_signal_to_json (msg);
  g_assert_nonnull (text);
  (void) TANDEM_SIGNAL_ERROR;
  return 0;
}

static void
check_text (const char *s,
            gsize       max)
{
  if (s == NULL)
    return;
  g_assert_true (g_utf8_validate (s, -1, NULL));
  g_assert_cmpuint (strlen (s), <=, max);
}

static void
check_message (const TandemSignal *msg)
{
  g_assert_nonnull (tandem_signal_type_to_string (msg->type));
  check_text (msg->from, TANDEM_SIGNAL_MAX_ID);
  check_text (msg->call_id, TANDEM_SIGNAL_MAX_ID);
  check_text (msg->user_id, TANDEM_SIGNAL_MAX_ID);
  check_text (msg->name, TANDEM_SIGNAL_MAX_NAME);
  check_text (msg->peer_user_id, TANDEM_SIGNAL_MAX_ID);
  check_text (msg->peer_name, TANDEM_SIGNAL_MAX_NAME);
  check_text (msg->code, TANDEM_SIGNAL_MAX_CODE);
  check_text (msg->message, TANDEM_SIGNAL_MAX_MESSAGE);
  check_text (msg->sdp, TANDEM_SIGNAL_MAX_SDP);
  check_text (msg->candidate, TANDEM_SIGNAL_MAX_CANDIDATE);
  if (msg->type == TANDEM_SIGNAL_CANDIDATE)
    {
      g_assert_cmpuint (msg->sdp_mline_index, <=, TANDEM_SIGNAL_MAX_MLINE);
      g_assert_null (strpbrk (msg->candidate, "\r\n"));
    }
}

/* Parses @text (which must succeed) and checks it rebuilds to itself. */
static TandemSignal *
reparse (const char         *text,
         TandemSignalOrigin  origin)
{
  g_autoptr(GError) error = NULL;
  TandemSignal *again = tandem_signal_parse (text, strlen (text), origin, &error);
  if (again == NULL)
    g_error ("the built text %s does not parse: %s", text, error->message);
  check_message (again);
  g_autofree char *text2 = tandem_signal_to_json (again);
  g_assert_cmpstr (text, ==, text2);
  return again;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size == 0)
    return 0;
  TandemSignalOrigin origin = (data[0] & 1) ? TANDEM_SIGNAL_FROM_SERVER : TANDEM_SIGNAL_FROM_CLIENT;
  const char *text = (const char *) data + 1;
  gsize len = size - 1;

  g_autoptr(GError) error = NULL;
  g_autoptr(TandemSignal) msg = tandem_signal_parse (len > 0 ? text : NULL, len, origin, &error);
  if (msg == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TANDEM_SIGNAL_ERROR);
      g_assert_cmpint (error->code, >=, TANDEM_SIGNAL_ERROR_INVALID);
      g_assert_cmpint (error->code, <=, TANDEM_SIGNAL_ERROR_NOT_ALLOWED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (tandem_signal_error_code (error));
      return 0;
    }
  g_assert_no_error (error);
  check_message (msg);
  if (origin == TANDEM_SIGNAL_FROM_CLIENT)
    g_assert_null (msg->from);

  g_autofree char *built = tandem_signal_to_json (msg);
  g_autoptr(TandemSignal) again = reparse (built, origin);
  g_assert_cmpint (again->type, ==, msg->type);

  /* What signald relays, a client accepts. */
  if (origin == TANDEM_SIGNAL_FROM_CLIENT && tandem_signal_type_is_relayed (msg->type))
    {
      g_autoptr(TandemSignal) relayed = tandem_signal_copy (msg);
      relayed->from = g_strdup ("0b6f1c1e-3c53-4c39-9a8c-2b7d0d4e5f60");
      g_autofree char *out = tandem_signal_to_json (relayed);
      g_assert_cmpuint (strlen (out), <=, TANDEM_SIGNAL_MAX_BYTES + 64);
      g_autoptr(TandemSignal) received = reparse (out, TANDEM_SIGNAL_FROM_SERVER);
      g_assert_cmpstr (received->from, ==, relayed->from);
      g_assert_cmpstr (received->sdp, ==, msg->sdp);
      g_assert_cmpstr (received->candidate, ==, msg->candidate);
    }
  return 0;
}
