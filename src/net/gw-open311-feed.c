/* gw-open311-feed.c — a GwFeed that reads an Open311 GeoReport v2 endpoint
 *
 * One load runs at a time: either the snapshot (services, then requests window by
 * window and page by page) or a poll (requests updated after the watermark, paged).
 * Pages are parsed on a worker thread; the main thread only merges the copied-out
 * records, so the wall never stalls on a big city's backlog.
 */
#include "config.h"

#include "gw-open311-feed.h"

#include <string.h>

#include "gw-open311.h"

#define DEFAULT_POLL_SECONDS  60
#define DEFAULT_PAGE_SIZE     100
#define DEFAULT_WINDOW_DAYS   90  /* GeoReport v2's own limit on a start_date/end_date span */
#define SERVER_ERROR_PREFIX   "the server reported an error: "  /* gw-open311.c's wording */
#define MAX_PAGES             10000  /* per window: a server that pages forever is cut off */

struct _GwOpen311Feed {
  GwFeed           parent_instance;

  char            *api_key;
  char            *jurisdiction_id;
  guint            poll_seconds;
  guint            page_size;
  GwOpen311Format  format;
  int              time_offset;
  GwTime           start_date;
  guint            window_days;

  GCancellable    *cancellable;  /* NULL while stopped */
  gpointer         load;         /* the Load in flight, borrowed; NULL when idle */
  guint            poll_id;
  GwTime           watermark;
  guint            skipped;

  /* Reference data: classes of services.json first, then codes only requests named. */
  GPtrArray       *classes;      /* GwIncidentClass* */
  GPtrArray       *departments;  /* GwDepartment* */
  GHashTable      *class_codes;  /* code → borrowed */
  GHashTable      *department_ids;
};

G_DEFINE_FINAL_TYPE (GwOpen311Feed, gw_open311_feed, GW_TYPE_FEED)

enum {
  PROP_0,
  PROP_API_KEY,
  PROP_JURISDICTION_ID,
  PROP_POLL_SECONDS,
  PROP_PAGE_SIZE,
  PROP_FORMAT,
  PROP_TIME_OFFSET,
  PROP_START_DATE,
  PROP_WINDOW_DAYS,
  PROP_WATERMARK,
  PROP_SKIPPED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- one load ---------------------------------------------------------------- */

typedef enum { PHASE_SERVICES, PHASE_REQUESTS } Phase;

typedef struct {
  GwOpen311Feed *self;
  GCancellable  *cancellable;
  gboolean       poll;
  Phase          phase;
  SoupMessage   *msg;
  guint          page;
  GwTime         window_start;  /* GW_TIME_NONE: no window parameters */
  GwTime         window_end;
  GwTime         until;         /* the last window ends here */
  GHashTable    *incidents;     /* id → GwIncident*, the newest version seen */
  GPtrArray     *classes;       /* from this load */
  GPtrArray     *departments;
  GwTime         max_updated;
} Load;

static void fetch (Load *load);

static void
load_free (Load *load)
{
  if (load->self->load == load)
    load->self->load = NULL;
  g_clear_object (&load->msg);
  g_clear_object (&load->cancellable);
  g_clear_pointer (&load->incidents, g_hash_table_unref);
  g_clear_pointer (&load->classes, g_ptr_array_unref);
  g_clear_pointer (&load->departments, g_ptr_array_unref);
  g_clear_object (&load->self);
  g_free (load);
}

static Load *
load_new (GwOpen311Feed *self, gboolean poll)
{
  Load *load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->cancellable = g_object_ref (self->cancellable);
  load->poll = poll;
  load->phase = poll ? PHASE_REQUESTS : PHASE_SERVICES;
  load->page = 1;
  load->incidents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) gw_incident_unref);
  load->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  load->departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  self->load = load;
  return load;
}

static const char *
format_name (GwOpen311Format format)
{
  return format == GW_OPEN311_FORMAT_XML ? "xml" : "json";
}

static void
add_param (GString *query, const char *name, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
}

static void
add_time_param (GString *query, const char *name, GwTime t)
{
  g_autofree char *text = gw_time_format (t);
  add_param (query, name, text);
}

