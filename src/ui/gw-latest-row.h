/* gw-latest-row.h — one line of the latest-cases list, drawn in snapshot()
 *
 * A title over a dimmer subtitle, each one line and ellipsized, and a red "Late" at the
 * right when the case is late. It measures its height from the font alone, so new text
 * only redraws it: the list updates every second on the wall without a relayout, and
 * thirty of them cost a fraction of AdwActionRows with their labels and boxes.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GW_TYPE_LATEST_ROW (gw_latest_row_get_type ())
G_DECLARE_FINAL_TYPE (GwLatestRow, gw_latest_row, GW, LATEST_ROW, GtkWidget)

GtkWidget  *gw_latest_row_new            (void);
/* Changes what the row shows (for the case @incident_id); redraws only when something
 * differs. */
void        gw_latest_row_set            (GwLatestRow *self,
                                          const char  *incident_id,
                                          const char  *title,
                                          const char  *subtitle,
                                          gboolean     late);
const char *gw_latest_row_get_incident_id (GwLatestRow *self);
const char *gw_latest_row_get_title      (GwLatestRow *self);
const char *gw_latest_row_get_subtitle   (GwLatestRow *self);
gboolean    gw_latest_row_get_late       (GwLatestRow *self);
/* Whether the title or subtitle is cut short at the current width. */
gboolean    gw_latest_row_is_ellipsized  (GwLatestRow *self);

G_END_DECLS
