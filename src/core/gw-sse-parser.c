/* gw-sse-parser.c — incremental Server-Sent Events parser */

#include "gw-sse-parser.h"

#include <gio/gio.h>
#include <string.h>

struct _GwSseParser {
  gsize             max_event_size;
  GwSseEventFunc    on_event;
  GwSseCommentFunc  on_comment;
  gpointer          user_data;

  GString          *line;       /* the line being read */
  gboolean          after_cr;   /* last byte was CR: a following LF belongs to it */
  GString          *data;
  char             *type;
  char             *last_id;
  gboolean          has_data;
  gint64            retry;
  guint             bom_seen;   /* bytes of a leading UTF-8 BOM matched so far */
  gboolean          started;    /* past the stream's first bytes */
};

GwSseParser *
gw_sse_parser_new (gsize            max_event_size,
                   GwSseEventFunc   on_event,
                   GwSseCommentFunc on_comment,
                   gpointer         user_data)
{
  GwSseParser *self = g_new0 (GwSseParser, 1);

  self->max_event_size = max_event_size;
  self->on_event = on_event;
  self->on_comment = on_comment;
  self->user_data = user_data;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->retry = -1;
  return self;
}

void
gw_sse_parser_free (GwSseParser *self)
{
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_free (self->type);
  g_free (self->last_id);
  g_free (self);
}

void
gw_sse_parser_reset (GwSseParser *self)
{
  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_clear_pointer (&self->type, g_free);
  self->has_data = FALSE;
  self->after_cr = FALSE;
  self->bom_seen = 0;
  self->started = FALSE;
}

const char *
gw_sse_parser_get_last_id (GwSseParser *self)
{
  return self->last_id;
}

gint64
gw_sse_parser_get_retry (GwSseParser *self)
{
  return self->retry;
}

static void
dispatch (GwSseParser *self)
{
  if (self->has_data)
    {
      /* The spec drops the data buffer's final newline. */
      if (self->data->len > 0 && self->data->str[self->data->len - 1] == '\n')
        g_string_truncate (self->data, self->data->len - 1);
      self->on_event (self->last_id, self->type && self->type[0] ? self->type : "message",
                      self->data->str, self->data->len, self->user_data);
    }
  g_string_truncate (self->data, 0);
  g_clear_pointer (&self->type, g_free);
  self->has_data = FALSE;
}

static void
process_line (GwSseParser *self,
              const char  *line,
              gsize        len)
{
  const char *colon, *value;
  g_autofree char *field = NULL;
  gsize value_len;

  if (len == 0)
    {
      dispatch (self);
      return;
    }
  if (line[0] == ':')
    {
      if (self->on_comment)
        self->on_comment (line + 1 + (len > 1 && line[1] == ' '), self->user_data);
      return;
    }

  colon = memchr (line, ':', len);
  /* A NUL inside the name makes it no field we know. */
  if (memchr (line, '\0', colon ? (gsize) (colon - line) : len) != NULL)
    return;
  if (colon != NULL)
    {
      field = g_strndup (line, colon - line);
      value = colon + 1;
      if (value < line + len && *value == ' ')
        value++;
      value_len = line + len - value;
    }
  else
    {
      field = g_strndup (line, len);
      value = line + len;
      value_len = 0;
    }

  if (strcmp (field, "data") == 0)
    {
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
      self->has_data = TRUE;
    }
  else if (strcmp (field, "event") == 0)
    {
      g_free (self->type);
      self->type = g_strndup (value, value_len);
    }
  else if (strcmp (field, "id") == 0)
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_free (self->last_id);
          self->last_id = g_strndup (value, value_len);
        }
    }
  else if (strcmp (field, "retry") == 0)
    {
      guint64 ms;
      g_autofree char *text = g_strndup (value, value_len);
      if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &ms, NULL))
        self->retry = ms;
    }
  /* Other fields are ignored, as the spec says. */
}

gboolean
gw_sse_parser_feed (GwSseParser  *self,
                    const char   *data,
                    gsize         len,
                    GError      **error)
{
  /* The stream may start with a UTF-8 BOM, which is not part of the first line. */
  while (!self->started && len > 0)
    {
      static const char bom[] = "\xEF\xBB\xBF";

      if ((guchar) data[0] != (guchar) bom[self->bom_seen])
        {
          /* Not a BOM after all: what matched so far is text. */
          g_string_append_len (self->line, bom, self->bom_seen);
          self->started = TRUE;
          break;
        }
      data++, len--;
      if (++self->bom_seen == 3)
        self->started = TRUE;
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (c == '\n')
            continue;
        }
      if (c == '\r' || c == '\n')
        {
          self->after_cr = c == '\r';
          process_line (self, self->line->str, self->line->len);
          g_string_truncate (self->line, 0);
        }
      else
        {
          /* Find the rest of this line in one go rather than byte by byte. */
          gsize end = i;
          while (end < len && data[end] != '\r' && data[end] != '\n')
            end++;
          g_string_append_len (self->line, data + i, end - i);
          i = end - 1;
        }

      if (self->line->len + self->data->len > self->max_event_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "an event is larger than %" G_GSIZE_FORMAT " bytes",
                       self->max_event_size);
          gw_sse_parser_reset (self);
          return FALSE;
        }
    }
  return TRUE;
}
