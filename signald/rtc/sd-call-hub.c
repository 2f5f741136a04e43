/* sd-call-hub.c — call rooms shared by the worker threads, and the
 * per-connection queues that carry their messages to each worker. */
#define G_LOG_DOMAIN "sd-call-hub"

#include "rtc/sd-call-hub.h"

typedef struct _Room Room;

typedef struct {
  char *text;          /* a frame to send, or NULL for a close */
  gushort code;
  char *reason;
} OutItem;

struct _SdCallPeer {
  gint ref;
  GMutex lock;                  /* guards context, out, flush */
  GMainContext *context;        /* NULL once detached */
  GQueue out;                   /* OutItem */
  GSource *flush;               /* pending delivery, or NULL */
  const SdCallPeerClass *klass;
  gpointer owner;
  /* under the hub's lock */
  Room *room;
  int seat;
};

typedef struct {
  char *user_id;
  char *name;
  SdCallPeer *peer;             /* the connection holding the seat, or NULL */
} Seat;

struct _Room {
  char *call_id;
  Seat seats[2];
};

struct _SdCallHub {
  GMutex lock;
  GHashTable *rooms;            /* call_id -> Room */
};

/* ---- peers ---- */

static void
out_item_free (gpointer data)
{
  OutItem *item = data;
  g_free (item->text);
  g_free (item->reason);
  g_free (item);
}

SdCallPeer *
sd_call_peer_new (GMainContext          *context,
                  const SdCallPeerClass *klass,
                  gpointer               owner)
{
  SdCallPeer *peer = g_new0 (SdCallPeer, 1);
  peer->ref = 1;
  g_mutex_init (&peer->lock);
  peer->context = context;
  g_queue_init (&peer->out);
  peer->klass = klass;
  peer->owner = owner;
  peer->seat = -1;
  return peer;
}

SdCallPeer *
sd_call_peer_ref (SdCallPeer *peer)
{
  g_atomic_int_inc (&peer->ref);
  return peer;
}

void
sd_call_peer_unref (SdCallPeer *peer)
{
  if (peer == NULL || !g_atomic_int_dec_and_test (&peer->ref))
    return;
  g_assert (peer->room == NULL);
  /* A pending delivery holds a reference, so none is left here. */
  g_assert (peer->flush == NULL);
  g_queue_clear_full (&peer->out, out_item_free);
  g_mutex_clear (&peer->lock);
  g_free (peer);
}

/* On the peer's context: delivers everything queued so far. */
static gboolean
peer_flush (gpointer data)
{
  SdCallPeer *peer = data;
  GQueue items = G_QUEUE_INIT;

  g_mutex_lock (&peer->lock);
  items = peer->out;
  g_queue_init (&peer->out);
  if (peer->flush != NULL)
    g_source_unref (peer->flush);
  peer->flush = NULL;
  g_mutex_unlock (&peer->lock);

  for (GList *l = items.head; l != NULL; l = l->next)
    {
      OutItem *item = l->data;
      /* A send can end the connection (a write error closes it at once),
       * and its owner then detaches the peer: deliver no more. */
      g_mutex_lock (&peer->lock);
      gboolean live = peer->context != NULL;
      g_mutex_unlock (&peer->lock);
      if (!live)
        break;
      if (item->text != NULL)
        peer->klass->send (peer->owner, item->text);
      else
        peer->klass->close (peer->owner, item->code, item->reason);
    }
  g_queue_clear_full (&items, out_item_free);
  return G_SOURCE_REMOVE;
}

/* Queues @item (taking it) and makes sure a delivery is scheduled. */
static void
peer_push (SdCallPeer *peer,
           OutItem    *item)
{
  g_mutex_lock (&peer->lock);
  if (peer->context == NULL)
    {
      g_mutex_unlock (&peer->lock);
      out_item_free (item);
      return;
    }
  g_queue_push_tail (&peer->out, item);
  if (peer->flush == NULL)
    {
      peer->flush = g_idle_source_new ();
      g_source_set_priority (peer->flush, G_PRIORITY_DEFAULT);
      g_source_set_name (peer->flush, "sd-call-peer-flush");
      g_source_set_callback (peer->flush, peer_flush, sd_call_peer_ref (peer),
                             (GDestroyNotify) sd_call_peer_unref);
      g_source_attach (peer->flush, peer->context);
    }
  g_mutex_unlock (&peer->lock);
}

