/* fuzz-sse.c — libFuzzer target for the incremental Server-Sent Events parser
 *
 * The first bytes choose the event size limit and a chunking pattern; the rest is the
 * stream. It is fed in those chunks and, separately, whole: the parser must never crash,
 * its callbacks must get well-formed arguments, and when neither run hit an error both
 * must report exactly the same events, comments, last id and retry. After an error the
 * parser is reset and fed on, as the feed does after a reconnect.
 */
#include <stdint.h>
#include <string.h>

#include <gio/gio.h>

#include "gw-sse-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  GString *log;
  gsize    max;
} Run;

static void
on_event (const char *id,
          const char *type,
          const char *data,
          gsize       len,
          gpointer    user_data)
{
  Run *run = user_data;

  g_assert_nonnull (type);
  g_assert_nonnull (data);
  g_assert_true (data[len] == '\0');
  /* An event is never larger than the limit. */
  g_assert_cmpuint (len, <=, run->max);
  g_string_append_printf (run->log, "E%s|%s|", id ? id : "-", type);
  g_string_append_len (run->log, data, len);
  g_string_append_c (run->log, '\n');
}

static void
on_comment (const char *comment,
            gpointer    user_data)
{
  Run *run = user_data;

  g_assert_nonnull (comment);
  g_string_append_printf (run->log, "C%s\n", comment);
}

/* Feeds @stream in chunks whose sizes cycle through @pattern (whole when it is empty);
 * returns whether any feed failed. */
static gboolean
run_stream (const uint8_t *stream,
            size_t         len,
            const uint8_t *pattern,
            size_t         n_pattern,
            gsize          max,
            GString       *log)
{
  Run run = { log, max };
  g_autoptr(GwSseParser) parser = gw_sse_parser_new (max, on_event, on_comment, &run);
  gboolean failed = FALSE;
  size_t pos = 0, k = 0;

  while (pos < len)
    {
      g_autoptr(GError) error = NULL;
      size_t want = n_pattern == 0 ? len : (size_t) pattern[k++ % n_pattern] % 17 + 1;
      size_t n = MIN (len - pos, want);

      if (!gw_sse_parser_feed (parser, (const char *) stream + pos, n, &error))
        {
          g_assert_nonnull (error);
          g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE) ||
                         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
          gw_sse_parser_reset (parser);
          failed = TRUE;
        }
      else
        g_assert_null (error);
      pos += n;
    }
  /* The last id never holds a NUL and survives resets; retry is -1 or a sane value. */
  const char *last_id = gw_sse_parser_get_last_id (parser);
  gint64 retry = gw_sse_parser_get_retry (parser);
  g_assert_true (retry == -1 || (retry >= 0 && retry <= G_MAXINT32));
  g_string_append_printf (log, "L%s\nR%" G_GINT64_FORMAT "\n", last_id ? last_id : "-", retry);

  gw_sse_parser_reset (parser);
  g_assert_cmpstr (gw_sse_parser_get_last_id (parser), ==, last_id);
  return failed;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  gsize max;
  size_t n_pattern;
  const uint8_t *pattern, *stream;
  size_t len;
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) chunked = g_string_new (NULL);
  g_autoptr(GString) bytewise = g_string_new (NULL);
  gboolean whole_failed, chunked_failed, bytewise_failed;

  if (size < 2)
    return 0;
  /* Byte 0: the size limit, from tiny (to reach the error path) to the feed's 1 MiB. */
  max = data[0] < 128 ? (gsize) data[0] + 1 : (gsize) 1 << 20;
  /* Byte 1: how many of the following bytes make the chunking pattern. */
  n_pattern = MIN ((size_t) data[1] % 8, size - 2);
  pattern = data + 2;
  stream = data + 2 + n_pattern;
  len = size - 2 - n_pattern;

  whole_failed = run_stream (stream, len, NULL, 0, max, whole);
  chunked_failed = run_stream (stream, len, pattern, n_pattern, max, chunked);
  {
    static const uint8_t one[] = { 0 };
    bytewise_failed = run_stream (stream, len, one, 1, max, bytewise);
  }

  /* Without errors, splitting must not matter. */
  if (!whole_failed && !chunked_failed)
    g_assert_cmpstr (whole->str, ==, chunked->str);
  if (!whole_failed && !bytewise_failed)
    g_assert_cmpstr (whole->str, ==, bytewise->str);
  return 0;
}