static char *
build_url (Load *load)
{
  GwOpen311Feed *self = load->self;
  g_autofree char *base = g_strdup (gw_feed_get_url (GW_FEED (self)));
  g_autoptr(GString) query = g_string_new (NULL);
  const char *endpoint = load->phase == PHASE_SERVICES ? "services" : "requests";

  /* "http://host/open311/v2/" and ".../v2" mean the same endpoint. */
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  add_param (query, "jurisdiction_id", self->jurisdiction_id);
  add_param (query, "api_key", self->api_key);
  if (load->phase == PHASE_REQUESTS)
    {
      g_autofree char *page = g_strdup_printf ("%u", load->page);
      g_autofree char *page_size = g_strdup_printf ("%u", self->page_size);
      add_param (query, "extensions", "true");
      if (load->poll)
        {
          if (self->watermark != GW_TIME_NONE)
            add_time_param (query, "updated_after", self->watermark);
        }
      else if (load->window_start != GW_TIME_NONE)
        {
          add_time_param (query, "start_date", load->window_start);
          add_time_param (query, "end_date", load->window_end);
        }
      add_param (query, "page", page);
      add_param (query, "page_size", page_size);
    }
  return g_strdup_printf ("%s/%s.%s%s%s", base, endpoint, format_name (self->format),
                          query->len > 0 ? "?" : "", query->str);
}

/* Ends the load with @message in plain words and tries again after the back-off. */
static gboolean snapshot_retry_cb (gpointer user_data);
static gboolean poll_retry_cb (gpointer user_data);

static void
fail (Load *load, const char *message)
{
  GwOpen311Feed *self = load->self;
  gboolean poll = load->poll;

  load_free (load);
  gw_feed_set_error (GW_FEED (self), message);
  gw_feed_schedule_retry (GW_FEED (self), poll ? poll_retry_cb : snapshot_retry_cb);
}

/* ---- parsing on a worker thread ------------------------------------------------ */

typedef struct {
  GBytes           *bytes;
  GwOpen311Format   format;
  GwOpen311Options  options;
  gboolean          services;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job);
}

static void
parse_thread_cb (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GError *error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (job->bytes, &length);
  GwOpen311Result *result;

  if (job->services)
    result = gw_open311_parse_services (data, length, job->format, &job->options, &error);
  else
    result = gw_open311_parse_requests (data, length, job->format, &job->options, &error);
  /* The records are copied out; the body need not wait for the main thread. */
  g_clear_pointer (&job->bytes, g_bytes_unref);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) gw_open311_result_free);
}

/* ---- merging ------------------------------------------------------------------- */

static void
merge_reference (Load *load, GwOpen311Result *result)
{
  for (guint i = 0; i < result->classes->len; i++)
    g_ptr_array_add (load->classes, gw_incident_class_ref (result->classes->pdata[i]));
  for (guint i = 0; i < result->departments->len; i++)
    g_ptr_array_add (load->departments, gw_department_ref (result->departments->pdata[i]));
}

/* Adds what this load found to the feed's reference data; TRUE if anything was new. */
static gboolean
update_reference (GwOpen311Feed *self, Load *load, gboolean replace)
{
  gboolean changed = replace;

  if (replace)
    {
      g_ptr_array_set_size (self->classes, 0);
      g_ptr_array_set_size (self->departments, 0);
      g_hash_table_remove_all (self->class_codes);
      g_hash_table_remove_all (self->department_ids);
    }
  for (guint i = 0; i < load->classes->len; i++)
    {
      GwIncidentClass *klass = load->classes->pdata[i];
      if (g_hash_table_contains (self->class_codes, klass->code))
        continue;
      g_ptr_array_add (self->classes, gw_incident_class_ref (klass));
      g_hash_table_insert (self->class_codes, klass->code, klass);
      changed = TRUE;
    }
  for (guint i = 0; i < load->departments->len; i++)
    {
      GwDepartment *dep = load->departments->pdata[i];
      if (g_hash_table_contains (self->department_ids, dep->id))
        continue;
      g_ptr_array_add (self->departments, gw_department_ref (dep));
      g_hash_table_insert (self->department_ids, dep->id, dep);
      changed = TRUE;
    }
  return changed;
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  GwOpen311Feed *self = user_data;

  self->poll_id = 0;
  gw_open311_feed_poll_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GwOpen311Feed *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_id = g_timeout_add_seconds (self->poll_seconds, poll_timeout_cb, self);
}

