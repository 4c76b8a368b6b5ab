/* gw-dispatch-feed.c — keeps a GwStore current from a Dispatch API server */

#include "gw-dispatch-feed.h"

#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "gw-codec.h"
#include "gw-sse-parser.h"

#define READ_CHUNK              (64 * 1024)
#define MAX_EVENT_BYTES         (1024 * 1024)
#define MAX_PAGE_BYTES          (64 * 1024 * 1024)
#define FAILURES_BEFORE_POLLING 3
#define STREAM_RETRY_SECONDS    60

typedef enum {
  PHASE_IDLE,
  PHASE_REFERENCE,
  PHASE_SNAPSHOT,
  PHASE_STREAM,
  PHASE_POLL,
} Phase;

struct _GwDispatchFeed {
  GwFeed         parent_instance;

  GCancellable  *cancellable;   /* everything in flight; replaced on restart */
  Phase          phase;
  gint64         seq;           /* feed position the store has reached */
  gboolean       have_snapshot; /* the store holds a snapshot we may resume from */

  /* reference data */
  char          *etags[3];
  GPtrArray     *reference[3];  /* NULL until fetched */
  guint          reference_pending;

  /* snapshot paging: the ids its pages held so far (NULL: no snapshot loading) */
  GHashTable    *snapshot;
  gint64         snapshot_seq;
  GPtrArray     *held_back;     /* GwIncident*: the new snapshot while an old picture shows */
  guint          swap_id;       /* puts held_back into the store, a part a turn */
  guint          swap_pos;

  /* the event stream */
  GInputStream  *stream;
  GwSseParser   *parser;
  GPtrArray     *frames;        /* char* change JSON waiting for the parser thread */
  gboolean       parsing;
  guint          stall_id;
  guint          stall_seconds;
  guint          failures;      /* stream failures in a row */
  gboolean       got_event;     /* this connection delivered something */

  /* polling fallback */
  gboolean       polling;
  guint          poll_id;
  guint          poll_seconds;
  gint64         polling_since; /* monotonic µs when polling began */
};

G_DEFINE_FINAL_TYPE (GwDispatchFeed, gw_dispatch_feed, GW_TYPE_FEED)

enum {
  PROP_0,
  PROP_STALL_SECONDS,
  PROP_POLL_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *reference_paths[3] = { "cells", "departments", "classes" };

static void fetch_reference   (GwDispatchFeed *self);
static void fetch_page        (GwDispatchFeed *self,
                               const char     *cursor);
static void open_stream       (GwDispatchFeed *self);
static void poll_changes      (GwDispatchFeed *self);
static void stream_failed     (GwDispatchFeed *self,
                               const char     *message);

static SoupMessage *
new_request (GwDispatchFeed *self,
             const char     *path_and_query)
{
  g_autofree char *uri = g_strconcat (gw_feed_get_url (GW_FEED (self)), "/api/v1/",
                                      path_and_query, NULL);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, uri);

  if (msg == NULL)
    return NULL;
  gw_feed_prepare_message (GW_FEED (self), msg);
  return msg;
}

/* A failed exchange in plain words: the problem's detail when the server sent one. */
static char *
describe_failure (SoupMessage *msg,
                  GBytes      *body,
                  GError      *error)
{
  guint status;

  if (error != NULL)
    return g_strdup_printf ("Cannot reach the server: %s", error->message);
  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_strdup ("The server refused the access token (401)");
  if (body != NULL && g_bytes_get_size (body) > 0 && g_bytes_get_size (body) < 4096)
    {
      g_autoptr(JsonNode) node = gw_json_parse (g_bytes_get_data (body, NULL),
                                                g_bytes_get_size (body), NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          const char *detail = json_object_get_string_member_with_default (
            json_node_get_object (node), "detail", NULL);
          if (detail != NULL)
            return g_strdup_printf ("The server answered %u: %s", status, detail);
        }
    }
  return g_strdup_printf ("The server answered %u %s", status,
                          soup_status_get_phrase (status) ?: "");
}

static void
restart (GwDispatchFeed *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->stall_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->snapshot, g_hash_table_unref);
  g_clear_pointer (&self->held_back, g_ptr_array_unref);
  g_clear_handle_id (&self->swap_id, g_source_remove);
  g_ptr_array_set_size (self->frames, 0);
  /* A parse in flight was cancelled with the rest: its result never comes. */
  self->parsing = FALSE;
  if (self->parser != NULL)
    gw_sse_parser_reset (self->parser);
}

