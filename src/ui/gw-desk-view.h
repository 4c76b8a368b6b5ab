/* gw-desk-view.h — the desk's "Cases" page: search and filter every case, see one's details
 *
 * The case list (GwCaseList) filtered by a search over title, address and case number
 * and by status or stage, class, department, cell, lateness and when it was received;
 * the selected case's details and stage timeline beside it. The list follows the store
 * (at most once a second) keeping the selection and the scroll position. Callers'
 * names and phones are masked unless gw-privacy.h allows them.
 */
#pragma once

#include <adwaita.h>

#include "gw-case-list.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_DESK_VIEW (gw_desk_view_get_type ())
G_DECLARE_FINAL_TYPE (GwDeskView, gw_desk_view, GW, DESK_VIEW, AdwBin)

GtkWidget  *gw_desk_view_new              (void);
void        gw_desk_view_set_store        (GwDeskView *self,
                                           GwStore    *store);
/* Wall mode (:wall) always masks personal data. */
void        gw_desk_view_set_wall         (GwDeskView *self,
                                           gboolean    wall);
gboolean    gw_desk_view_get_wall         (GwDeskView *self);
/* Puts the keyboard focus in the search entry (win.search). */
void        gw_desk_view_focus_search     (GwDeskView *self);
/* Applies a store change now rather than at the next tick (tests). */
void        gw_desk_view_refresh          (GwDeskView *self);

GwCaseList *gw_desk_view_get_case_list    (GwDeskView *self);
GtkEditable *gw_desk_view_get_search_entry (GwDeskView *self);
/* The reporter as the details show it ("" when none or nothing is selected). */
const char *gw_desk_view_get_reporter_text (GwDeskView *self);
/* Selects the case with @id if the list shows it. */
gboolean    gw_desk_view_select_id        (GwDeskView *self,
                                           const char *id);

G_END_DECLS
