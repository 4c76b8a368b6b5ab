/* gw-history-fetch.c — a past period's incidents from a Dispatch API server */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-codec.h"
#include "gw-dispatch-feed.h"
#include "gw-history-fetch.h"

#define PAGE_LIMIT     1000
#define MAX_PAGE_BYTES (64 * 1024 * 1024)

G_DEFINE_QUARK (gw-history-fetch-error-quark, gw_history_fetch_error)

typedef struct {
  char      *from;        /* RFC 3339, for the query */
  char      *to;
  GPtrArray *incidents;   /* GwIncident*, what the pages gave so far */
} Fetch;

typedef struct {
  GPtrArray *incidents;
  char      *next_cursor;
} Page;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_free (fetch->from);
  g_free (fetch->to);
  g_clear_pointer (&fetch->incidents, g_ptr_array_unref);
  g_free (fetch);
}

static void
page_free (Page *page)
{
  g_clear_pointer (&page->incidents, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

/* Asks for the page at @cursor (NULL: the first); takes its own reference on @task. */
static void fetch_page (GTask      *task,
                        const char *cursor);

/* The problem's detail when the server sent one (RFC 9457), else the status. */
static char *
describe_failure (SoupMessage *msg,
                  GBytes      *body,
                  GError      *error)
{
  guint status;

  if (error != NULL)
    return g_strdup_printf (_("Cannot reach the server: %s"), error->message);
  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_strdup (_("The server refused the access token (401)"));
  if (body != NULL && g_bytes_get_size (body) > 0 && g_bytes_get_size (body) < 4096)
    {
      g_autoptr(JsonNode) node = gw_json_parse (g_bytes_get_data (body, NULL),
                                                g_bytes_get_size (body), NULL);
      const char *detail = NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        detail = json_object_get_string_member_with_default (json_node_get_object (node),
                                                             "detail", NULL);
      if (detail != NULL)
        return g_strdup_printf (_("The server answered %u: %s"), status, detail);
    }
  return g_strdup_printf (_("The server answered %u %s"), status,
                          soup_status_get_phrase (status) ?: "");
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
  JsonObject *obj;
  JsonNode *items, *cursor;
  JsonArray *array;
  Page *page;

  if (root == NULL)
    {
      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_MALFORMED,
                               _("The server sent a page that is not JSON: %s"), error->message);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !(items = json_object_get_member (obj = json_node_get_object (root), "items")) ||
      !JSON_NODE_HOLDS_ARRAY (items) ||
      !(cursor = json_object_get_member (obj, "next_cursor")) ||
      !(JSON_NODE_HOLDS_NULL (cursor) || json_node_get_value_type (cursor) == G_TYPE_STRING))
    {
      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_MALFORMED,
                               _("The server sent something other than a page of incidents"));
      return;
    }

  array = json_node_get_array (items);
  page = g_new0 (Page, 1);
  page->next_cursor = JSON_NODE_HOLDS_NULL (cursor) ? NULL : json_node_dup_string (cursor);
  page->incidents = g_ptr_array_new_full (json_array_get_length (array),
                                          (GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GwIncident *incident = gw_incident_from_json (json_array_get_element (array, i), &error);

      if (incident == NULL)
        {
          g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR,
                                   GW_HISTORY_FETCH_ERROR_MALFORMED,
                                   _("The server sent a malformed incident: items[%u].%s"), i,
                                   error->message);
          page_free (page);
          return;
        }
      g_ptr_array_add (page->incidents, incident);
    }
  g_task_return_pointer (task, page, (GDestroyNotify) page_free);
}

static void
page_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Page *page = g_task_propagate_pointer (G_TASK (result), &error);

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      page_free (page);
      return;
    }
  if (fetch->incidents->len + page->incidents->len > GW_HISTORY_FETCH_MAX_INCIDENTS)
    {
      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_TOO_LARGE,
                               _("More than %u incidents in that period: choose a shorter one"),
                               GW_HISTORY_FETCH_MAX_INCIDENTS);
      page_free (page);
      return;
    }

  g_ptr_array_extend_and_steal (fetch->incidents, g_steal_pointer (&page->incidents));
  if (page->next_cursor != NULL)
    fetch_page (task, page->next_cursor);
  else
    g_task_return_pointer (task, g_steal_pointer (&fetch->incidents),
                           (GDestroyNotify) g_ptr_array_unref);
  page_free (page);
}

static void
page_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  GCancellable *cancellable;
  GTask *parse;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autofree char *message = describe_failure (msg, body, error);

      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_SERVER,
                               "%s", message);
      return;
    }
  if (g_bytes_get_size (body) > MAX_PAGE_BYTES)
    {
      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_TOO_LARGE,
                               _("A page of history was larger than 64 MiB"));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  parse = g_task_new (NULL, cancellable, page_parsed_cb, g_steal_pointer (&task));
  g_task_set_source_tag (parse, parse_page_thread);
  g_task_set_task_data (parse, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (parse, parse_page_thread);
  g_object_unref (parse);
}

static void
fetch_page (GTask      *task,
            const char *cursor)
{
  GwFeed *feed = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *from = g_uri_escape_string (fetch->from, NULL, FALSE);
  g_autofree char *to = g_uri_escape_string (fetch->to, NULL, FALSE);
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *uri = g_strdup_printf ("%s/api/v1/incidents?limit=%d&from=%s&to=%s%s%s",
                                          gw_feed_get_url (feed), PAGE_LIMIT, from, to,
                                          cursor ? "&cursor=" : "", cursor ? escaped : "");
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, uri);

  if (msg == NULL)
    {
      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_SERVER,
                               _("The server address is not valid: %s"), gw_feed_get_url (feed));
      return;
    }
  gw_feed_prepare_message (feed, msg);
  soup_session_send_and_read_async (gw_feed_get_session (feed), msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), page_sent_cb,
                                    g_object_ref (task));
}

void
gw_history_fetch_async (GwFeed              *feed,
                        GwTime               from,
                        GwTime               to,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (GW_IS_FEED (feed));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (feed, cancellable, callback, user_data);
  g_task_set_source_tag (task, gw_history_fetch_async);
  if (!GW_IS_DISPATCH_FEED (feed))
    {
      g_task_return_new_error (task, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_UNSUPPORTED,
                               _("This source (Open311) has no history by day: only today "
                                 "can be replayed"));
      return;
    }
  if (from == GW_TIME_NONE || to == GW_TIME_NONE || to <= from)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "gw_history_fetch_async: the period must be [from, to) with "
                               "from < to");
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->from = gw_time_format (from);
  fetch->to = gw_time_format (to);
  fetch->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  g_task_set_task_data (task, fetch, fetch_free);
  fetch_page (task, NULL);
}

GPtrArray *
gw_history_fetch_finish (GwFeed        *feed,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (GW_IS_FEED (feed), NULL);
  g_return_val_if_fail (g_task_is_valid (result, feed), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
