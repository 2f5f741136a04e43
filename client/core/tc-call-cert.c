/* tc-call-cert.c — generate the DTLS certificate early: creating one
 * dtlsdec makes GStreamer generate (once per process) the certificate
 * every later DTLS transport reuses. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-cert.h"

#include <gst/gst.h>

static GMutex lock;
static GCond cond;
static gboolean started;
static gboolean done;

static gpointer
warm_up_thread (gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  GstElement *dec = gst_element_factory_make ("dtlsdec", NULL);

  if (dec != NULL)
    gst_object_unref (gst_object_ref_sink (dec));
  g_debug ("DTLS certificate ready after %" G_GINT64_FORMAT " ms",
           (g_get_monotonic_time () - start) / 1000);

  g_mutex_lock (&lock);
  done = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  return NULL;
}

void
tc_call_cert_warm_up (void)
{
  g_mutex_lock (&lock);
  if (!started)
    {
      started = TRUE;
      g_thread_unref (g_thread_new ("tc-call-cert", warm_up_thread, NULL));
    }
  g_mutex_unlock (&lock);
}

gboolean
tc_call_cert_wait (guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean ready;

  tc_call_cert_warm_up ();
  g_mutex_lock (&lock);
  while (!done)
    if (!g_cond_wait_until (&cond, &lock, end))
      break;
  ready = done;
  g_mutex_unlock (&lock);
  return ready;
}
