/* gw-event-stream.h — one Server-Sent Events client of the change feed
 *
 * Replays the backlog from the database in bounded chunks, then forwards live changes;
 * a slow client never makes the server buffer more than one backlog chunk for it.
 */
#pragma once

#include <libsoup/soup.h>

#include "gw-dispatch-db.h"

G_BEGIN_DECLS

#define GW_TYPE_EVENT_STREAM (gw_event_stream_get_type ())
G_DECLARE_FINAL_TYPE (GwEventStream, gw_event_stream, GW, EVENT_STREAM, GObject)

/* Starts streaming on @msg every change after @since. Emits ::closed when it ends. */
GwEventStream *gw_event_stream_new       (GwDispatchDb      *db,
                                          SoupServerMessage *msg,
                                          gint64             since);
void           gw_event_stream_publish   (GwEventStream     *self,
                                          gint64             seq,
                                          const char        *change_json);
void           gw_event_stream_heartbeat (GwEventStream     *self);
void           gw_event_stream_close     (GwEventStream     *self);

G_END_DECLS
