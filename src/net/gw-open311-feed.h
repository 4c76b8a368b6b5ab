/* gw-open311-feed.h — a GwFeed that reads an Open311 GeoReport v2 endpoint
 *
 * Start loads services.{json,xml}, then every page of requests (page/page_size inside
 * start_date/end_date windows), parses each page on a worker thread, and applies the
 * whole picture to the store as one snapshot once it is complete. After that it polls
 * requests with updated_after=<the latest updated_datetime seen> every poll-seconds and
 * applies what changed. "url" is the endpoint base, e.g. http://host/open311/v2.
 */
#pragma once

#include "gw-feed.h"

G_BEGIN_DECLS

#define GW_TYPE_OPEN311_FEED (gw_open311_feed_get_type ())
G_DECLARE_FINAL_TYPE (GwOpen311Feed, gw_open311_feed, GW, OPEN311_FEED, GwFeed)

GwOpen311Feed *gw_open311_feed_new           (GwStore       *store,
                                              const char    *url);

/* Polls at once instead of waiting for the timer; ignored until the first snapshot is
 * in or while a load is running. */
void           gw_open311_feed_poll_now      (GwOpen311Feed *self);

/* The latest updated_datetime seen, GW_TIME_NONE before the first snapshot. */
GwTime         gw_open311_feed_get_watermark (GwOpen311Feed *self);
/* Bad records left out since start (each one logged once per page). */
guint          gw_open311_feed_get_skipped   (GwOpen311Feed *self);

G_END_DECLS
