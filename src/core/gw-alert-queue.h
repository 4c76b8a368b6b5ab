/* gw-alert-queue.h — when the wall should call out: new urgent cases, cases turning late
 *
 * Fed with the store's ::changed batches and a clock tick, both with the time passed in so
 * the policy is exact under test. It raises one alert per case and kind, reminds of
 * unacknowledged ones every repeat-interval, keeps sounds quiet when muted or in quiet
 * hours, and lets at most burst-limit alerts a minute through one by one: the rest wait,
 * counted, so the banner can summarise them ("12 more cases turned late").
 *
 * Start-up is quiet: the first snapshot (or anything passed to gw_alert_queue_load()) is
 * taken as the baseline, and a case that is already late when first seen never "turns" late.
 */
#pragma once

#include <glib-object.h>

#include "gw-incident.h"
#include "gw-store.h"

G_BEGIN_DECLS

typedef enum {
  GW_ALERT_URGENT,  /* a new urgent or critical case */
  GW_ALERT_LATE,    /* an open case passed its deadline */
  GW_N_ALERT_KINDS
} GwAlertKind;

#define GW_TYPE_ALERT (gw_alert_get_type ())

typedef struct {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  guint        id;           /* unique within its queue, from 1 */
  GwAlertKind  kind;
  char        *incident_id;
  char        *title;        /* the case's title when raised */
  GwTime       time;         /* when raised */
  /*< private >*/
  GwTime       next_reminder;
  gboolean     announced;    /* shown on its own at least once (not only summarised) */
} GwAlert;

GType    gw_alert_get_type (void) G_GNUC_CONST;
GwAlert *gw_alert_ref      (GwAlert *self);
void     gw_alert_unref    (GwAlert *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwAlert, gw_alert_unref)

#define GW_TYPE_ALERT_QUEUE (gw_alert_queue_get_type ())
G_DECLARE_FINAL_TYPE (GwAlertQueue, gw_alert_queue, GW, ALERT_QUEUE, GObject)

/* How new an urgent case must be (received this recently) to be announced when it first
 * appears in a later snapshot or history load rather than the live feed. */
#define GW_ALERT_FRESH_WINDOW (60 * GW_USEC_PER_MIN)
/* The window the burst limit counts in. */
#define GW_ALERT_BURST_WINDOW GW_USEC_PER_MIN

GwAlertQueue *gw_alert_queue_new             (void);

/* Takes @incidents (GwIncident*) as the known picture without raising anything. */
void          gw_alert_queue_load            (GwAlertQueue  *self,
                                              GPtrArray     *incidents,
                                              GwTime         now);
/* Feeds one store change (call from GwStore::changed). */
void          gw_alert_queue_handle_change   (GwAlertQueue  *self,
                                              GwStoreChange *change,
                                              GwTime         now);
/* Cases whose deadline passed, reminders that are due. Call about once a second. */
void          gw_alert_queue_tick            (GwAlertQueue  *self,
                                              GwTime         now);

gboolean      gw_alert_queue_acknowledge     (GwAlertQueue  *self,
                                              guint          alert_id);
void          gw_alert_queue_acknowledge_all (GwAlertQueue  *self);

/* Unacknowledged alerts, oldest first (new array of new references). */
GPtrArray    *gw_alert_queue_list_pending    (GwAlertQueue  *self);
guint         gw_alert_queue_get_n_pending   (GwAlertQueue  *self);
/* The pending alert with @alert_id, or NULL once acknowledged or dropped. */
GwAlert      *gw_alert_queue_lookup          (GwAlertQueue  *self,
                                              guint          alert_id);
/* The latest alert announced on its own that is still pending, or NULL. */
GwAlert      *gw_alert_queue_get_current     (GwAlertQueue  *self);
/* Pending alerts of @kind held back by the burst limit and never shown on their own. */
guint         gw_alert_queue_get_n_summarised (GwAlertQueue *self,
                                               GwAlertKind   kind);

/* Quiet hours as "HH:MM" local times (start after end crosses midnight; equal means none).
 * Returns FALSE with an error, keeping the previous setting, for anything else. */
gboolean      gw_alert_queue_set_quiet_hours (GwAlertQueue  *self,
                                              const char    *start,
                                              const char    *end,
                                              GError       **error);
/* The zone quiet hours are read in; local by default. */
void          gw_alert_queue_set_time_zone   (GwAlertQueue  *self,
                                              GTimeZone     *tz);
gboolean      gw_alert_queue_is_quiet        (GwAlertQueue  *self,
                                              GwTime         now);

G_END_DECLS
