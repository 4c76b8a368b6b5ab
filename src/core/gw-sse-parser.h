/* gw-sse-parser.h — incremental Server-Sent Events parser (WHATWG "event stream")
 *
 * Fed arbitrary byte chunks; calls back once per complete event. Lines may end in
 * CR, LF or CRLF, split anywhere across chunks. An event larger than the limit is an
 * error rather than unbounded memory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GwSseParser GwSseParser;

/* @id is the event's id, or the last one seen (may be NULL); @type defaults to "message". */
typedef void (*GwSseEventFunc)   (const char *id,
                                  const char *type,
                                  const char *data,
                                  gsize       data_len,
                                  gpointer    user_data);
/* Called for each comment line (without the colon), e.g. heartbeats. */
typedef void (*GwSseCommentFunc) (const char *comment,
                                  gpointer    user_data);

GwSseParser *gw_sse_parser_new          (gsize             max_event_size,
                                         GwSseEventFunc    on_event,
                                         GwSseCommentFunc  on_comment,
                                         gpointer          user_data);
void         gw_sse_parser_free         (GwSseParser      *self);
/* Returns FALSE (with G_IO_ERROR_MESSAGE_TOO_LARGE or G_IO_ERROR_INVALID_DATA) if the
 * stream is broken; the parser must then be reset or discarded. */
gboolean     gw_sse_parser_feed         (GwSseParser      *self,
                                         const char       *data,
                                         gsize             len,
                                         GError          **error);
/* Drops any partial event, as after a reconnect (a new stream, which may start with a
 * byte-order mark again). Keeps the last event id. */
void         gw_sse_parser_reset        (GwSseParser      *self);
const char  *gw_sse_parser_get_last_id  (GwSseParser      *self);
/* The "retry:" reconnection time in ms, or -1 if none was sent. */
gint64       gw_sse_parser_get_retry    (GwSseParser      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwSseParser, gw_sse_parser_free)

G_END_DECLS
