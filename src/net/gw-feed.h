/* gw-feed.h — base class of the sources that fill a GwStore
 *
 * A feed keeps the store current from one server and exposes its connection state as
 * properties the UI binds to. Subclasses do the protocol; this class holds the state,
 * the data age, the last error in plain words and the back-off schedule.
 */
#pragma once

#include <libsoup/soup.h>

#include "gw-store.h"

G_BEGIN_DECLS

typedef enum {
  GW_FEED_STATE_OFFLINE,      /* not started, or stopped */
  GW_FEED_STATE_CONNECTING,   /* first contact or loading a snapshot */
  GW_FEED_STATE_CATCHING_UP,  /* replaying missed changes */
  GW_FEED_STATE_LIVE,         /* current */
  GW_FEED_STATE_RECONNECTING, /* lost contact; see retry-at */
} GwFeedState;

const char *gw_feed_state_to_string (GwFeedState state);

#define GW_TYPE_FEED (gw_feed_get_type ())
G_DECLARE_DERIVABLE_TYPE (GwFeed, gw_feed, GW, FEED, GObject)

struct _GwFeedClass {
  GObjectClass parent_class;

  void (*start)  (GwFeed *self);
  void (*stop)   (GwFeed *self);
  /* Optional: continue from feed position @seq instead of a new snapshot. */
  void (*resume) (GwFeed *self,
                  gint64  seq);
};

/* A session fit for a feed: enough connections for a stream beside requests. */
SoupSession *gw_feed_new_session     (void);

void         gw_feed_start           (GwFeed      *self);
void         gw_feed_stop            (GwFeed      *self);

/* The store already holds a picture from the disk cache, saved at @saved_at at feed
 * position @seq: count it as synced, with its age, and resume from it where the
 * protocol allows. Call before gw_feed_start(). */
void         gw_feed_restore         (GwFeed      *self,
                                      gint64       seq,
                                      GwTime       saved_at);

GwStore     *gw_feed_get_store       (GwFeed      *self);
const char  *gw_feed_get_url         (GwFeed      *self);
SoupSession *gw_feed_get_session     (GwFeed      *self);
GwFeedState  gw_feed_get_state       (GwFeed      *self);
/* Wall-clock time (µs) the state was entered. */
GwTime       gw_feed_get_state_since (GwFeed      *self);
/* Wall-clock time (µs) of the next reconnection attempt, or 0. */
GwTime       gw_feed_get_retry_at    (GwFeed      *self);
/* Wall-clock time (µs) the data was last known to be current, or 0 if never. */
GwTime       gw_feed_get_data_time   (GwFeed      *self);
/* The last error in plain words, or NULL after a success. */
const char  *gw_feed_get_last_error  (GwFeed      *self);
/* Whether a complete snapshot has ever been applied (from the server or the cache). */
gboolean     gw_feed_get_synced      (GwFeed      *self);

/* For subclasses. */
void         gw_feed_set_state       (GwFeed      *self,
                                      GwFeedState  state);
void         gw_feed_set_synced      (GwFeed      *self,
                                      gboolean     synced);
/* Marks the data current now. */
void         gw_feed_touch           (GwFeed      *self);
/* Records a failure in plain words; NULL clears the error. */
void         gw_feed_set_error       (GwFeed      *self,
                                      const char  *message);
/* Enters RECONNECTING and calls @func (its return value is ignored) after an exponential back-off with jitter
 * (1 s doubling to 60 s); returns the delay in ms. gw_feed_reset_backoff() after a
 * success. */
guint        gw_feed_schedule_retry  (GwFeed      *self,
                                      GSourceFunc  func);
void         gw_feed_reset_backoff   (GwFeed      *self);
void         gw_feed_cancel_retry    (GwFeed      *self);
/* Adds the Authorization header (when the feed has a token) and the client
 * certificate (when it has one) to @msg. */
void         gw_feed_prepare_message (GwFeed      *self,
                                      SoupMessage *msg);

G_END_DECLS
