/* tg-call-quality.h — the connection quality the call page shows (good,
 * fair, poor), graded from the call engine's statistics: the round-trip
 * time and the share of packets lost since the previous reading.
 *
 *   good  rtt ≤ 150 ms and loss ≤ 2 %
 *   fair  rtt ≤ 400 ms and loss ≤ 8 %
 *   poor  otherwise
 *
 * A figure that is not known yet (rtt −1, no packets in the interval)
 * does not count; with neither known the quality is unknown. */
#pragma once

#include <glib.h>

#include "tc-call-stats.h"

G_BEGIN_DECLS

typedef enum {
  TG_CALL_QUALITY_UNKNOWN,
  TG_CALL_QUALITY_GOOD,
  TG_CALL_QUALITY_FAIR,
  TG_CALL_QUALITY_POOR,
} TgCallQuality;

#define TG_CALL_QUALITY_GOOD_RTT_MS  150.0
#define TG_CALL_QUALITY_FAIR_RTT_MS  400.0
#define TG_CALL_QUALITY_GOOD_LOSS    0.02
#define TG_CALL_QUALITY_FAIR_LOSS    0.08

/* @rtt_ms < 0 and @loss < 0 mean unknown.  Never fails. */
TgCallQuality tg_call_quality_grade (double rtt_ms,
                                     double loss);

/* The packet totals of the previous reading, for the loss in between. */
typedef struct {
  gint64 received;
  gint64 lost;
  gboolean have;
} TgCallQualityMeter;

/* Grades @stats (a fresh reading) against the previous one kept in
 * @meter, and keeps this one.  Never fails. */
TgCallQuality tg_call_quality_update (TgCallQualityMeter *meter,
                                      const TcCallStats  *stats);

/* "Good connection", … (translated); "" for unknown. */
const char   *tg_call_quality_label (TgCallQuality quality);
/* The style class of the indicator: "success", "warning", "error", or
 * NULL. */
const char   *tg_call_quality_css   (TgCallQuality quality);

G_END_DECLS
