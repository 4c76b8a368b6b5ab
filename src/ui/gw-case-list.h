/* gw-case-list.h — a sortable list of cases (GtkColumnView)
 *
 * Shows a given array of GwIncident* with one row per case and the columns id, title,
 * department, cell, received (local time), stage and late. Every column sorts by a
 * click on its header (received: newest first by default). Department and cell names
 * come from the store's reference data when a store is set, else the ids are shown.
 *
 * Activating a row (double click, Enter) emits ::incident-activated with the case. The
 * list never changes the incidents it shows; set_incidents replaces the whole list.
 *
 * Column ids (for gw_case_list_sort_by and gw_case_list_get_text): "id", "title",
 * "department", "cell", "received", "stage", "late".
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-incident.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_CASE_LIST (gw_case_list_get_type ())
G_DECLARE_FINAL_TYPE (GwCaseList, gw_case_list, GW, CASE_LIST, GtkWidget)

GtkWidget     *gw_case_list_new            (void);

/* For department and cell names (may be NULL). Takes a reference. */
void           gw_case_list_set_store      (GwCaseList  *self,
                                            GwStore     *store);
GwStore       *gw_case_list_get_store      (GwCaseList  *self);

/* Shows @incidents (GwIncident*; NULL or empty: an empty list). Copies the array and
 * takes references, so the caller may change or free it afterwards. */
void           gw_case_list_set_incidents  (GwCaseList  *self,
                                            GPtrArray   *incidents);
/* Live updates: replaces (or adds) the rows of the cases in @upsert (GwIncident*, by
 * id) and removes the rows of the ids in @remove (char*); other rows, the selection and
 * the scroll position stay. */
void           gw_case_list_update         (GwCaseList  *self,
                                            GPtrArray   *upsert,
                                            GPtrArray   *remove);
/* The instant "late" is judged at; GW_TIME_NONE (the default): the current time when
 * the incidents are set. */
void           gw_case_list_set_now        (GwCaseList  *self,
                                            GwTime       now);

/* Rows in display (sorted) order. */
guint          gw_case_list_get_n_items    (GwCaseList  *self);
GwIncident    *gw_case_list_get_item       (GwCaseList  *self,
                                            guint        position);
/* The selected case (borrowed), or NULL. Notifies "selected" when it changes. */
GwIncident    *gw_case_list_get_selected   (GwCaseList  *self);
void           gw_case_list_select         (GwCaseList  *self,
                                            guint        position);

/* Sorts as a click on the header would. FALSE for an unknown column id. */
gboolean       gw_case_list_sort_by        (GwCaseList  *self,
                                            const char  *column_id,
                                            GtkSortType  order);
/* The text the cell shows (new string), or NULL for an unknown column id. */
char          *gw_case_list_get_text       (GwCaseList  *self,
                                            guint        position,
                                            const char  *column_id);

/* Emits ::incident-activated for the row at @position, as activating it would. */
void           gw_case_list_activate       (GwCaseList  *self,
                                            guint        position);

GtkColumnView *gw_case_list_get_column_view (GwCaseList *self);

G_END_DECLS