static void
finish (Load *load)
{
  GwOpen311Feed *self = load->self;
  GwFeed *feed = GW_FEED (self);
  GwStore *store = gw_feed_get_store (feed);
  g_autoptr(GwStoreBatch) batch = gw_store_batch_new ();
  GHashTableIter iter;
  gpointer value;

  /* Reference data first, so views that react to ::changed find every class. */
  if (update_reference (self, load, !load->poll))
    {
      g_autoptr(GPtrArray) cells = g_ptr_array_new ();
      gw_store_set_reference (store, cells, self->departments, self->classes);
    }

  g_hash_table_iter_init (&iter, load->incidents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    gw_store_batch_upsert (batch, value);
  /* The old picture stays until this complete one replaces it. */
  gw_store_batch_set_snapshot (batch, !load->poll);
  gw_store_apply (store, g_steal_pointer (&batch));

  if (load->max_updated > self->watermark)
    {
      self->watermark = load->max_updated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATERMARK]);
    }
  load_free (load);

  gw_feed_reset_backoff (feed);
  gw_feed_set_error (feed, NULL);
  gw_feed_set_synced (feed, TRUE);
  gw_feed_touch (feed);
  gw_feed_set_state (feed, GW_FEED_STATE_LIVE);
  schedule_poll (self);
}

static void
log_skipped (GwOpen311Feed *self, GwOpen311Result *result)
{
  if (result->n_skipped == 0)
    return;
  self->skipped += result->n_skipped;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIPPED]);
  g_message ("%s: left out %u of %u records; %s", gw_feed_get_url (GW_FEED (self)),
             result->n_skipped, result->n_records,
             result->warnings->len > 0 ? (char *) result->warnings->pdata[0] : "");
}

/* The next window of the snapshot, or FALSE after the last. */
static gboolean
next_window (Load *load)
{
  if (load->window_start == GW_TIME_NONE || load->window_end >= load->until)
    return FALSE;
  load->window_start = load->window_end;
  load->window_end = MIN (load->until,
                          load->window_start + (GwTime) load->self->window_days * 24 * GW_USEC_PER_HOUR);
  load->page = 1;
  return TRUE;
}

static void
parse_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Load *load = user_data;
  GwOpen311Feed *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwOpen311Result) result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_cancellable_is_cancelled (load->cancellable))
    {
      load_free (load);
      return;
    }
  if (result == NULL)
    {
      fail (load, error->message);
      return;
    }

  log_skipped (self, result);
  merge_reference (load, result);
  if (load->phase == PHASE_SERVICES)
    {
      load->phase = PHASE_REQUESTS;
      load->page = 1;
      load->until = gw_time_now ();
      if (self->start_date != GW_TIME_NONE && self->start_date < load->until)
        {
          load->window_start = self->start_date;
          load->window_end = MIN (load->until, self->start_date +
                                  (GwTime) self->window_days * 24 * GW_USEC_PER_HOUR);
        }
      fetch (load);
      return;
    }

  /* Servers that ignore page answer the same page again: stop when nothing is new. */
  guint fresh = 0;
  for (guint i = 0; i < result->incidents->len; i++)
    {
      GwIncident *inc = result->incidents->pdata[i];
      GwIncident *old = g_hash_table_lookup (load->incidents, inc->id);
      if (old == NULL)
        fresh++;
      if (old == NULL || old->seq < inc->seq)
        g_hash_table_replace (load->incidents, inc->id, gw_incident_ref (inc));
    }
  load->max_updated = MAX (load->max_updated, result->max_updated);

  gboolean more = result->n_records >= self->page_size && fresh > 0 && load->page < MAX_PAGES;
  if (more)
    load->page++;
  if (more || next_window (load))
    fetch (load);
  else
    finish (load);
}

/* ---- HTTP ---------------------------------------------------------------------- */

static char *
host_of (GwOpen311Feed *self)
{
  g_autoptr(GUri) uri = g_uri_parse (gw_feed_get_url (GW_FEED (self)), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (gw_feed_get_url (GW_FEED (self)));
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
fetch_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Load *load = user_data;
  GwOpen311Feed *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &error);

  if (g_cancellable_is_cancelled (load->cancellable))
    {
      load_free (load);
      return;
    }
  if (bytes == NULL)
    {
      g_autofree char *host = host_of (self);
      g_autofree char *message = g_strdup_printf ("cannot reach host %s: %s", host, error->message);
      fail (load, message);
      return;
    }

  guint status = soup_message_get_status (load->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* Open311 servers explain 4xx answers in an error list; say what it says. */
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);
      g_autoptr(GError) why = NULL;
      g_autoptr(GwOpen311Result) ignored = gw_open311_parse_requests (data, length, self->format,
                                                                      NULL, &why);
      g_autofree char *message = NULL;
      if (why != NULL && g_error_matches (why, GW_OPEN311_ERROR, GW_OPEN311_ERROR_SERVER))
        {
          const char *detail = why->message;
          if (g_str_has_prefix (detail, SERVER_ERROR_PREFIX))
            detail += strlen (SERVER_ERROR_PREFIX);
          message = g_strdup_printf ("the server answered %u: %s", status, detail);
        }
      else
        message = g_strdup_printf ("the server answered %u", status);
      fail (load, message);
      return;
    }

  ParseJob *job = g_new0 (ParseJob, 1);
  job->bytes = g_steal_pointer (&bytes);
  job->format = self->format;
  job->options.offset_sec = self->time_offset;
  job->options.deadline_hours = GW_OPEN311_DEFAULT_DEADLINE_HOURS;
  job->services = load->phase == PHASE_SERVICES;

  g_autoptr(GTask) task = g_task_new (NULL, load->cancellable, parse_cb, load);
  g_task_set_source_tag (task, fetch_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (task, parse_thread_cb);
}

