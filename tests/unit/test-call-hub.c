/* test-call-hub.c — the call rooms without sockets (signald/rtc/sd-call-hub.h):
 * presence, relaying with "from", replacing a connection, leaving, who may
 * sit in a room, detaching, and two peers on two threads relaying to each
 * other in order. */
#include "rtc/sd-call-hub.h"

#include <string.h>

/* A fake connection: what the hub delivered to it. */
typedef struct {
  GMainContext *context;
  SdCallPeer *peer;
  GPtrArray *texts;       /* char * */
  gushort close_code;
  GMutex lock;
} Fake;

static void
fake_send (gpointer    owner,
           const char *text)
{
  Fake *f = owner;
  g_mutex_lock (&f->lock);
  g_ptr_array_add (f->texts, g_strdup (text));
  g_mutex_unlock (&f->lock);
}

static void
fake_close (gpointer    owner,
            gushort     code,
            const char *reason)
{
  Fake *f = owner;
  f->close_code = code;
}

static const SdCallPeerClass fake_class = { fake_send, fake_close };

static Fake *
fake_new (GMainContext *context)
{
  Fake *f = g_new0 (Fake, 1);
  f->context = context != NULL ? g_main_context_ref (context) : g_main_context_new ();
  f->texts = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&f->lock);
  f->peer = sd_call_peer_new (f->context, &fake_class, f);
  return f;
}

static void
fake_free (Fake *f)
{
  sd_call_peer_detach (f->peer);
  sd_call_peer_unref (f->peer);
  g_main_context_unref (f->context);
  g_ptr_array_unref (f->texts);
  g_mutex_clear (&f->lock);
  g_free (f);
}

/* Delivers what is queued for @f and returns the messages (parsed as a
 * client parses them), clearing them. */
static GPtrArray *
fake_take (Fake *f)
{
  while (g_main_context_iteration (f->context, FALSE))
    ;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_signal_free);
  for (guint i = 0; i < f->texts->len; i++)
    {
      const char *text = g_ptr_array_index (f->texts, i);
      g_autoptr(GError) error = NULL;
      TandemSignal *msg = tandem_signal_parse (text, strlen (text), TANDEM_SIGNAL_FROM_SERVER, &error);
      g_assert_no_error (error);
      g_ptr_array_add (out, msg);
    }
  g_ptr_array_set_size (f->texts, 0);
  return out;
}

static TandemSignal *
at (GPtrArray *msgs,
    guint      i,
    TandemSignalType type)
{
  g_assert_cmpuint (i, <, msgs->len);
  TandemSignal *m = g_ptr_array_index (msgs, i);
  g_assert_cmpint (m->type, ==, type);
  return m;
}

