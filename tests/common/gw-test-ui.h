/* gw-test-ui.h — fixtures shared by the UI tests
 *
 * Start-up, main-context waits, widget look-ups, renders of a map view after its
 * tile workers have finished, and hand-made cases and departments with known answers.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-application.h"
#include "gw-incident.h"
#include "gw-map-view.h"
#include "gw-stats-view.h"
#include "gw-test-dispatchd.h"
#include "gw-test-image.h"
#include "gw-window.h"

G_BEGIN_DECLS

typedef gboolean (*GwTestReadyFunc) (gpointer data);

void          gw_test_ui_init             (int             *argc,
                                           char          ***argv);
void          gw_test_ui_drain            (guint            msec);
void          gw_test_ui_settle           (GtkWidget       *widget,
                                           GwTestReadyFunc  ready,
                                           gpointer         data);
GtkWidget    *gw_test_ui_find_by_class    (GtkWidget       *root,
                                           const char      *css_class);
GwMapView    *gw_test_ui_map_view_new     (GwStore         *store,
                                           int              width,
                                           int              height,
                                           GtkWidget      **window);
GwTestImage  *gw_test_ui_render_on_window (GtkWidget       *window,
                                           GtkWidget       *widget,
                                           const char      *name);
GwTestImage  *gw_test_ui_render_map       (GtkWidget       *window,
                                           GwMapView       *view,
                                           int              width,
                                           int              height,
                                           const char      *name);
void          gw_test_ui_location_to_view (GwMapView       *view,
                                           double           lon,
                                           double           lat,
                                           double          *x,
                                           double          *y);
GwIncident   *gw_test_incident_new        (const char      *id,
                                           const char      *title,
                                           const char      *dept,
                                           const GwTime    *times,
                                           guint            n_times,
                                           GwTime           deadline);
GwStore      *gw_test_stats_store_new     (guint            n_departments);

GwStatsView  *gw_test_stats_view_new      (GwStore         *store,
                                           GwTime           now,
                                           int              width,
                                           int              height,
                                           guint           *computed,
                                           GtkWidget      **window);
void          gw_test_stats_wait_computed (guint           *computed,
                                           guint            n);

GwApplication *gw_test_ui_start_app       (int                *argc,
                                           char             ***argv,
                                           const char * const *args,
                                           GwTestDispatchd   **server,
                                           GwWindow          **window);
void           gw_test_ui_stop_app        (GwApplication      *app,
                                           GwTestDispatchd    *server,
                                           GwWindow           *window);

G_END_DECLS