static void
begin (GwDispatchFeed *self)
{
  restart (self);
  fetch_reference (self);
}

static gboolean
retry_cb (gpointer user_data)
{
  begin (user_data);
  return G_SOURCE_REMOVE;
}

/* Any failure before the stream: start over after a back-off. */
static void
fail (GwDispatchFeed *self,
      const char     *message)
{
  restart (self);
  self->phase = PHASE_IDLE;
  gw_feed_set_error (GW_FEED (self), message);
  gw_feed_schedule_retry (GW_FEED (self), retry_cb);
}

/* ---- reference data ---------------------------------------------------- */

typedef struct {
  GwDispatchFeed *self;
  SoupMessage    *msg;
  guint           which;
} RefRequest;

static void
parse_reference_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GBytes *body = task_data;
  guint which = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "which"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = gw_json_parse (g_bytes_get_data (body, NULL),
                                            g_bytes_get_size (body), &error);
  gpointer (*decode) (JsonNode *, GError **) =
    which == 0 ? (gpointer) gw_cell_from_json
    : which == 1 ? (gpointer) gw_department_from_json : (gpointer) gw_incident_class_from_json;
  GDestroyNotify free_func =
    which == 0 ? (GDestroyNotify) gw_cell_unref
    : which == 1 ? (GDestroyNotify) gw_department_unref : (GDestroyNotify) gw_incident_class_unref;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  JsonArray *array = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      JsonNode *list = json_object_get_member (obj, which == 0 ? "features" : "items");
      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        array = json_node_get_array (list);
    }
  if (array == NULL)
    {
      g_task_return_new_error (task, GW_CODEC_ERROR, GW_CODEC_ERROR_WRONG_TYPE,
                               "%s: %s", reference_paths[which],
                               error ? error->message : "not a list");
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = decode (json_array_get_element (array, i), &error);
      if (item == NULL)
        {
          g_task_return_new_error (task, GW_CODEC_ERROR, error->code, "%s[%u].%s",
                                   reference_paths[which], i, error->message);
          return;
        }
      g_ptr_array_add (items, item);
    }
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static void
reference_parsed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (object);
  guint which = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  GPtrArray *items = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Malformed reference data: %s", error->message);
      fail (self, message);
      return;
    }
  g_clear_pointer (&self->reference[which], g_ptr_array_unref);
  self->reference[which] = items;
  if (--self->reference_pending == 0)
    {
      gw_store_set_reference (gw_feed_get_store (GW_FEED (self)), self->reference[0],
                              self->reference[1], self->reference[2]);
      if (self->have_snapshot)
        open_stream (self);
      else
        fetch_page (self, NULL);
    }
}

static void
reference_sent_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RefRequest *req = user_data;
  GwDispatchFeed *self = req->self;
  g_autoptr(SoupMessage) msg = req->msg;
  guint which = req->which;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  guint status = soup_message_get_status (msg);
  g_autoptr(GTask) task = NULL;

  g_free (req);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  if (status == SOUP_STATUS_NOT_MODIFIED && self->reference[which] != NULL)
    {
      /* Unchanged: keep what we have. */
      g_ptr_array_ref (self->reference[which]);
      task = g_task_new (self, self->cancellable, reference_parsed_cb, GUINT_TO_POINTER (which));
      g_task_return_pointer (task, self->reference[which], (GDestroyNotify) g_ptr_array_unref);
    }
  else if (error != NULL || status != SOUP_STATUS_OK)
    {
      g_autofree char *message = describe_failure (msg, body, error);
      fail (self, message);
    }
  else
    {
      const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "ETag");
      g_free (self->etags[which]);
      self->etags[which] = g_strdup (etag);
      task = g_task_new (self, self->cancellable, reference_parsed_cb, GUINT_TO_POINTER (which));
      g_object_set_data (G_OBJECT (task), "which", GUINT_TO_POINTER (which));
      g_task_set_task_data (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (task, parse_reference_thread);
    }
  g_object_unref (self);
}