static void
test_presence_and_relay (void)
{
  SdCallHub *hub = sd_call_hub_new ();
  Fake *a = fake_new (NULL), *b = fake_new (NULL), *a2 = fake_new (NULL), *x = fake_new (NULL);

  g_assert_true (sd_call_hub_join (hub, a->peer, "call", "ua", "Ann", "ub", "Bob"));
  g_autoptr(GPtrArray) ma = fake_take (a);
  g_assert_cmpuint (ma->len, ==, 1);
  TandemSignal *w = at (ma, 0, TANDEM_SIGNAL_WELCOME);
  g_assert_false (w->peer_present);
  g_assert_cmpstr (w->call_id, ==, "call");
  g_assert_cmpstr (w->user_id, ==, "ua");
  g_assert_cmpstr (w->peer_user_id, ==, "ub");
  g_assert_cmpstr (w->peer_name, ==, "Bob");
  g_assert_cmpuint (sd_call_hub_n_rooms (hub), ==, 1);
  g_assert_cmpuint (sd_call_hub_n_contexts (hub, "call"), ==, 1);

  /* Only the booking's two users sit in the room; a peer sits once. */
  g_assert_false (sd_call_hub_join (hub, x->peer, "call", "ux", "Xavier", "ua", "Ann"));
  g_assert_false (sd_call_hub_join (hub, x->peer, "call", "ub", "Bob", "ux", "Xavier"));
  g_assert_false (sd_call_hub_join (hub, a->peer, "call", "ua", "Ann", "ub", "Bob"));

  g_assert_true (sd_call_hub_join (hub, b->peer, "call", "ub", "Bob", "ua", "Ann"));
  g_autoptr(GPtrArray) mb = fake_take (b);
  g_assert_true (at (mb, 0, TANDEM_SIGNAL_WELCOME)->peer_present);
  g_autoptr(GPtrArray) ma2 = fake_take (a);
  g_assert_cmpstr (at (ma2, 0, TANDEM_SIGNAL_PEER_JOINED)->name, ==, "Bob");
  g_assert_cmpuint (sd_call_hub_n_contexts (hub, "call"), ==, 2);

  /* Relayed with "from" (whatever the message said). */
  g_autoptr(TandemSignal) offer = tandem_signal_new_sdp (TANDEM_SIGNAL_OFFER, "v=0\r\n");
  offer->from = g_strdup ("forged");
  sd_call_hub_relay (hub, a->peer, offer);
  g_autoptr(GPtrArray) mb2 = fake_take (b);
  TandemSignal *got = at (mb2, 0, TANDEM_SIGNAL_OFFER);
  g_assert_cmpstr (got->from, ==, "ua");
  g_assert_cmpstr (got->sdp, ==, "v=0\r\n");
  g_autoptr(GPtrArray) none = fake_take (a);
  g_assert_cmpuint (none->len, ==, 0);

  /* A newer connection of Ann replaces the first: closed, and Bob hears
   * dropped then joined. */
  g_assert_true (sd_call_hub_join (hub, a2->peer, "call", "ua", "Ann B.", "ub", "Bob"));
  g_autoptr(GPtrArray) old = fake_take (a);
  g_assert_cmpuint (old->len, ==, 0);
  g_assert_cmpuint (a->close_code, ==, SD_CALL_CLOSE_REPLACED);
  g_autoptr(GPtrArray) mb3 = fake_take (b);
  g_assert_cmpuint (mb3->len, ==, 2);
  TandemSignal *left = at (mb3, 0, TANDEM_SIGNAL_PEER_LEFT);
  g_assert_cmpstr (left->user_id, ==, "ua");
  g_assert_cmpint (left->reason, ==, TANDEM_SIGNAL_REASON_DROPPED);
  g_assert_cmpstr (at (mb3, 1, TANDEM_SIGNAL_PEER_JOINED)->name, ==, "Ann B.");
  g_autoptr(GPtrArray) ma3 = fake_take (a2);
  g_assert_true (at (ma3, 0, TANDEM_SIGNAL_WELCOME)->peer_present);

  /* The replaced connection says nothing any more, and its leave is void. */
  sd_call_hub_relay (hub, a->peer, offer);
  sd_call_hub_leave (hub, a->peer, TANDEM_SIGNAL_REASON_LEFT);
  g_autoptr(GPtrArray) quiet = fake_take (b);
  g_assert_cmpuint (quiet->len, ==, 0);

  /* Bob hangs up; Ann then leaves; the room is gone. */
  sd_call_hub_leave (hub, b->peer, TANDEM_SIGNAL_REASON_HANGUP);
  g_autoptr(GPtrArray) ma4 = fake_take (a2);
  g_assert_cmpint (at (ma4, 0, TANDEM_SIGNAL_PEER_LEFT)->reason, ==, TANDEM_SIGNAL_REASON_HANGUP);
  sd_call_hub_relay (hub, a2->peer, offer);   /* nobody to hear it */
  g_assert_cmpuint (sd_call_hub_n_rooms (hub), ==, 1);
  sd_call_hub_leave (hub, a2->peer, TANDEM_SIGNAL_REASON_LEFT);
  g_assert_cmpuint (sd_call_hub_n_rooms (hub), ==, 0);
  g_assert_cmpuint (sd_call_hub_n_contexts (hub, "call"), ==, 0);

  /* A detached peer gets nothing of what was queued. */
  g_assert_true (sd_call_hub_join (hub, x->peer, "other", "ux", "X", "uy", "Y"));
  sd_call_peer_detach (x->peer);
  g_autoptr(GPtrArray) dropped = fake_take (x);
  g_assert_cmpuint (dropped->len, ==, 0);
  sd_call_hub_leave (hub, x->peer, TANDEM_SIGNAL_REASON_DROPPED);

  fake_free (a); fake_free (b); fake_free (a2); fake_free (x);
  sd_call_hub_free (hub);
}