static void
fetch (Load *load)
{
  GwOpen311Feed *self = load->self;
  g_autofree char *url = build_url (load);

  g_clear_object (&load->msg);
  load->msg = soup_message_new (SOUP_METHOD_GET, url);
  if (load->msg == NULL)
    {
      g_autofree char *message = g_strdup_printf ("not a usable address: %s", url);
      fail (load, message);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (load->msg), "Accept",
                                self->format == GW_OPEN311_FORMAT_XML
                                ? "application/xml, text/xml" : "application/json");
  gw_feed_prepare_message (GW_FEED (self), load->msg);
  soup_session_send_and_read_async (gw_feed_get_session (GW_FEED (self)), load->msg,
                                    G_PRIORITY_DEFAULT, load->cancellable, fetch_cb, load);
}

/* ---- life cycle ---------------------------------------------------------------- */

static void
begin_snapshot (GwOpen311Feed *self)
{
  if (self->cancellable == NULL || self->load != NULL)
    return;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  gw_feed_set_state (GW_FEED (self), gw_feed_get_synced (GW_FEED (self))
                                     ? GW_FEED_STATE_CATCHING_UP : GW_FEED_STATE_CONNECTING);
  fetch (load_new (self, FALSE));
}

static gboolean
snapshot_retry_cb (gpointer user_data)
{
  begin_snapshot (GW_OPEN311_FEED (user_data));
  return G_SOURCE_REMOVE;
}

static gboolean
poll_retry_cb (gpointer user_data)
{
  gw_open311_feed_poll_now (GW_OPEN311_FEED (user_data));
  return G_SOURCE_REMOVE;
}

void
gw_open311_feed_poll_now (GwOpen311Feed *self)
{
  g_return_if_fail (GW_IS_OPEN311_FEED (self));

  if (self->cancellable == NULL || self->load != NULL)
    return;
  if (self->watermark == GW_TIME_NONE && !gw_feed_get_synced (GW_FEED (self)))
    {
      begin_snapshot (self);
      return;
    }
  /* A poll now replaces the one the timer would start; finish() sets the next. */
  g_clear_handle_id (&self->poll_id, g_source_remove);
  fetch (load_new (self, TRUE));
}

static void
gw_open311_feed_start (GwFeed *feed)
{
  GwOpen311Feed *self = GW_OPEN311_FEED (feed);

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  gw_feed_reset_backoff (feed);
  begin_snapshot (self);
}

static void
gw_open311_feed_stop (GwFeed *feed)
{
  GwOpen311Feed *self = GW_OPEN311_FEED (feed);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The load in flight frees itself when its callback sees the cancellation. */
  self->load = NULL;
}

GwOpen311Feed *
gw_open311_feed_new (GwStore *store, const char *url)
{
  return g_object_new (GW_TYPE_OPEN311_FEED, "store", store, "url", url, NULL);
}

GwTime
gw_open311_feed_get_watermark (GwOpen311Feed *self)
{
  g_return_val_if_fail (GW_IS_OPEN311_FEED (self), GW_TIME_NONE);
  return self->watermark;
}

guint
gw_open311_feed_get_skipped (GwOpen311Feed *self)
{
  g_return_val_if_fail (GW_IS_OPEN311_FEED (self), 0);
  return self->skipped;
}

static void
gw_open311_feed_dispose (GObject *object)
{
  GwOpen311Feed *self = GW_OPEN311_FEED (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->class_codes, g_hash_table_unref);
  g_clear_pointer (&self->department_ids, g_hash_table_unref);

  G_OBJECT_CLASS (gw_open311_feed_parent_class)->dispose (object);
}

static void
gw_open311_feed_finalize (GObject *object)
{
  GwOpen311Feed *self = GW_OPEN311_FEED (object);

  g_free (self->api_key);
  g_free (self->jurisdiction_id);

  G_OBJECT_CLASS (gw_open311_feed_parent_class)->finalize (object);
}

