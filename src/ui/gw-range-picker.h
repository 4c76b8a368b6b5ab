/* gw-range-picker.h — the statistics range: today, this shift, 7 days, 30 days, custom
 *
 * A drop-down of the ranges; "Custom…" opens a popover with two calendars (from, to,
 * both days included, local time). Apply validates the dates (from ≤ to, at most 366
 * days, not starting after today) and says what is wrong in the popover rather than
 * closing it; a popover closed without a valid range goes back to the range before.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-time.h"

G_BEGIN_DECLS

typedef enum {
  GW_STATS_RANGE_TODAY,
  GW_STATS_RANGE_SHIFT,
  GW_STATS_RANGE_7_DAYS,
  GW_STATS_RANGE_30_DAYS,
  GW_STATS_RANGE_CUSTOM,
  GW_N_STATS_RANGES
} GwStatsRange;

/* [from, to) of @range at @now, and the previous range of the same length. Not for
 * GW_STATS_RANGE_CUSTOM (whose bounds are gw_range_picker_get_custom's). */
void gw_stats_range_get_bounds (GwStatsRange range,
                                GwTime       now,
                                GwTime      *from,
                                GwTime      *to,
                                GwTime      *prev_from,
                                GwTime      *prev_to);

#define GW_STATS_CUSTOM_MAX_DAYS 366

/* Checks a custom range of whole local days [@from_day, @to_day] (the time of day is
 * ignored) as of @today, and gives its bounds [*from, *to). FALSE with a message for
 * people in @error (G_IO_ERROR_INVALID_ARGUMENT) when it is not valid. */
gboolean gw_stats_custom_range_validate (GDateTime  *from_day,
                                         GDateTime  *to_day,
                                         GDateTime  *today,
                                         GwTime     *from,
                                         GwTime     *to,
                                         GError    **error);

#define GW_TYPE_RANGE_PICKER (gw_range_picker_get_type ())
G_DECLARE_FINAL_TYPE (GwRangePicker, gw_range_picker, GW, RANGE_PICKER, GtkWidget)

GtkWidget    *gw_range_picker_new        (void);

/* GW_STATS_RANGE_CUSTOM selects the custom range set last (none yet: opens the
 * popover). Notifies "range". */
void          gw_range_picker_set_range  (GwRangePicker *self,
                                          GwStatsRange   range);
GwStatsRange  gw_range_picker_get_range  (GwRangePicker *self);

/* Validates as gw_stats_custom_range_validate() (as of the current date) and, when
 * valid, selects it; notifies "range" and "custom-from"/"custom-to". */
gboolean      gw_range_picker_set_custom (GwRangePicker *self,
                                          GDateTime     *from_day,
                                          GDateTime     *to_day,
                                          GError       **error);
/* The custom range's bounds [from, to); GW_TIME_NONE before one is set. */
void          gw_range_picker_get_custom (GwRangePicker *self,
                                          GwTime        *from,
                                          GwTime        *to);

/* The popover's parts, for tests: the calendars, Apply and the error label. */
GtkPopover   *gw_range_picker_get_popover (GwRangePicker *self);
GtkCalendar  *gw_range_picker_get_calendar (GwRangePicker *self,
                                            gboolean       to);
void          gw_range_picker_apply       (GwRangePicker *self);
const char   *gw_range_picker_get_error   (GwRangePicker *self);

G_END_DECLS