void
sd_call_peer_send (SdCallPeer *peer,
                   const char *text)
{
  OutItem *item = g_new0 (OutItem, 1);
  item->text = g_strdup (text);
  peer_push (peer, item);
}

void
sd_call_peer_close (SdCallPeer *peer,
                    gushort     code,
                    const char *reason)
{
  OutItem *item = g_new0 (OutItem, 1);
  item->code = code;
  item->reason = g_strdup (reason);
  peer_push (peer, item);
}

static void
peer_send_signal (SdCallPeer         *peer,
                  const TandemSignal *msg)
{
  g_autofree char *text = tandem_signal_to_json (msg);
  sd_call_peer_send (peer, text);
}

void
sd_call_peer_detach (SdCallPeer *peer)
{
  g_mutex_lock (&peer->lock);
  peer->context = NULL;
  GSource *flush = g_steal_pointer (&peer->flush);
  g_queue_clear_full (&peer->out, out_item_free);
  g_mutex_unlock (&peer->lock);
  if (flush != NULL)
    {
      /* Drops the source's reference on the peer. */
      g_source_destroy (flush);
      g_source_unref (flush);
    }
}

/* ---- rooms ---- */

static void
room_free (gpointer data)
{
  Room *room = data;
  for (int i = 0; i < 2; i++)
    {
      g_free (room->seats[i].user_id);
      g_free (room->seats[i].name);
      if (room->seats[i].peer != NULL)
        {
          room->seats[i].peer->room = NULL;
          sd_call_peer_unref (room->seats[i].peer);
        }
    }
  g_free (room->call_id);
  g_free (room);
}

SdCallHub *
sd_call_hub_new (void)
{
  SdCallHub *hub = g_new0 (SdCallHub, 1);
  g_mutex_init (&hub->lock);
  hub->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, room_free);
  return hub;
}

void
sd_call_hub_free (SdCallHub *hub)
{
  if (hub == NULL)
    return;
  if (g_hash_table_size (hub->rooms) > 0)
    g_warning ("%u call rooms still in use at shutdown", g_hash_table_size (hub->rooms));
  g_hash_table_destroy (hub->rooms);
  g_mutex_clear (&hub->lock);
  g_free (hub);
}

guint
sd_call_hub_n_rooms (SdCallHub *hub)
{
  g_mutex_lock (&hub->lock);
  guint n = g_hash_table_size (hub->rooms);
  g_mutex_unlock (&hub->lock);
  return n;
}

guint
sd_call_hub_n_contexts (SdCallHub  *hub,
                        const char *call_id)
{
  GMainContext *seen[2] = { NULL, NULL };
  guint n = 0;

  g_mutex_lock (&hub->lock);
  Room *room = g_hash_table_lookup (hub->rooms, call_id);
  for (int i = 0; room != NULL && i < 2; i++)
    {
      SdCallPeer *peer = room->seats[i].peer;
      if (peer == NULL)
        continue;
      g_mutex_lock (&peer->lock);
      GMainContext *context = peer->context;
      g_mutex_unlock (&peer->lock);
      if (context != NULL && (n == 0 || seen[0] != context))
        seen[n++] = context;
    }
  g_mutex_unlock (&hub->lock);
  return n;
}

/* Under the hub's lock: frees @seat of its peer and tells the other seat. */
static void
unseat (SdCallHub          *hub,
        Room               *room,
        int                 seat,
        TandemSignalReason  reason)
{
  SdCallPeer *peer = g_steal_pointer (&room->seats[seat].peer);
  SdCallPeer *other = room->seats[1 - seat].peer;

  peer->room = NULL;
  peer->seat = -1;
  if (other != NULL)
    {
      g_autoptr(TandemSignal) left = tandem_signal_new (TANDEM_SIGNAL_PEER_LEFT);
      left->user_id = g_strdup (room->seats[seat].user_id);
      left->reason = reason;
      peer_send_signal (other, left);
    }
  sd_call_peer_unref (peer);
}

