/* gw-open311-xml.c — an Open311 XML document in the shape of the JSON form
 *
 * XML is read with GMarkup into a small element tree first, then shaped like what a
 * JSON server sends: leaf elements become strings, list containers (a known list name,
 * or repeated children of one name) arrays, other elements objects. The mapping in
 * gw-open311.c then reads both formats the same way.
 */
#include "gw-open311-private.h"

#include <string.h>

#define XML_MAX_DEPTH 64

typedef struct _XmlElem XmlElem;
struct _XmlElem {
  char      *name;
  GString   *text;
  GPtrArray *children;  /* XmlElem* */
};

static void
xml_elem_free (XmlElem *e)
{
  g_free (e->name);
  g_string_free (e->text, TRUE);
  g_ptr_array_unref (e->children);
  g_free (e);
}

static XmlElem *
xml_elem_new (const char *name)
{
  XmlElem *e = g_new0 (XmlElem, 1);
  e->name = g_strdup (name);
  e->text = g_string_new (NULL);
  e->children = g_ptr_array_new_with_free_func ((GDestroyNotify) xml_elem_free);
  return e;
}

typedef struct {
  XmlElem   *root;
  GPtrArray *stack;  /* XmlElem*, borrowed */
} XmlBuild;

static void
xml_start_cb (GMarkupParseContext *context, const char *name, const char **attr_names,
              const char **attr_values, gpointer user_data, GError **error)
{
  XmlBuild *b = user_data;

  if (b->stack->len >= XML_MAX_DEPTH)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "elements nested more than %d deep", XML_MAX_DEPTH);
      return;
    }
  if (b->stack->len == 0 && b->root != NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "more than one root element");
      return;
    }
  XmlElem *e = xml_elem_new (name);
  if (b->stack->len == 0)
    b->root = e;
  else
    g_ptr_array_add (((XmlElem *) g_ptr_array_index (b->stack, b->stack->len - 1))->children, e);
  g_ptr_array_add (b->stack, e);
}

static void
xml_end_cb (GMarkupParseContext *context, const char *name, gpointer user_data, GError **error)
{
  XmlBuild *b = user_data;
  g_ptr_array_set_size (b->stack, b->stack->len - 1);
}

static void
xml_text_cb (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data,
             GError **error)
{
  XmlBuild *b = user_data;
  if (b->stack->len > 0)
    g_string_append_len (((XmlElem *) g_ptr_array_index (b->stack, b->stack->len - 1))->text,
                         text, (gssize) len);
}

static gboolean
is_list_name (const char *name)
{
  static const char *const lists[] = {
    "service_requests", "requests", "services", "notes", "tasks", "errors", "attributes",
    "values", NULL
  };
  return g_strv_contains (lists, name);
}

static JsonNode *
xml_to_json (XmlElem *e)
{
  GPtrArray *kids = e->children;

  if (kids->len == 0 && is_list_name (e->name))
    {
      JsonNode *empty = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (empty, json_array_new ());
      return empty;
    }
  if (kids->len == 0)
    {
      g_autofree char *text = g_strdup (e->text->str);
      if (*g_strstrip (text) == '\0')
        return json_node_new (JSON_NODE_NULL);
      return json_node_init_string (json_node_alloc (), e->text->str);
    }

  gboolean same = kids->len > 1;
  for (guint i = 1; same && i < kids->len; i++)
    same = strcmp (((XmlElem *) kids->pdata[i])->name, ((XmlElem *) kids->pdata[0])->name) == 0;

  if (same || is_list_name (e->name))
    {
      JsonArray *array = json_array_sized_new (kids->len);
      for (guint i = 0; i < kids->len; i++)
        json_array_add_element (array, xml_to_json (kids->pdata[i]));
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }

  JsonObject *object = json_object_new ();
  for (guint i = 0; i < kids->len; i++)
    {
      XmlElem *kid = kids->pdata[i];
      /* A repeated field keeps its first value. */
      if (!json_object_has_member (object, kid->name))
        json_object_set_member (object, kid->name, xml_to_json (kid));
    }
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

JsonNode *
gw_open311_xml_parse (const char *data, gsize length, GError **error)
{
  static const GMarkupParser parser = { xml_start_cb, xml_end_cb, xml_text_cb, NULL, NULL };
  XmlBuild b = { NULL, g_ptr_array_new () };
  g_autoptr(GError) local = NULL;
  GMarkupParseContext *context;
  JsonNode *root = NULL;

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &b, NULL);
  if (g_markup_parse_context_parse (context, data, (gssize) length, &local) &&
      g_markup_parse_context_end_parse (context, &local))
    {
      if (b.root == NULL)
        g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_MALFORMED,
                     "not Open311 XML: the document is empty");
      else
        root = xml_to_json (b.root);
    }
  else
    g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_MALFORMED,
                 "not Open311 XML: %s", local->message);
  g_markup_parse_context_free (context);
  g_clear_pointer (&b.root, xml_elem_free);
  g_ptr_array_unref (b.stack);
  return root;
}
