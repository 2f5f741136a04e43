/* tg-call-quality.c — see tg-call-quality.h. */
#define G_LOG_DOMAIN "tg-call-quality"

#include "tg-call-quality.h"

#include <glib/gi18n.h>

TgCallQuality
tg_call_quality_grade (double rtt_ms,
                       double loss)
{
  gboolean have_rtt = rtt_ms >= 0, have_loss = loss >= 0;

  if (!have_rtt && !have_loss)
    return TG_CALL_QUALITY_UNKNOWN;
  if ((!have_rtt || rtt_ms <= TG_CALL_QUALITY_GOOD_RTT_MS) &&
      (!have_loss || loss <= TG_CALL_QUALITY_GOOD_LOSS))
    return TG_CALL_QUALITY_GOOD;
  if ((!have_rtt || rtt_ms <= TG_CALL_QUALITY_FAIR_RTT_MS) &&
      (!have_loss || loss <= TG_CALL_QUALITY_FAIR_LOSS))
    return TG_CALL_QUALITY_FAIR;
  return TG_CALL_QUALITY_POOR;
}

TgCallQuality
tg_call_quality_update (TgCallQualityMeter *meter,
                        const TcCallStats  *stats)
{
  g_return_val_if_fail (meter != NULL && stats != NULL, TG_CALL_QUALITY_UNKNOWN);

  double loss = -1;
  if (stats->packets_received >= 0 && stats->packets_lost >= 0)
    {
      gint64 received = stats->packets_received - (meter->have ? meter->received : 0);
      gint64 lost = stats->packets_lost - (meter->have ? meter->lost : 0);
      /* Totals go back to zero with a fresh peer connection. */
      if (received < 0 || lost < 0)
        {
          received = stats->packets_received;
          lost = stats->packets_lost;
        }
      if (received + lost > 0)
        loss = (double) MAX (lost, 0) / (double) (received + MAX (lost, 0));
      meter->received = stats->packets_received;
      meter->lost = stats->packets_lost;
      meter->have = TRUE;
    }
  return tg_call_quality_grade (stats->rtt_ms, loss);
}

const char *
tg_call_quality_label (TgCallQuality quality)
{
  switch (quality)
    {
    case TG_CALL_QUALITY_GOOD: return _("Good connection");
    case TG_CALL_QUALITY_FAIR: return _("Fair connection");
    case TG_CALL_QUALITY_POOR: return _("Poor connection");
    case TG_CALL_QUALITY_UNKNOWN:
    default: return "";
    }
}

const char *
tg_call_quality_css (TgCallQuality quality)
{
  switch (quality)
    {
    case TG_CALL_QUALITY_GOOD: return "success";
    case TG_CALL_QUALITY_FAIR: return "warning";
    case TG_CALL_QUALITY_POOR: return "error";
    case TG_CALL_QUALITY_UNKNOWN:
    default: return NULL;
    }
}