static void
gw_open311_feed_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GwOpen311Feed *self = GW_OPEN311_FEED (object);

  switch (prop_id)
    {
    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;
    case PROP_JURISDICTION_ID:
      g_value_set_string (value, self->jurisdiction_id);
      break;
    case PROP_POLL_SECONDS:
      g_value_set_uint (value, self->poll_seconds);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, format_name (self->format));
      break;
    case PROP_TIME_OFFSET:
      g_value_set_int (value, self->time_offset);
      break;
    case PROP_START_DATE:
      g_value_set_int64 (value, self->start_date);
      break;
    case PROP_WINDOW_DAYS:
      g_value_set_uint (value, self->window_days);
      break;
    case PROP_WATERMARK:
      g_value_set_int64 (value, self->watermark);
      break;
    case PROP_SKIPPED:
      g_value_set_uint (value, self->skipped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_open311_feed_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GwOpen311Feed *self = GW_OPEN311_FEED (object);

  switch (prop_id)
    {
    case PROP_API_KEY:
      g_free (self->api_key);
      self->api_key = g_value_dup_string (value);
      break;
    case PROP_JURISDICTION_ID:
      g_free (self->jurisdiction_id);
      self->jurisdiction_id = g_value_dup_string (value);
      break;
    case PROP_POLL_SECONDS:
      self->poll_seconds = g_value_get_uint (value);
      break;
    case PROP_PAGE_SIZE:
      self->page_size = g_value_get_uint (value);
      break;
    case PROP_FORMAT:
      {
        const char *name = g_value_get_string (value);
        if (name == NULL || g_ascii_strcasecmp (name, "json") == 0)
          self->format = GW_OPEN311_FORMAT_JSON;
        else if (g_ascii_strcasecmp (name, "xml") == 0)
          self->format = GW_OPEN311_FORMAT_XML;
        else
          g_critical ("GwOpen311Feed:format must be \"json\" or \"xml\", not \"%s\"", name);
      }
      break;
    case PROP_TIME_OFFSET:
      self->time_offset = g_value_get_int (value);
      break;
    case PROP_START_DATE:
      self->start_date = g_value_get_int64 (value);
      break;
    case PROP_WINDOW_DAYS:
      self->window_days = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_open311_feed_class_init (GwOpen311FeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GwFeedClass *feed_class = GW_FEED_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                   G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = gw_open311_feed_dispose;
  object_class->finalize = gw_open311_feed_finalize;
  object_class->get_property = gw_open311_feed_get_property;
  object_class->set_property = gw_open311_feed_set_property;
  feed_class->start = gw_open311_feed_start;
  feed_class->stop = gw_open311_feed_stop;

  /* Settings take effect with the next request. */
  properties[PROP_API_KEY] = g_param_spec_string ("api-key", NULL, NULL, NULL, rw);
  properties[PROP_JURISDICTION_ID] = g_param_spec_string ("jurisdiction-id", NULL, NULL, NULL, rw);
  properties[PROP_POLL_SECONDS] = g_param_spec_uint ("poll-seconds", NULL, NULL, 1, 24 * 3600,
                                                     DEFAULT_POLL_SECONDS, rw);
  properties[PROP_PAGE_SIZE] = g_param_spec_uint ("page-size", NULL, NULL, 1, 10000,
                                                  DEFAULT_PAGE_SIZE, rw);
  properties[PROP_FORMAT] = g_param_spec_string ("format", NULL, NULL, "json", rw);
  /* The jurisdiction's zone, for times that carry none (seconds east of UTC). */
  properties[PROP_TIME_OFFSET] = g_param_spec_int ("time-offset", NULL, NULL, -14 * 3600,
                                                   14 * 3600, 0, rw);
  /* Start of the first start_date/end_date window; 0 lets the server choose. */
  properties[PROP_START_DATE] = g_param_spec_int64 ("start-date", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_WINDOW_DAYS] = g_param_spec_uint ("window-days", NULL, NULL, 1, 3650,
                                                    DEFAULT_WINDOW_DAYS, rw);
  properties[PROP_WATERMARK] = g_param_spec_int64 ("watermark", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_SKIPPED] = g_param_spec_uint ("skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_open311_feed_init (GwOpen311Feed *self)
{
  self->poll_seconds = DEFAULT_POLL_SECONDS;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->window_days = DEFAULT_WINDOW_DAYS;
  self->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  self->departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  self->class_codes = g_hash_table_new (g_str_hash, g_str_equal);
  self->department_ids = g_hash_table_new (g_str_hash, g_str_equal);
}
