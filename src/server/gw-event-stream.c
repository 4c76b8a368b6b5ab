/* gw-event-stream.c — one Server-Sent Events client of the change feed */

#include "gw-event-stream.h"

#define BACKLOG_CHUNK 500

struct _GwEventStream {
  GObject            parent_instance;

  GwDispatchDb      *db;
  SoupServerMessage *msg;     /* NULL once closed */
  gint64             last;    /* last seq sent */
  gboolean           in_flight;
};

G_DEFINE_FINAL_TYPE (GwEventStream, gw_event_stream, G_TYPE_OBJECT)

enum { CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
append_frame (GString    *out,
              gint64      seq,
              const char *json)
{
  g_string_append_printf (out, "id: %" G_GINT64_FORMAT "\nevent: incident\ndata: ", seq);
  g_string_append (out, json);
  g_string_append (out, "\n\n");
}

static void
send_text (GwEventStream *self,
           GString       *text)
{
  SoupMessageBody *body = soup_server_message_get_response_body (self->msg);
  gsize len = text->len;

  soup_message_body_append (body, SOUP_MEMORY_TAKE, g_string_free (text, FALSE), len);
  soup_server_message_unpause (self->msg);
}

static void
append_change_cb (gint64      seq,
                  const char *json,
                  gpointer    user_data)
{
  append_frame (user_data, seq, json);
}

/* Sends the next chunk of backlog from the database. */
static void
pump (GwEventStream *self)
{
  g_autoptr(GError) error = NULL;
  GString *out;

  if (self->msg == NULL || self->in_flight || self->last >= gw_dispatch_db_get_seq (self->db))
    return;

  out = g_string_new (NULL);
  self->last = gw_dispatch_db_foreach_change (self->db, self->last, BACKLOG_CHUNK,
                                              append_change_cb, out, &error);
  if (error != NULL)
    {
      /* Pruned while this client lagged: end it, and its reconnect gets 410. */
      g_debug ("Ending event stream at %" G_GINT64_FORMAT ": %s", self->last, error->message);
      g_string_free (out, TRUE);
      gw_event_stream_close (self);
      return;
    }
  self->in_flight = TRUE;
  send_text (self, out);
}

void
gw_event_stream_publish (GwEventStream *self,
                         gint64         seq,
                         const char    *change_json)
{
  GString *out;

  if (self->msg == NULL || seq <= self->last)
    return;
  if (seq != self->last + 1)
    {
      pump (self);
      return;
    }
  out = g_string_new (NULL);
  append_frame (out, seq, change_json);
  self->last = seq;
  send_text (self, out);
}

void
gw_event_stream_heartbeat (GwEventStream *self)
{
  if (self->msg != NULL)
    send_text (self, g_string_new (": heartbeat\n\n"));
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                GwEventStream     *self)
{
  self->in_flight = FALSE;
  pump (self);
}

static void
finished_cb (SoupServerMessage *msg,
             GwEventStream     *self)
{
  g_signal_handlers_disconnect_by_data (msg, self);
  self->msg = NULL;
  g_object_ref (self);
  g_signal_emit (self, signals[CLOSED], 0);
  g_object_unref (self);
}

void
gw_event_stream_close (GwEventStream *self)
{
  SoupServerMessage *msg = self->msg;

  if (msg == NULL)
    return;
  g_object_ref (self);
  finished_cb (msg, self);
  soup_message_body_complete (soup_server_message_get_response_body (msg));
  soup_server_message_unpause (msg);
  g_object_unref (self);
}

GwEventStream *
gw_event_stream_new (GwDispatchDb      *db,
                     SoupServerMessage *msg,
                     gint64             since)
{
  GwEventStream *self = g_object_new (GW_TYPE_EVENT_STREAM, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  self->db = g_object_ref (db);
  self->msg = msg;
  self->last = since;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (body, FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), self);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), self);

  /* An opening comment sends the headers at once, so clients know they are live. */
  send_text (self, g_string_new ("retry: 2000\n: connected\n\n"));
  pump (self);
  return self;
}

static void
gw_event_stream_dispose (GObject *object)
{
  GwEventStream *self = (GwEventStream *) object;

  if (self->msg != NULL)
    g_signal_handlers_disconnect_by_data (self->msg, self);
  self->msg = NULL;
  g_clear_object (&self->db);

  G_OBJECT_CLASS (gw_event_stream_parent_class)->dispose (object);
}

static void
gw_event_stream_class_init (GwEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gw_event_stream_dispose;

  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gw_event_stream_init (GwEventStream *self)
{
}
