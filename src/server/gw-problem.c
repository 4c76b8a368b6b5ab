/* gw-problem.c — RFC 9457 problem responses for the Dispatch API */

#include "gw-problem.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "gw-codec.h"
#include "gw-dispatch-db.h"
#include "gw-workflow.h"

void
gw_problem_respond (SoupServerMessage *msg,
                    guint              status,
                    const char        *slug,
                    const char        *detail,
                    const char        *field)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *type = g_strconcat (GW_PROBLEM_BASE, slug, NULL);
  char *text;

  json_object_set_string_member (obj, "type", type);
  json_object_set_string_member (obj, "title", soup_status_get_phrase (status));
  json_object_set_int_member (obj, "status", status);
  json_object_set_string_member (obj, "detail", detail);
  if (field != NULL)
    json_object_set_string_member (obj, "field", field);
  node = json_node_init_object (json_node_alloc (), obj);
  text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

/* Messages start with the field path ("location.lat: ..."); pull it out for clients. */
static char *
field_of (const char *message)
{
  const char *colon = strstr (message, ": ");

  if (colon == NULL || colon == message || memchr (message, ' ', colon - message) != NULL)
    return NULL;
  return g_strndup (message, colon - message);
}

void
gw_problem_respond_error (SoupServerMessage *msg,
                          const GError      *error)
{
  g_autofree char *field = field_of (error->message);
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  const char *slug = "internal";

  if (error->domain == GW_CODEC_ERROR)
    status = SOUP_STATUS_BAD_REQUEST, slug = "bad-request";
  else if (error->domain == GW_WORKFLOW_ERROR)
    {
      status = SOUP_STATUS_CONFLICT;
      slug = error->code == GW_WORKFLOW_ERROR_OUT_OF_ORDER ? "out-of-order"
           : error->code == GW_WORKFLOW_ERROR_INVALID_TRANSITION ? "invalid-transition"
           : "conflict";
    }
  else if (error->domain == GW_DISPATCH_DB_ERROR)
    switch ((GwDispatchDbError) error->code)
      {
      case GW_DISPATCH_DB_ERROR_NOT_FOUND:
        status = SOUP_STATUS_NOT_FOUND, slug = "not-found";
        break;
      case GW_DISPATCH_DB_ERROR_EXISTS:
        status = SOUP_STATUS_CONFLICT, slug = "conflict";
        break;
      case GW_DISPATCH_DB_ERROR_INVALID:
        status = SOUP_STATUS_BAD_REQUEST, slug = "bad-request";
        break;
      case GW_DISPATCH_DB_ERROR_GONE:
        status = SOUP_STATUS_GONE, slug = "gone";
        break;
      case GW_DISPATCH_DB_ERROR_FAILED:
      case GW_DISPATCH_DB_ERROR_SCHEMA:
      default:
        break;
      }

  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_warning ("Request failed: %s", error->message);
  gw_problem_respond (msg, status, slug, error->message, field);
}