/* Two peers, each on its own thread and context, relay N offers to each
 * other at the same time: each receives exactly N, in order. */
#define N_RELAYS 2000

typedef struct {
  SdCallHub *hub;
  Fake *self;
  GMainLoop *loop;
  gint *remaining;        /* threads still sending */
} Side;

static gboolean
stop_when_done (gpointer data)
{
  Side *side = data;
  g_mutex_lock (&side->self->lock);
  guint n = side->self->texts->len;
  g_mutex_unlock (&side->self->lock);
  if (n >= N_RELAYS && g_atomic_int_get (side->remaining) == 0)
    {
      g_main_loop_quit (side->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gpointer
side_thread (gpointer data)
{
  Side *side = data;
  g_main_context_push_thread_default (side->self->context);
  for (guint i = 0; i < N_RELAYS; i++)
    {
      g_autofree char *sdp = g_strdup_printf ("v=0\r\ni=%u\r\n", i);
      g_autoptr(TandemSignal) m = tandem_signal_new_sdp (TANDEM_SIGNAL_OFFER, sdp);
      sd_call_hub_relay (side->hub, side->self->peer, m);
      if (i % 64 == 0)
        g_main_context_iteration (side->self->context, FALSE);
    }
  g_atomic_int_dec_and_test (side->remaining);
  GSource *poll = g_timeout_source_new (5);
  g_source_set_callback (poll, stop_when_done, side, NULL);
  g_source_attach (poll, side->self->context);
  g_source_unref (poll);
  g_main_loop_run (side->loop);
  g_main_context_pop_thread_default (side->self->context);
  return NULL;
}

static void
test_threads (void)
{
  SdCallHub *hub = sd_call_hub_new ();
  Fake *a = fake_new (NULL), *b = fake_new (NULL);
  g_assert_true (sd_call_hub_join (hub, a->peer, "c", "ua", "A", "ub", "B"));
  g_assert_true (sd_call_hub_join (hub, b->peer, "c", "ub", "B", "ua", "A"));
  g_ptr_array_unref (fake_take (a));
  g_ptr_array_unref (fake_take (b));

  gint remaining = 2;
  Side sa = { hub, a, g_main_loop_new (a->context, FALSE), &remaining };
  Side sb = { hub, b, g_main_loop_new (b->context, FALSE), &remaining };
  GThread *ta = g_thread_new ("side-a", side_thread, &sa);
  GThread *tb = g_thread_new ("side-b", side_thread, &sb);
  g_thread_join (ta);
  g_thread_join (tb);

  Fake *sides[] = { a, b };
  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(GPtrArray) got = fake_take (sides[s]);
      g_assert_cmpuint (got->len, ==, N_RELAYS);
      for (guint i = 0; i < N_RELAYS; i++)
        {
          TandemSignal *m = at (got, i, TANDEM_SIGNAL_OFFER);
          g_autofree char *expected = g_strdup_printf ("v=0\r\ni=%u\r\n", i);
          g_assert_cmpstr (m->sdp, ==, expected);
          g_assert_cmpstr (m->from, ==, s == 0 ? "ub" : "ua");
        }
    }

  sd_call_hub_leave (hub, a->peer, TANDEM_SIGNAL_REASON_LEFT);
  sd_call_hub_leave (hub, b->peer, TANDEM_SIGNAL_REASON_LEFT);
  g_main_loop_unref (sa.loop);
  g_main_loop_unref (sb.loop);
  fake_free (a);
  fake_free (b);
  sd_call_hub_free (hub);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/CallHub/presence-and-relay", test_presence_and_relay);
  g_test_add_func ("/CallHub/threads", test_threads);
  return g_test_run ();
}
