/* test-call-stats.c — tc_call_stats_read() on replies shaped like
 * webrtcbin's "get-stats": the selected candidate pair's types (a
 * candidate-pair entry naming its local and remote candidate entries),
 * kept when a later reply has no pair, and their JSON. */
#include "tc-call-stats.h"

#include <gst/webrtc/webrtc.h>

static GstStructure *
candidate (const char        *id,
           GstWebRTCStatsType type,
           const char        *candidate_type)
{
  return gst_structure_new (id,
                            "type", GST_TYPE_WEBRTC_STATS_TYPE, type,
                            "id", G_TYPE_STRING, id,
                            "address", G_TYPE_STRING, "127.0.0.1",
                            "candidate-type", G_TYPE_STRING, candidate_type,
                            NULL);
}

static void
add (GstStructure *reply,
     GstStructure *entry)
{
  gst_structure_set (reply, gst_structure_get_name (entry), GST_TYPE_STRUCTURE, entry, NULL);
  gst_structure_free (entry);
}

/* A reply with an inbound stream and, when @local is given, a selected
 * pair of a @local and a @remote candidate. */
static GstStructure *
reply_new (const char *local,
           const char *remote,
           const char *pair_remote_id)
{
  GstStructure *reply = gst_structure_new_empty ("application/x-webrtc-stats");
  add (reply, gst_structure_new ("rtp-inbound-stream-stats_1",
                                 "type", GST_TYPE_WEBRTC_STATS_TYPE, GST_WEBRTC_STATS_INBOUND_RTP,
                                 "bytes-received", G_TYPE_UINT64, (guint64) 1000,
                                 "packets-received", G_TYPE_UINT64, (guint64) 10,
                                 NULL));
  if (local == NULL)
    return reply;
  add (reply, candidate ("ice-candidate-local_1", GST_WEBRTC_STATS_LOCAL_CANDIDATE, local));
  add (reply, candidate ("ice-candidate-remote_1", GST_WEBRTC_STATS_REMOTE_CANDIDATE, remote));
  add (reply, gst_structure_new ("ice-candidate-pair_1",
                                 "type", GST_TYPE_WEBRTC_STATS_TYPE, GST_WEBRTC_STATS_CANDIDATE_PAIR,
                                 "local-candidate-id", G_TYPE_STRING, "ice-candidate-local_1",
                                 "remote-candidate-id", G_TYPE_STRING, pair_remote_id,
                                 NULL));
  return reply;
}

static const char *
json_type (JsonObject *o,
           const char *member)
{
  JsonNode *n = json_object_get_member (o, member);
  g_assert_nonnull (n);
  return JSON_NODE_HOLDS_NULL (n) ? NULL : json_node_get_string (n);
}

static void
test_candidate_types (void)
{
  TcCallStats stats;
  tc_call_stats_init (&stats);
  g_assert_cmpstr (stats.local_candidate_type, ==, "");

  /* before any pair: unknown, null in JSON */
  GstStructure *none = reply_new (NULL, NULL, NULL);
  tc_call_stats_read (&stats, none, 1000000);
  gst_structure_free (none);
  g_assert_cmpstr (stats.local_candidate_type, ==, "");
  g_autoptr(JsonObject) o1 = tc_call_stats_to_json (&stats);
  g_assert_null (json_type (o1, "local_candidate_type"));
  g_assert_null (json_type (o1, "remote_candidate_type"));
  g_assert_cmpint (json_object_get_int_member (o1, "packets_received"), ==, 10);

  /* a pair naming a candidate that is not in the reply counts for nothing */
  GstStructure *broken = reply_new ("relay", "host", "ice-candidate-remote_9");
  tc_call_stats_read (&stats, broken, 2000000);
  gst_structure_free (broken);
  g_assert_cmpstr (stats.local_candidate_type, ==, "");

  /* the selected pair */
  GstStructure *relay = reply_new ("relay", "prflx", "ice-candidate-remote_1");
  tc_call_stats_read (&stats, relay, 3000000);
  gst_structure_free (relay);
  g_assert_cmpstr (stats.local_candidate_type, ==, "relay");
  g_assert_cmpstr (stats.remote_candidate_type, ==, "prflx");
  g_autoptr(JsonObject) o2 = tc_call_stats_to_json (&stats);
  g_assert_cmpstr (json_type (o2, "local_candidate_type"), ==, "relay");
  g_assert_cmpstr (json_type (o2, "remote_candidate_type"), ==, "prflx");

  /* a later reply without a pair leaves them as they were */
  GstStructure *later = reply_new (NULL, NULL, NULL);
  tc_call_stats_read (&stats, later, 4000000);
  gst_structure_free (later);
  g_assert_cmpstr (stats.local_candidate_type, ==, "relay");
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Call/Stats/candidate-types", test_candidate_types);
  return g_test_run ();
}
