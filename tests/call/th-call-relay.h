/* th-call-relay.h — an in-memory stand-in for signald's /ws signaling, for
 * tests and benchmarks that run two call engines in one process: it
 * greets each engine that joins (welcome, peer-joined), relays offers,
 * answers, candidates, media and hangup to the other participant with
 * "from" added, answers ping, and tells the one who stays when the other
 * leaves or drops.  Messages are delivered from the main context (an idle
 * per message), never re-entrantly, in the order they were sent. */
#pragma once

#include "tc-call.h"

G_BEGIN_DECLS

typedef struct _ThCallRelay ThCallRelay;

ThCallRelay *th_call_relay_new   (void);
void         th_call_relay_free  (ThCallRelay *relay);

/* Joins @call (started already) as @user_id.  At most two at a time. */
void         th_call_relay_join  (ThCallRelay *relay,
                                  TcCall      *call,
                                  const char  *user_id,
                                  const char  *name);

/* @call is gone ("dropped": its link broke; "left"): the other one is told
 * with peer-left; not at all when @reason is NULL (the server forgot both,
 * as when signald restarts).  Call before unreffing a call that joined. */
void         th_call_relay_leave (ThCallRelay *relay,
                                  TcCall      *call,
                                  const char  *reason);

/* While held, messages wait in the relay (to make offers cross). */
void         th_call_relay_hold  (ThCallRelay *relay,
                                  gboolean     hold);

/* Messages relayed so far, by type ("offer", "candidate", …). */
guint        th_call_relay_count (ThCallRelay *relay,
                                  const char  *type);

G_END_DECLS
