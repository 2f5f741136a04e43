/* th-call-relay.c — see th-call-relay.h. */
#include "th-call-relay.h"

typedef struct {
  ThCallRelay *relay;
  TcCall *call;       /* weak: cleared by leave */
  char *user_id;
  char *name;
  gulong handler;
} Member;

struct _ThCallRelay {
  Member *members[2];
  GHashTable *counts;   /* type → count */
  GQueue pending;       /* Delivery * */
  guint idle;
  gboolean hold;
};

typedef struct {
  TcCall *call;         /* a ref */
  char *text;
} Delivery;

static gboolean
deliver_cb (gpointer data)
{
  ThCallRelay *relay = data;
  Delivery *d;

  relay->idle = 0;
  while ((d = g_queue_pop_head (&relay->pending)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!tc_call_receive (d->call, d->text, &error))
        g_error ("tc_call_receive refused %s: %s", d->text, error->message);
      g_object_unref (d->call);
      g_free (d->text);
      g_free (d);
    }
  return G_SOURCE_REMOVE;
}

static void
deliver (ThCallRelay *relay,
         TcCall      *call,
         JsonObject  *message)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);
  Delivery *d = g_new0 (Delivery, 1);
  d->call = g_object_ref (call);
  d->text = json_to_string (node, FALSE);
  g_queue_push_tail (&relay->pending, d);
  if (relay->idle == 0 && !relay->hold)
    relay->idle = g_idle_add_full (G_PRIORITY_HIGH, deliver_cb, relay, NULL);
}

void
th_call_relay_hold (ThCallRelay *relay,
                    gboolean     hold)
{
  relay->hold = hold;
  if (!hold && relay->idle == 0 && relay->pending.length > 0)
    relay->idle = g_idle_add_full (G_PRIORITY_HIGH, deliver_cb, relay, NULL);
}

static Member *
other (ThCallRelay *relay,
       Member      *m)
{
  Member *o = relay->members[0] == m ? relay->members[1] : relay->members[0];
  return o != NULL && o->call != NULL ? o : NULL;
}

static void
send_cb (TcCall     *call,
         const char *text,
         gpointer    user_data)
{
  Member *m = user_data;
  ThCallRelay *relay = m->relay;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  const char *type = json_object_get_string_member (o, "type");
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (relay->counts, type));
  g_hash_table_insert (relay->counts, g_strdup (type), GUINT_TO_POINTER (n + 1));

  if (g_str_equal (type, "ping"))
    {
      JsonObject *pong = json_object_new ();
      json_object_set_string_member (pong, "type", "pong");
      deliver (relay, call, pong);
      return;
    }
  Member *to = other (relay, m);
  if (g_str_equal (type, "leave"))
    {
      th_call_relay_leave (relay, call, "left");
      return;
    }
  if (to == NULL)
    return;
  JsonObject *copy = json_object_ref (o);
  json_object_set_string_member (copy, "from", m->user_id);
  deliver (relay, to->call, copy);
}

ThCallRelay *
th_call_relay_new (void)
{
  ThCallRelay *relay = g_new0 (ThCallRelay, 1);
  relay->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&relay->pending);
  return relay;
}

static void
member_free (Member *m)
{
  if (m->call != NULL)
    g_clear_signal_handler (&m->handler, m->call);
  g_free (m->user_id);
  g_free (m->name);
  g_free (m);
}

void
th_call_relay_free (ThCallRelay *relay)
{
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&relay->members[i], member_free);
  g_clear_handle_id (&relay->idle, g_source_remove);
  Delivery *d;
  while ((d = g_queue_pop_head (&relay->pending)) != NULL)
    {
      g_object_unref (d->call);
      g_free (d->text);
      g_free (d);
    }
  g_hash_table_unref (relay->counts);
  g_free (relay);
}

void
th_call_relay_join (ThCallRelay *relay,
                    TcCall      *call,
                    const char  *user_id,
                    const char  *name)
{
  guint slot = relay->members[0] == NULL ? 0 : 1;
  g_assert_null (relay->members[slot]);

  Member *m = g_new0 (Member, 1);
  m->relay = relay;
  m->call = call;
  m->user_id = g_strdup (user_id);
  m->name = g_strdup (name);
  m->handler = g_signal_connect (call, "send", G_CALLBACK (send_cb), m);
  relay->members[slot] = m;

  Member *o = other (relay, m);
  JsonObject *welcome = json_object_new ();
  json_object_set_string_member (welcome, "type", "welcome");
  json_object_set_string_member (welcome, "call_id", "00000000-0000-4000-8000-000000000001");
  json_object_set_string_member (welcome, "user_id", user_id);
  json_object_set_boolean_member (welcome, "peer_present", o != NULL);
  /* signald names the other participant even before they come */
  JsonObject *peer = json_object_new ();
  json_object_set_string_member (peer, "user_id", o != NULL ? o->user_id : "user-other");
  json_object_set_string_member (peer, "name", o != NULL ? o->name : "Other");
  json_object_set_object_member (welcome, "peer", peer);
  if (o != NULL)
    {

      JsonObject *joined = json_object_new ();
      json_object_set_string_member (joined, "type", "peer-joined");
      json_object_set_string_member (joined, "user_id", user_id);
      json_object_set_string_member (joined, "name", name);
      deliver (relay, o->call, joined);
    }
  deliver (relay, call, welcome);
}

void
th_call_relay_leave (ThCallRelay *relay,
                     TcCall      *call,
                     const char  *reason)
{
  for (guint i = 0; i < 2; i++)
    {
      Member *m = relay->members[i];
      if (m == NULL || m->call != call)
        continue;
      Member *o = other (relay, m);
      /* drop what was on its way to the one leaving */
      for (GList *l = relay->pending.head; l != NULL;)
        {
          GList *next = l->next;
          Delivery *d = l->data;
          if (d->call == call)
            {
              g_object_unref (d->call);
              g_free (d->text);
              g_free (d);
              g_queue_delete_link (&relay->pending, l);
            }
          l = next;
        }
      relay->members[i] = NULL;
      if (o != NULL && reason != NULL)
        {
          JsonObject *left = json_object_new ();
          json_object_set_string_member (left, "type", "peer-left");
          json_object_set_string_member (left, "user_id", m->user_id);
          json_object_set_string_member (left, "reason", reason);
          deliver (relay, o->call, left);
        }
      member_free (m);
      return;
    }
}

guint
th_call_relay_count (ThCallRelay *relay,
                     const char  *type)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (relay->counts, type));
}