static void
fetch_reference (GwDispatchFeed *self)
{
  self->phase = PHASE_REFERENCE;
  if (gw_feed_get_state (GW_FEED (self)) != GW_FEED_STATE_RECONNECTING)
    gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_CONNECTING);
  self->reference_pending = G_N_ELEMENTS (reference_paths);

  for (guint i = 0; i < G_N_ELEMENTS (reference_paths); i++)
    {
      RefRequest *req = g_new0 (RefRequest, 1);

      req->self = g_object_ref (self);
      req->which = i;
      req->msg = new_request (self, reference_paths[i]);
      if (req->msg == NULL)
        {
          g_object_unref (self);
          g_free (req);
          fail (self, "The server address is not a valid URL");
          return;
        }
      if (self->etags[i] != NULL && self->reference[i] != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (req->msg),
                                      "If-None-Match", self->etags[i]);
      soup_session_send_and_read_async (gw_feed_get_session (GW_FEED (self)), req->msg,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        reference_sent_cb, req);
    }
}

/* ---- snapshot ---------------------------------------------------------- */

typedef struct {
  GPtrArray *incidents;
  char      *next_cursor;
  gint64     seq;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->incidents, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

/* Decodes one page and drops its JSON tree before returning: memory stays one page. */
static void
parse_page_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GBytes *body = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = gw_json_parse (g_bytes_get_data (body, NULL),
                                            g_bytes_get_size (body), &error);
  Page *page;
  JsonObject *obj;
  JsonNode *items, *cursor, *seq;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !(items = json_object_get_member (obj = json_node_get_object (root), "items")) ||
      !JSON_NODE_HOLDS_ARRAY (items) ||
      !(seq = json_object_get_member (obj, "seq")) || json_node_get_value_type (seq) != G_TYPE_INT64 ||
      !(cursor = json_object_get_member (obj, "next_cursor")) ||
      !(JSON_NODE_HOLDS_NULL (cursor) || json_node_get_value_type (cursor) == G_TYPE_STRING))
    {
      g_task_return_new_error (task, GW_CODEC_ERROR, GW_CODEC_ERROR_WRONG_TYPE,
                               "(root): not an incident page");
      return;
    }

  page = g_new0 (Page, 1);
  page->seq = json_node_get_int (seq);
  page->next_cursor = JSON_NODE_HOLDS_NULL (cursor) ? NULL : json_node_dup_string (cursor);
  page->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (items)); i++)
    {
      GwIncident *incident = gw_incident_from_json (
        json_array_get_element (json_node_get_array (items), i), &error);
      if (incident == NULL)
        {
          g_task_return_new_error (task, GW_CODEC_ERROR, error->code, "items[%u].%s", i,
                                   error->message);
          page_free (page);
          return;
        }
      g_ptr_array_add (page->incidents, incident);
    }
  g_task_return_pointer (task, page, (GDestroyNotify) page_free);
}

typedef struct {
  GHashTable   *held;
  GwStoreBatch *batch;
} RemoveUnheld;

static void
remove_unheld_cb (gpointer data,
                  gpointer user_data)
{
  GwIncident *incident = data;
  RemoveUnheld *unheld = user_data;

  if (!g_hash_table_contains (unheld->held, incident->id))
    gw_store_batch_remove (unheld->batch, incident->id);
}

/* The snapshot is whole in the store: the cases it does not hold go, and the feed
 * follows the server from the snapshot's position. */
static void
finish_snapshot (GwDispatchFeed *self)
{
  GwStore *store = gw_feed_get_store (GW_FEED (self));
  g_autoptr(GHashTable) held = g_steal_pointer (&self->snapshot);
  RemoveUnheld unheld = { held, gw_store_batch_new () };

  /* The store holds every case of the snapshot: if it holds no more, none go. */
  if (gw_store_get_n_incidents (store) > g_hash_table_size (held))
    gw_store_foreach (store, remove_unheld_cb, &unheld);
  gw_store_batch_set_loading (unheld.batch, TRUE);
  gw_store_batch_set_seq (unheld.batch, self->snapshot_seq);
  self->seq = self->snapshot_seq;
  gw_store_apply (store, unheld.batch);
  self->have_snapshot = TRUE;
  gw_feed_set_synced (GW_FEED (self), TRUE);
  open_stream (self);
}

/* The old picture stayed untouched while the new snapshot loaded; now that it is whole
 * it goes in a part per main-loop turn, so no turn takes long. */
static gboolean
swap_step_cb (gpointer user_data)
{
  GwDispatchFeed *self = user_data;

  if (!gw_store_apply_part (gw_feed_get_store (GW_FEED (self)), self->held_back, &self->swap_pos))
    return G_SOURCE_CONTINUE;
  self->swap_id = 0;
  g_clear_pointer (&self->held_back, g_ptr_array_unref);
  finish_snapshot (self);
  return G_SOURCE_REMOVE;
}

