/* test-signal.c — the call signaling messages (shared/tandem-signal.h):
 * every type round-trips through build and parse, each origin may send
 * only its types, and malformed, oversized, too deep or smuggling input is
 * refused with the right error. */
#include "tandem-signal.h"

#include <string.h>

static TandemSignal *
parse_ok (const char         *text,
          TandemSignalOrigin  origin)
{
  g_autoptr(GError) error = NULL;
  TandemSignal *msg = tandem_signal_parse (text, strlen (text), origin, &error);
  if (msg == NULL)
    g_error ("“%s” refused: %s", text, error->message);
  return msg;
}

static void
assert_refused (const char         *text,
                gsize               size,
                TandemSignalOrigin  origin,
                TandemSignalError   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemSignal) msg = tandem_signal_parse (text, size, origin, &error);
  if (msg != NULL)
    g_error ("“%.*s” accepted", (int) MIN (size, 200), text);
  g_assert_error (error, TANDEM_SIGNAL_ERROR, (gint) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

#define REFUSED(text, origin, code) assert_refused (text, strlen (text), origin, code)

/* build → parse (as @origin) → build gives the same text. */
static TandemSignal *
round_trip (const TandemSignal *msg,
            TandemSignalOrigin  origin)
{
  g_autofree char *text = tandem_signal_to_json (msg);
  TandemSignal *back = parse_ok (text, origin);
  g_autofree char *again = tandem_signal_to_json (back);
  g_assert_cmpstr (text, ==, again);
  return back;
}

static void
test_round_trip_client (void)
{
  g_autoptr(TandemSignal) offer = tandem_signal_new_sdp (TANDEM_SIGNAL_OFFER, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n");
  g_autoptr(TandemSignal) o = round_trip (offer, TANDEM_SIGNAL_FROM_CLIENT);
  g_assert_cmpint (o->type, ==, TANDEM_SIGNAL_OFFER);
  g_assert_cmpstr (o->sdp, ==, offer->sdp);
  g_assert_null (o->from);

  g_autoptr(TandemSignal) cand = tandem_signal_new_candidate (1, "candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host");
  g_autoptr(TandemSignal) c = round_trip (cand, TANDEM_SIGNAL_FROM_CLIENT);
  g_assert_cmpuint (c->sdp_mline_index, ==, 1);
  g_assert_cmpstr (c->candidate, ==, cand->candidate);

  g_autoptr(TandemSignal) end = tandem_signal_new_candidate (0, NULL);
  g_autoptr(TandemSignal) e = round_trip (end, TANDEM_SIGNAL_FROM_CLIENT);
  g_assert_cmpstr (e->candidate, ==, "");

  g_autoptr(TandemSignal) media = tandem_signal_new_media (TRUE, FALSE, TRUE);
  g_autoptr(TandemSignal) m = round_trip (media, TANDEM_SIGNAL_FROM_CLIENT);
  g_assert_true (m->audio);
  g_assert_false (m->video);
  g_assert_true (m->screen);
  g_assert_null (m->session);
  g_autofree char *plain = tandem_signal_to_json (media);
  g_assert_null (strstr (plain, "session"));

  /* the connection the sender still has, by its ICE user fragment */
  media->session = g_strdup ("aB3+/x9Q");
  g_autoptr(TandemSignal) ms = round_trip (media, TANDEM_SIGNAL_FROM_CLIENT);
  g_assert_cmpstr (ms->session, ==, "aB3+/x9Q");
  g_autoptr(TandemSignal) msc = tandem_signal_copy (ms);
  g_assert_cmpstr (msc->session, ==, "aB3+/x9Q");

  TandemSignalType simple[] = { TANDEM_SIGNAL_HANGUP, TANDEM_SIGNAL_PING, TANDEM_SIGNAL_LEAVE };
  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    {
      g_autoptr(TandemSignal) s = tandem_signal_new (simple[i]);
      g_autofree char *text = tandem_signal_to_json (s);
      g_autofree char *expected = g_strdup_printf ("{\"type\":\"%s\"}", tandem_signal_type_to_string (simple[i]));
      g_assert_cmpstr (text, ==, expected);
      g_autoptr(TandemSignal) back = round_trip (s, TANDEM_SIGNAL_FROM_CLIENT);
      g_assert_cmpint (back->type, ==, simple[i]);
    }
}

static void
test_round_trip_server (void)
{
  g_autoptr(TandemSignal) w = tandem_signal_new (TANDEM_SIGNAL_WELCOME);
  w->call_id = g_strdup ("0b6f1c1e-3c53-4c39-9a8c-2b7d0d4e5f60");
  w->user_id = g_strdup ("u1");
  w->peer_present = TRUE;
  w->peer_user_id = g_strdup ("u2");
  w->peer_name = g_strdup ("Zoë “Coach” Müller");
  g_autoptr(TandemSignal) wb = round_trip (w, TANDEM_SIGNAL_FROM_SERVER);
  g_assert_cmpstr (wb->call_id, ==, w->call_id);
  g_assert_cmpstr (wb->user_id, ==, "u1");
  g_assert_true (wb->peer_present);
  g_assert_cmpstr (wb->peer_user_id, ==, "u2");
  g_assert_cmpstr (wb->peer_name, ==, w->peer_name);

  g_autoptr(TandemSignal) j = tandem_signal_new (TANDEM_SIGNAL_PEER_JOINED);
  j->user_id = g_strdup ("u2");
  j->name = g_strdup ("Ann");
  g_autoptr(TandemSignal) jb = round_trip (j, TANDEM_SIGNAL_FROM_SERVER);
  g_assert_cmpstr (jb->name, ==, "Ann");

  for (TandemSignalReason r = TANDEM_SIGNAL_REASON_LEFT; r <= TANDEM_SIGNAL_REASON_HANGUP; r++)
    {
      g_autoptr(TandemSignal) l = tandem_signal_new (TANDEM_SIGNAL_PEER_LEFT);
      l->user_id = g_strdup ("u2");
      l->reason = r;
      g_autoptr(TandemSignal) lb = round_trip (l, TANDEM_SIGNAL_FROM_SERVER);
      g_assert_cmpint (lb->reason, ==, r);
    }

  g_autoptr(TandemSignal) err = tandem_signal_new (TANDEM_SIGNAL_ERROR_MSG);
  err->code = g_strdup ("rate_limited");
  err->message = g_strdup ("slow down");
  g_autoptr(TandemSignal) eb = round_trip (err, TANDEM_SIGNAL_FROM_SERVER);
  g_assert_cmpstr (eb->code, ==, "rate_limited");

  g_autoptr(TandemSignal) pong = parse_ok ("{\"type\":\"pong\"}", TANDEM_SIGNAL_FROM_SERVER);
  g_assert_cmpint (pong->type, ==, TANDEM_SIGNAL_PONG);

  /* What the server relays: the client's message with "from". */
  g_autoptr(TandemSignal) relayed = parse_ok ("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}", TANDEM_SIGNAL_FROM_CLIENT);
  relayed->from = g_strdup ("u1");
  g_autofree char *text = tandem_signal_to_json (relayed);
  g_assert_cmpstr (text, ==, "{\"type\":\"answer\",\"from\":\"u1\",\"sdp\":\"v=0\\r\\n\"}");
  g_autoptr(TandemSignal) rb = round_trip (relayed, TANDEM_SIGNAL_FROM_SERVER);
  g_assert_cmpstr (rb->from, ==, "u1");

  g_autoptr(TandemSignal) copy = tandem_signal_copy (w);
  g_autofree char *a = tandem_signal_to_json (w);
  g_autofree char *b = tandem_signal_to_json (copy);
  g_assert_cmpstr (a, ==, b);
}

static void
test_origin (void)
{
  /* Server types from a client, client-only types from the server. */
  REFUSED ("{\"type\":\"welcome\",\"call_id\":\"c\",\"user_id\":\"u\",\"peer_present\":false,"
           "\"peer\":{\"user_id\":\"p\",\"name\":\"P\"}}", TANDEM_SIGNAL_FROM_CLIENT, TANDEM_SIGNAL_ERROR_NOT_ALLOWED);
  REFUSED ("{\"type\":\"peer-left\",\"user_id\":\"u\",\"reason\":\"left\"}", TANDEM_SIGNAL_FROM_CLIENT,
           TANDEM_SIGNAL_ERROR_NOT_ALLOWED);
  REFUSED ("{\"type\":\"pong\"}", TANDEM_SIGNAL_FROM_CLIENT, TANDEM_SIGNAL_ERROR_NOT_ALLOWED);
  REFUSED ("{\"type\":\"ping\"}", TANDEM_SIGNAL_FROM_SERVER, TANDEM_SIGNAL_ERROR_NOT_ALLOWED);
  REFUSED ("{\"type\":\"leave\"}", TANDEM_SIGNAL_FROM_SERVER, TANDEM_SIGNAL_ERROR_NOT_ALLOWED);
  /* A relayed message from the server names its sender. */
  REFUSED ("{\"type\":\"hangup\"}", TANDEM_SIGNAL_FROM_SERVER, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"hangup\",\"from\":\"a b\"}", TANDEM_SIGNAL_FROM_SERVER, TANDEM_SIGNAL_ERROR_INVALID);
  /* A client's own "from" is ignored, never trusted. */
  g_autoptr(TandemSignal) spoof = parse_ok ("{\"type\":\"hangup\",\"from\":\"someone-else\"}", TANDEM_SIGNAL_FROM_CLIENT);
  g_assert_null (spoof->from);
  /* Unknown members are dropped. */
  g_autoptr(TandemSignal) extra = parse_ok ("{\"type\":\"media\",\"audio\":true,\"video\":true,\"screen\":false,"
                                            "\"evil\":{\"a\":[1]}}", TANDEM_SIGNAL_FROM_CLIENT);
  g_autofree char *text = tandem_signal_to_json (extra);
  g_assert_null (strstr (text, "evil"));
}

static void
test_refused (void)
{
  const TandemSignalOrigin C = TANDEM_SIGNAL_FROM_CLIENT;

  /* Not an object, not JSON, trailing values, comments. */
  REFUSED ("", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("   ", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("[]", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("\"ping\"", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"ping\"", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"ping\"}{\"type\":\"ping\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"ping\"} x", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"ping\" /* ] */}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{'type':'ping'}", C, TANDEM_SIGNAL_ERROR_INVALID);
  g_autoptr(TandemSignal) spaced = parse_ok ("  {\"type\" : \"ping\"}\r\n ", C);

  /* Type. */
  REFUSED ("{}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":1}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"join\"}", C, TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE);
  REFUSED ("{\"type\":\"OFFER\",\"sdp\":\"v=0\"}", C, TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE);

  /* Fields: missing, wrong JSON type, wrong content. */
  REFUSED ("{\"type\":\"offer\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":null}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":[\"v=0\"]}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"hello\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"candidate\",\"candidate\":\"\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"candidate\",\"sdp_mline_index\":\"0\",\"candidate\":\"\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"candidate\",\"sdp_mline_index\":0.5,\"candidate\":\"\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"candidate\",\"sdp_mline_index\":-1,\"candidate\":\"\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"candidate\",\"sdp_mline_index\":256,\"candidate\":\"\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"candidate\",\"sdp_mline_index\":0,\"candidate\":\"a=foo\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  /* A line break in a candidate would inject SDP lines at the receiver. */
  REFUSED ("{\"type\":\"candidate\",\"sdp_mline_index\":0,\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\\r\\na=x\"}",
           C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"media\",\"audio\":1,\"video\":true,\"screen\":false}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"media\",\"audio\":true,\"video\":true}", C, TANDEM_SIGNAL_ERROR_INVALID);
  /* a session is an ICE ufrag: no spaces or line breaks to inject */
  REFUSED ("{\"type\":\"media\",\"audio\":true,\"video\":true,\"screen\":false,\"session\":\"a b\"}", C,
           TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"media\",\"audio\":true,\"video\":true,\"screen\":false,\"session\":\"\"}", C,
           TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"media\",\"audio\":true,\"video\":true,\"screen\":false,\"session\":7}", C,
           TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"peer-left\",\"user_id\":\"u\",\"reason\":\"bored\"}", TANDEM_SIGNAL_FROM_SERVER,
           TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"welcome\",\"call_id\":\"c\",\"user_id\":\"u\",\"peer_present\":false}",
           TANDEM_SIGNAL_FROM_SERVER, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"error\",\"code\":\"Bad Code\",\"message\":\"x\"}", TANDEM_SIGNAL_FROM_SERVER,
           TANDEM_SIGNAL_ERROR_INVALID);

  /* Encoding: invalid UTF-8, NUL bytes, lone surrogate escapes. */
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"v=0\xff\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  assert_refused ("{\"type\":\"ping\"}\0", 16, C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"v=0\\udc00\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"v=0\\ud83d\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"v=0\\ud83d\\u0041\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"v=0\\u0000\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  REFUSED ("{\"type\":\"offer\",\"sdp\":\"v=0\\u12\"}", C, TANDEM_SIGNAL_ERROR_INVALID);
  /* json-glib 1.6 leaked memory on this one (found by fuzz-signal). */
  REFUSED ("{\"tv=0\\udc0A\\u0000\"", C, TANDEM_SIGNAL_ERROR_INVALID);
  {
    g_autoptr(TandemSignal) emoji = parse_ok ("{\"type\":\"error\",\"code\":\"x\",\"message\":\"\\ud83d\\ude00 \\u00e9\"}",
                                              TANDEM_SIGNAL_FROM_SERVER);
    g_assert_cmpstr (emoji->message, ==, "\xf0\x9f\x98\x80 \xc3\xa9");
  }
  REFUSED ("{\"type\":\"error\",\"code\":\"x\",\"message\":\"\\ud83dx\"}", TANDEM_SIGNAL_FROM_SERVER,
           TANDEM_SIGNAL_ERROR_INVALID);
}

static void
test_limits (void)
{
  const TandemSignalOrigin C = TANDEM_SIGNAL_FROM_CLIENT;

  /* Depth: four levels pass, five are refused before json-glib parses. */
  g_autoptr(TandemSignal) deep4 = parse_ok ("{\"type\":\"ping\",\"x\":[[[1]]]}", C);
  REFUSED ("{\"type\":\"ping\",\"x\":[[[[1]]]]}", C, TANDEM_SIGNAL_ERROR_TOO_LARGE);
  /* Brackets inside strings do not count. */
  g_autoptr(TandemSignal) quoted = parse_ok ("{\"type\":\"ping\",\"x\":\"[[[[[[{{{{\\\"]]]]\"}", C);
  {
    /* A very deep text is refused quickly and without recursion. */
    gsize n = 60000;
    g_autoptr(GString) s = g_string_new ("{\"type\":\"ping\",\"x\":");
    for (gsize i = 0; i < n / 2; i++)
      g_string_append_c (s, '[');
    g_string_append_c (s, '}');
    assert_refused (s->str, s->len, C, TANDEM_SIGNAL_ERROR_TOO_LARGE);
  }

  /* Whole message. */
  {
    g_autoptr(GString) s = g_string_new ("{\"type\":\"ping\",\"pad\":\"");
    while (s->len < TANDEM_SIGNAL_MAX_BYTES)
      g_string_append_c (s, 'a');
    g_string_append (s, "\"}");
    assert_refused (s->str, s->len, C, TANDEM_SIGNAL_ERROR_TOO_LARGE);
  }

  /* SDP: exactly the limit passes, one byte more is refused. */
  for (int extra = 0; extra <= 1; extra++)
    {
      g_autoptr(GString) sdp = g_string_new ("v=0\r\n");
      while (sdp->len < TANDEM_SIGNAL_MAX_SDP + (gsize) extra)
        g_string_append_c (sdp, 'x');
      g_autoptr(TandemSignal) offer = tandem_signal_new_sdp (TANDEM_SIGNAL_OFFER, sdp->str);
      g_autofree char *text = tandem_signal_to_json (offer);
      g_autoptr(GError) error = NULL;
      g_autoptr(TandemSignal) back = tandem_signal_parse (text, strlen (text), C, &error);
      if (extra == 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (strlen (back->sdp), ==, TANDEM_SIGNAL_MAX_SDP);
        }
      else
        g_assert_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID);
    }

  /* Candidates and ids. */
  {
    g_autoptr(GString) c = g_string_new ("candidate:");
    while (c->len <= TANDEM_SIGNAL_MAX_CANDIDATE)
      g_string_append_c (c, '1');
    g_autoptr(TandemSignal) cand = tandem_signal_new_candidate (0, c->str);
    g_autofree char *text = tandem_signal_to_json (cand);
    REFUSED (text, C, TANDEM_SIGNAL_ERROR_INVALID);

    g_autofree char *long_id = g_strnfill (TANDEM_SIGNAL_MAX_ID + 1, 'a');
    g_autofree char *hangup = g_strdup_printf ("{\"type\":\"hangup\",\"from\":\"%s\"}", long_id);
    REFUSED (hangup, TANDEM_SIGNAL_FROM_SERVER, TANDEM_SIGNAL_ERROR_INVALID);
  }
}

static void
test_names (void)
{
  g_assert_cmpint (tandem_signal_type_from_string ("peer-joined"), ==, TANDEM_SIGNAL_PEER_JOINED);
  g_assert_cmpint (tandem_signal_type_from_string (NULL), ==, TANDEM_SIGNAL_INVALID);
  g_assert_null (tandem_signal_type_to_string (TANDEM_SIGNAL_INVALID));
  g_assert_true (tandem_signal_type_is_relayed (TANDEM_SIGNAL_CANDIDATE));
  g_assert_true (tandem_signal_type_is_relayed (TANDEM_SIGNAL_HANGUP));
  g_assert_false (tandem_signal_type_is_relayed (TANDEM_SIGNAL_PING));
  g_assert_false (tandem_signal_type_is_relayed (TANDEM_SIGNAL_WELCOME));
  g_assert_cmpstr (tandem_signal_reason_to_string (TANDEM_SIGNAL_REASON_DROPPED), ==, "dropped");

  g_autoptr(GError) e1 = g_error_new_literal (TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE, "x");
  g_assert_cmpstr (tandem_signal_error_code (e1), ==, "unknown_type");
  g_autoptr(GError) e2 = g_error_new_literal (TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_TOO_LARGE, "x");
  g_assert_cmpstr (tandem_signal_error_code (e2), ==, "message_too_large");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Signal/round-trip/client", test_round_trip_client);
  g_test_add_func ("/Signal/round-trip/server", test_round_trip_server);
  g_test_add_func ("/Signal/origin", test_origin);
  g_test_add_func ("/Signal/refused", test_refused);
  g_test_add_func ("/Signal/limits", test_limits);
  g_test_add_func ("/Signal/names", test_names);
  return g_test_run ();
}
