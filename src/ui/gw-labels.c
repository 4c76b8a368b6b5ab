/* gw-labels.c — the words users read for the domain's enumerations */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-labels.h"

const char *
gw_stage_get_label (GwStage stage)
{
  /* Stage names follow GB/T 30428.8; translators: use the standard's terms. */
  static const char *labels[GW_N_STAGES] = {
    [GW_STAGE_RECEIVED] = N_("Received"),
    [GW_STAGE_REGISTERED] = N_("Registered"),
    [GW_STAGE_DISPATCHED] = N_("Dispatched"),
    [GW_STAGE_ON_SITE] = N_("On site"),
    [GW_STAGE_REPORTED_DONE] = N_("Reported done"),
    [GW_STAGE_CLOSED] = N_("Closed"),
    [GW_STAGE_EVALUATED] = N_("Evaluated"),
    [GW_STAGE_REWORK] = N_("Rework"),
    [GW_STAGE_EXTENDED] = N_("Extended"),
    [GW_STAGE_PARKED] = N_("Parked"),
    [GW_STAGE_RETURNED] = N_("Returned"),
    [GW_STAGE_APPEAL] = N_("Appeal"),
  };

  g_return_val_if_fail (stage < GW_N_STAGES, NULL);
  return _(labels[stage]);
}

const char *
gw_source_get_label (GwSource source)
{
  static const char *labels[GW_N_SOURCES] = {
    [GW_SOURCE_HOTLINE] = N_("12345 hotline"),
    [GW_SOURCE_PATROL] = N_("Grid patrol"),
    [GW_SOURCE_VIDEO] = N_("Video"),
    [GW_SOURCE_APP] = N_("App"),
    [GW_SOURCE_OTHER] = N_("Other"),
  };

  g_return_val_if_fail (source < GW_N_SOURCES, NULL);
  return _(labels[source]);
}

const char *
gw_priority_get_label (GwPriority priority)
{
  static const char *labels[GW_N_PRIORITIES] = {
    [GW_PRIORITY_NORMAL] = N_("Normal"),
    [GW_PRIORITY_URGENT] = N_("Urgent"),
    [GW_PRIORITY_CRITICAL] = N_("Critical"),
  };

  g_return_val_if_fail (priority < GW_N_PRIORITIES, NULL);
  return _(labels[priority]);
}

char *
gw_format_duration (GwTime usec)
{
  gint64 min = ABS (usec) / GW_USEC_PER_MIN;

  if (min < 1)
    /* Translators: a duration under a minute */
    return g_strdup (_("< 1 min"));
  if (min < 60)
    return g_strdup_printf (_("%d min"), (int) min);
  if (min < 48 * 60)
    return g_strdup_printf (_("%d h %02d min"), (int) (min / 60), (int) (min % 60));
  return g_strdup_printf (_("%d d %d h"), (int) (min / (24 * 60)), (int) (min / 60 % 24));
}