static void
page_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (object);
  GwStore *store = gw_feed_get_store (GW_FEED (self));
  g_autoptr(GError) error = NULL;
  Page *page = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->snapshot == NULL)
    {
      g_clear_pointer (&page, page_free);
      return;
    }
  if (page == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Malformed snapshot page: %s", error->message);
      fail (self, message);
      return;
    }

  if (self->snapshot_seq < 0)
    self->snapshot_seq = page->seq;
  for (guint i = 0; i < page->incidents->len; i++)
    g_hash_table_add (self->snapshot,
                      g_strdup (((GwIncident *) g_ptr_array_index (page->incidents, i))->id));
  if (self->held_back != NULL)
    for (guint i = 0; i < page->incidents->len; i++)
      g_ptr_array_add (self->held_back, gw_incident_ref (g_ptr_array_index (page->incidents, i)));
  else
    {
      /* No picture to keep: each page goes into the store as it comes, and the wall
       * fills while a large snapshot loads. */
      guint pos = 0;

      while (!gw_store_apply_part (store, page->incidents, &pos))
        ;
    }
  gw_feed_touch (GW_FEED (self));

  if (page->next_cursor != NULL)
    fetch_page (self, page->next_cursor);
  else if (self->held_back != NULL)
    self->swap_id = g_idle_add (swap_step_cb, self);
  else
    finish_snapshot (self);
  page_free (page);
}

static void
parse_pool_cb (gpointer data,
               gpointer user_data)
{
  GTask *task = data;
  static gsize niced;

  /* Parsing a page is the heaviest work of a load: at a lower priority it cannot take a
   * core from the main loop when the cores are busy. The pool has one thread of its own,
   * so nothing else runs niced. */
  if (g_once_init_enter (&niced))
    {
#ifdef __linux__
      setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
      g_once_init_leave (&niced, 1);
    }
  parse_page_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                     g_task_get_cancellable (task));
  g_object_unref (task);
}

static void
run_parse (GTask *task)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (parse_pool_cb, NULL, 1, TRUE, NULL));
  g_thread_pool_push (pool, task, NULL);
}

static void
page_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GwDispatchFeed *self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  g_autoptr(GTask) task = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (error != NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autofree char *message = describe_failure (msg, body, error);
      fail (self, message);
    }
  else if (g_bytes_get_size (body) > MAX_PAGE_BYTES)
    fail (self, "A snapshot page was larger than 64 MiB");
  else
    {
      task = g_task_new (self, self->cancellable, page_parsed_cb, NULL);
      g_task_set_task_data (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
      run_parse (g_steal_pointer (&task));
    }
  g_object_unref (self);
}

static void
fetch_page (GwDispatchFeed *self,
            const char     *cursor)
{
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("incidents?limit=1000%s%s",
                                           cursor ? "&cursor=" : "", cursor ? escaped : "");
  g_autoptr(SoupMessage) msg = new_request (self, path);

  if (cursor == NULL)
    {
      self->phase = PHASE_SNAPSHOT;
      g_clear_pointer (&self->snapshot, g_hash_table_unref);
      self->snapshot = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      self->snapshot_seq = -1;
      /* An old picture stays as it is until the new snapshot is whole. */
      g_clear_pointer (&self->held_back, g_ptr_array_unref);
      if (gw_store_get_n_incidents (gw_feed_get_store (GW_FEED (self))) > 0)
        self->held_back = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
      self->swap_pos = 0;
      if (gw_feed_get_state (GW_FEED (self)) != GW_FEED_STATE_RECONNECTING)
        gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_CONNECTING);
    }
  soup_session_send_and_read_async (gw_feed_get_session (GW_FEED (self)), msg,
                                    G_PRIORITY_DEFAULT, self->cancellable,
                                    page_sent_cb, g_object_ref (self));
}

/* ---- changes: shared by the stream and polling ------------------------- */

typedef struct {
  GPtrArray *incidents;
  gint64     seq;
} Changes;

static void
changes_free (Changes *changes)
{
  g_ptr_array_unref (changes->incidents);
  g_free (changes);
}