gboolean
sd_call_hub_join (SdCallHub  *hub,
                  SdCallPeer *peer,
                  const char *call_id,
                  const char *user_id,
                  const char *user_name,
                  const char *other_id,
                  const char *other_name)
{
  g_return_val_if_fail (call_id != NULL && user_id != NULL && other_id != NULL, FALSE);

  g_mutex_lock (&hub->lock);
  if (peer->room != NULL)
    {
      g_mutex_unlock (&hub->lock);
      return FALSE;
    }
  Room *room = g_hash_table_lookup (hub->rooms, call_id);
  if (room == NULL)
    {
      room = g_new0 (Room, 1);
      room->call_id = g_strdup (call_id);
      room->seats[0].user_id = g_strdup (user_id);
      room->seats[0].name = g_strdup (user_name);
      room->seats[1].user_id = g_strdup (other_id);
      room->seats[1].name = g_strdup (other_name);
      g_hash_table_insert (hub->rooms, room->call_id, room);
    }
  int seat = g_str_equal (room->seats[0].user_id, user_id) ? 0
             : g_str_equal (room->seats[1].user_id, user_id) ? 1 : -1;
  if (seat < 0 || !g_str_equal (room->seats[1 - seat].user_id, other_id))
    {
      g_mutex_unlock (&hub->lock);
      return FALSE;
    }
  /* Names may have changed since the room was made. */
  g_free (room->seats[seat].name);
  room->seats[seat].name = g_strdup (user_name);

  SdCallPeer *old = room->seats[seat].peer;
  if (old != NULL)
    {
      sd_call_peer_close (old, SD_CALL_CLOSE_REPLACED, "replaced by a newer connection");
      unseat (hub, room, seat, TANDEM_SIGNAL_REASON_DROPPED);
    }

  room->seats[seat].peer = sd_call_peer_ref (peer);
  peer->room = room;
  peer->seat = seat;
  SdCallPeer *other = room->seats[1 - seat].peer;

  g_autoptr(TandemSignal) welcome = tandem_signal_new (TANDEM_SIGNAL_WELCOME);
  welcome->call_id = g_strdup (call_id);
  welcome->user_id = g_strdup (user_id);
  welcome->peer_present = other != NULL;
  welcome->peer_user_id = g_strdup (room->seats[1 - seat].user_id);
  welcome->peer_name = g_strdup (room->seats[1 - seat].name);
  peer_send_signal (peer, welcome);
  if (other != NULL)
    {
      g_autoptr(TandemSignal) joined = tandem_signal_new (TANDEM_SIGNAL_PEER_JOINED);
      joined->user_id = g_strdup (user_id);
      joined->name = g_strdup (user_name);
      peer_send_signal (other, joined);
    }
  g_mutex_unlock (&hub->lock);
  return TRUE;
}

void
sd_call_hub_relay (SdCallHub          *hub,
                   SdCallPeer         *peer,
                   const TandemSignal *msg)
{
  g_return_if_fail (tandem_signal_type_is_relayed (msg->type));

  g_mutex_lock (&hub->lock);
  Room *room = peer->room;
  SdCallPeer *other = room != NULL ? room->seats[1 - peer->seat].peer : NULL;
  if (other != NULL)
    {
      g_autoptr(TandemSignal) out = tandem_signal_copy (msg);
      g_free (out->from);
      out->from = g_strdup (room->seats[peer->seat].user_id);
      peer_send_signal (other, out);
    }
  g_mutex_unlock (&hub->lock);
}

void
sd_call_hub_leave (SdCallHub          *hub,
                   SdCallPeer         *peer,
                   TandemSignalReason  reason)
{
  g_mutex_lock (&hub->lock);
  Room *room = peer->room;
  if (room != NULL)
    {
      unseat (hub, room, peer->seat, reason);
      if (room->seats[0].peer == NULL && room->seats[1].peer == NULL)
        g_hash_table_remove (hub->rooms, room->call_id);
    }
  g_mutex_unlock (&hub->lock);
}
