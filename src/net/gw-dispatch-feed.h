/* gw-dispatch-feed.h — keeps a GwStore current from a Dispatch API server
 *
 * Reference data with ETags, then a paged snapshot parsed on a worker thread, then the
 * SSE change feed resumed by Last-Event-ID. A stream that stays silent past its
 * heartbeat is treated as dead; repeated stream failures fall back to polling
 * /changes, and 410 takes a new snapshot while the old picture stays on screen.
 */
#pragma once

#include "gw-feed.h"

G_BEGIN_DECLS

#define GW_TYPE_DISPATCH_FEED (gw_dispatch_feed_get_type ())
G_DECLARE_FINAL_TYPE (GwDispatchFeed, gw_dispatch_feed, GW, DISPATCH_FEED, GwFeed)

/* @url is the server's base, e.g. "http://127.0.0.1:8411"; @token may be NULL. */
GwDispatchFeed *gw_dispatch_feed_new          (GwStore        *store,
                                               const char     *url,
                                               const char     *token);
/* Whether the feed currently polls /changes instead of streaming. */
gboolean        gw_dispatch_feed_is_polling   (GwDispatchFeed *self);

G_END_DECLS