static void
parse_changes_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GPtrArray *frames = task_data;
  Changes *changes = g_new0 (Changes, 1);

  changes->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < frames->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = gw_json_parse (g_ptr_array_index (frames, i), -1, &error);
      GwIncident *incident = NULL;
      gint64 seq = 0;

      if (node == NULL || !(incident = gw_change_from_json (node, &seq, &error)))
        {
          /* Apply what came before the bad one; the caller resumes after it. */
          g_object_set_data_full (G_OBJECT (task), "error", g_strdup (error->message), g_free);
          break;
        }
      g_ptr_array_add (changes->incidents, incident);
      changes->seq = MAX (changes->seq, seq);
    }
  g_task_return_pointer (task, changes, (GDestroyNotify) changes_free);
}

static void parse_frames (GwDispatchFeed *self);

static void
changes_parsed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (object);
  g_autoptr(GError) error = NULL;
  Changes *changes = g_task_propagate_pointer (G_TASK (result), &error);
  const char *bad = g_object_get_data (G_OBJECT (result), "error");

  if (changes == NULL)
    return;  /* cancelled */
  self->parsing = FALSE;

  if (changes->incidents->len > 0)
    {
      GwStoreBatch *batch = gw_store_batch_new ();

      for (guint i = 0; i < changes->incidents->len; i++)
        gw_store_batch_upsert (batch, g_ptr_array_index (changes->incidents, i));
      gw_store_batch_set_seq (batch, changes->seq);
      self->seq = MAX (self->seq, changes->seq);
      gw_store_apply (gw_feed_get_store (GW_FEED (self)), batch);
    }
  changes_free (changes);

  if (bad != NULL)
    {
      g_autofree char *message = g_strdup_printf ("A malformed change arrived: %s", bad);
      stream_failed (self, message);
      return;
    }
  if (self->frames->len > 0)
    parse_frames (self);
  else if (self->phase == PHASE_STREAM)
    gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_LIVE);
}

/* Hands the queued frames to a worker; one batch in flight keeps them in order. */
static void
parse_frames (GwDispatchFeed *self)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *frames;

  if (self->parsing || self->frames->len == 0)
    return;
  frames = g_steal_pointer (&self->frames);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->parsing = TRUE;
  task = g_task_new (self, self->cancellable, changes_parsed_cb, NULL);
  g_task_set_task_data (task, frames, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, parse_changes_thread);
}

/* ---- the event stream -------------------------------------------------- */

static void
event_cb (const char *id,
          const char *type,
          const char *data,
          gsize       len,
          gpointer    user_data)
{
  GwDispatchFeed *self = user_data;

  if (strcmp (type, "incident") == 0)
    g_ptr_array_add (self->frames, g_strndup (data, len));
  self->got_event = TRUE;
}

static void
comment_cb (const char *comment,
            gpointer    user_data)
{
  GwDispatchFeed *self = user_data;

  /* The opening comment and heartbeats prove the stream alive when nothing happens. */
  self->got_event = TRUE;
}

static gboolean
stall_cb (gpointer user_data)
{
  GwDispatchFeed *self = user_data;
  g_autofree char *message = g_strdup_printf ("The event stream went silent for %u s",
                                              self->stall_seconds);

  self->stall_id = 0;
  stream_failed (self, message);
  return G_SOURCE_REMOVE;
}

static void
arm_stall_timer (GwDispatchFeed *self)
{
  g_clear_handle_id (&self->stall_id, g_source_remove);
  self->stall_id = g_timeout_add_seconds (self->stall_seconds, stall_cb, self);
}

