/* gw-history-fetch.h — a past period's incidents from a Dispatch API server
 *
 * For replaying a past day: pages through GET /api/v1/incidents?from=…&to=… (receipt
 * time in [from, to)), each page parsed in a worker thread and its JSON tree dropped
 * before the next one is asked for, into one array of GwIncident. The request goes out
 * through the feed's session with its credentials. Open311 sources keep no history by
 * day: they fail at once with GW_HISTORY_FETCH_ERROR_UNSUPPORTED.
 */
#pragma once

#include "gw-feed.h"

G_BEGIN_DECLS

#define GW_HISTORY_FETCH_ERROR (gw_history_fetch_error_quark ())

typedef enum {
  GW_HISTORY_FETCH_ERROR_UNSUPPORTED,  /* the source has no history by day (Open311) */
  GW_HISTORY_FETCH_ERROR_SERVER,       /* unreachable, or it answered with an error */
  GW_HISTORY_FETCH_ERROR_MALFORMED,    /* a page that is not an incident page */
  GW_HISTORY_FETCH_ERROR_TOO_LARGE,    /* past GW_HISTORY_FETCH_MAX_INCIDENTS */
} GwHistoryFetchError;

/* A cap so a wrong range cannot fill the memory of a wall that runs for months. */
#define GW_HISTORY_FETCH_MAX_INCIDENTS 500000

GQuark     gw_history_fetch_error_quark (void);

/* Fetches every incident received in [@from, @to) from @feed's server. The messages of
 * the errors are plain words for the UI. */
void       gw_history_fetch_async       (GwFeed               *feed,
                                         GwTime                from,
                                         GwTime                to,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
/* The incidents (GwIncident*, in the server's order), or NULL with @error set. */
GPtrArray *gw_history_fetch_finish      (GwFeed               *feed,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