static gboolean
stream_retry_cb (gpointer user_data)
{
  open_stream (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
poll_cb (gpointer user_data)
{
  GwDispatchFeed *self = user_data;

  self->poll_id = 0;
  poll_changes (self);
  return G_SOURCE_REMOVE;
}

static void
stream_failed (GwDispatchFeed *self,
               const char     *message)
{
  restart (self);
  gw_feed_set_error (GW_FEED (self), message);

  if (!self->got_event)
    self->failures++;
  self->got_event = FALSE;
  if (self->failures >= FAILURES_BEFORE_POLLING)
    {
      /* Some networks break long streams: keep current by polling instead. */
      self->polling = TRUE;
      self->polling_since = g_get_monotonic_time ();
      self->phase = PHASE_POLL;
      gw_feed_reset_backoff (GW_FEED (self));
      gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_CATCHING_UP);
      poll_changes (self);
      return;
    }
  self->phase = PHASE_IDLE;
  gw_feed_schedule_retry (GW_FEED (self), stream_retry_cb);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GwDispatchFeed *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      G_INPUT_STREAM (object) != self->stream)
    {
      g_object_unref (self);
      return;
    }
  if (error != NULL || g_bytes_get_size (bytes) == 0)
    {
      g_autofree char *message = error ? g_strdup_printf ("The event stream broke: %s",
                                                          error->message)
                                       : g_strdup ("The server closed the event stream");
      stream_failed (self, message);
      g_object_unref (self);
      return;
    }

  if (!gw_sse_parser_feed (self->parser, g_bytes_get_data (bytes, NULL),
                           g_bytes_get_size (bytes), &error))
    {
      g_autofree char *message = g_strdup_printf ("The event stream is broken: %s",
                                                  error->message);
      stream_failed (self, message);
      g_object_unref (self);
      return;
    }

  arm_stall_timer (self);
  gw_feed_touch (GW_FEED (self));
  if (self->got_event)
    {
      self->failures = 0;
      gw_feed_reset_backoff (GW_FEED (self));
      gw_feed_set_error (GW_FEED (self), NULL);
      if (!self->parsing && self->frames->len == 0)
        gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_LIVE);
    }
  parse_frames (self);
  g_input_stream_read_bytes_async (self->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, self);
}

static void
stream_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GwDispatchFeed *self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result,
                                                             &error);
  guint status = msg ? soup_message_get_status (msg) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (status == SOUP_STATUS_GONE)
    {
      /* Too far behind: a new snapshot, while the old picture stays on screen. */
      gw_feed_set_error (GW_FEED (self), "Too far behind the server; loading a new snapshot");
      self->have_snapshot = FALSE;
      begin (self);
    }
  else if (error != NULL || status != SOUP_STATUS_OK)
    {
      g_autoptr(GBytes) body = NULL;
      g_autofree char *message = NULL;

      if (stream != NULL)
        body = g_input_stream_read_bytes (stream, 4096, NULL, NULL);
      message = describe_failure (msg, body, error);
      stream_failed (self, message);
    }
  else
    {
      self->stream = g_steal_pointer (&stream);
      self->phase = PHASE_STREAM;
      gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_CATCHING_UP);
      arm_stall_timer (self);
      g_input_stream_read_bytes_async (self->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                       self->cancellable, read_cb, g_object_ref (self));
    }
  g_object_unref (self);
}

static void
open_stream (GwDispatchFeed *self)
{
  g_autofree char *path = g_strdup_printf ("events?since=%" G_GINT64_FORMAT, self->seq);
  g_autoptr(SoupMessage) msg = NULL;

  restart (self);
  self->polling = FALSE;
  self->got_event = FALSE;
  msg = new_request (self, path);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "text/event-stream");
  /* The stream is long-lived: the session's request timeout must not cut it. */
  soup_session_send_async (gw_feed_get_session (GW_FEED (self)), msg, G_PRIORITY_DEFAULT,
                           self->cancellable, stream_sent_cb, g_object_ref (self));
}

/* ---- polling fallback -------------------------------------------------- */

static void
poll_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GwDispatchFeed *self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;
  guint status = soup_message_get_status (msg);
  guint delay = self->poll_seconds;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (status == SOUP_STATUS_GONE)
    {
      self->have_snapshot = FALSE;
      self->polling = FALSE;
      begin (self);
      g_object_unref (self);
      return;
    }

  if (error == NULL && status == SOUP_STATUS_OK)
    root = gw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), "items");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        items = json_node_get_array (node);
    }

  if (items == NULL)
    {
      g_autofree char *message = describe_failure (msg, body, error);
      gw_feed_set_error (GW_FEED (self), message);
      gw_feed_schedule_retry (GW_FEED (self), poll_cb);
      g_object_unref (self);
      return;
    }

  gw_feed_reset_backoff (GW_FEED (self));
  gw_feed_set_error (GW_FEED (self), NULL);
  gw_feed_touch (GW_FEED (self));
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_ptr_array_add (self->frames, json_to_string (json_array_get_element (items, i), FALSE));
  parse_frames (self);

  /* A full page means more is waiting; otherwise wait, or try streaming again. */
  if (json_array_get_length (items) >= 1000)
    delay = 0;
  else
    gw_feed_set_state (GW_FEED (self), GW_FEED_STATE_LIVE);
  if (delay > 0 && g_get_monotonic_time () - self->polling_since > STREAM_RETRY_SECONDS * G_USEC_PER_SEC)
    {
      self->failures = FAILURES_BEFORE_POLLING - 1;
      open_stream (self);
    }
  else
    self->poll_id = g_timeout_add_seconds (delay, poll_cb, self);
  g_object_unref (self);
}

static void
poll_changes (GwDispatchFeed *self)
{
  /* Follow what has been handed to the parser too, so nothing is asked for twice. */
  g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=1000",
                                           self->seq);
  g_autoptr(SoupMessage) msg = NULL;

  if (self->parsing || self->frames->len > 0)
    {
      self->poll_id = g_timeout_add (100, poll_cb, self);
      return;
    }
  msg = new_request (self, path);
  soup_session_send_and_read_async (gw_feed_get_session (GW_FEED (self)), msg,
                                    G_PRIORITY_DEFAULT, self->cancellable,
                                    poll_sent_cb, g_object_ref (self));
}

/* ---- GwFeed ------------------------------------------------------------ */

static void
gw_dispatch_feed_start (GwFeed *feed)
{
  begin (GW_DISPATCH_FEED (feed));
}

static void
gw_dispatch_feed_stop (GwFeed *feed)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (feed);

  restart (self);
  self->phase = PHASE_IDLE;
  self->parsing = FALSE;
}

GwDispatchFeed *
gw_dispatch_feed_new (GwStore    *store,
                      const char *url,
                      const char *token)
{
  return g_object_new (GW_TYPE_DISPATCH_FEED, "store", store, "url", url, "token", token, NULL);
}

gboolean
gw_dispatch_feed_is_polling (GwDispatchFeed *self)
{
  return self->polling;
}

static void
gw_dispatch_feed_resume (GwFeed *feed,
                         gint64  seq)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (feed);

  /* The feed replays what changed since; a 410 falls back to a snapshot. */
  self->seq = seq;
  self->have_snapshot = TRUE;
}

static void
gw_dispatch_feed_dispose (GObject *object)
{
  GwDispatchFeed *self = (GwDispatchFeed *) object;

  if (self->cancellable != NULL)
    restart (self);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gw_dispatch_feed_parent_class)->dispose (object);
}

static void
gw_dispatch_feed_finalize (GObject *object)
{
  GwDispatchFeed *self = (GwDispatchFeed *) object;

  for (guint i = 0; i < G_N_ELEMENTS (self->etags); i++)
    {
      g_free (self->etags[i]);
      g_clear_pointer (&self->reference[i], g_ptr_array_unref);
    }
  g_clear_pointer (&self->parser, gw_sse_parser_free);
  g_clear_pointer (&self->frames, g_ptr_array_unref);

  G_OBJECT_CLASS (gw_dispatch_feed_parent_class)->finalize (object);
}

static void
gw_dispatch_feed_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (object);

  switch (prop_id)
    {
    case PROP_STALL_SECONDS:
      g_value_set_uint (value, self->stall_seconds);
      break;
    case PROP_POLL_SECONDS:
      g_value_set_uint (value, self->poll_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_dispatch_feed_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GwDispatchFeed *self = GW_DISPATCH_FEED (object);

  switch (prop_id)
    {
    case PROP_STALL_SECONDS:
      self->stall_seconds = g_value_get_uint (value);
      break;
    case PROP_POLL_SECONDS:
      self->poll_seconds = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_dispatch_feed_class_init (GwDispatchFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GwFeedClass *feed_class = GW_FEED_CLASS (klass);

  object_class->dispose = gw_dispatch_feed_dispose;
  object_class->finalize = gw_dispatch_feed_finalize;
  object_class->get_property = gw_dispatch_feed_get_property;
  object_class->set_property = gw_dispatch_feed_set_property;
  feed_class->start = gw_dispatch_feed_start;
  feed_class->stop = gw_dispatch_feed_stop;
  feed_class->resume = gw_dispatch_feed_resume;

  /* Three missed 15 s heartbeats mean the stream is dead. */
  properties[PROP_STALL_SECONDS] =
    g_param_spec_uint ("stall-seconds", NULL, NULL, 1, 3600, 45,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_SECONDS] =
    g_param_spec_uint ("poll-seconds", NULL, NULL, 1, 3600, 5,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_dispatch_feed_init (GwDispatchFeed *self)
{
  self->cancellable = g_cancellable_new ();
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->parser = gw_sse_parser_new (MAX_EVENT_BYTES, event_cb, comment_cb, self);
}
