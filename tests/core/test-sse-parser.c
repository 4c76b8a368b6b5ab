/* test-sse-parser.c — the incremental Server-Sent Events parser
 *
 * Follows the WHATWG "event stream" interpretation rules: line endings, fields, comments,
 * the last event id, retry, dispatch on a blank line, and the size limit. Feeding a
 * stream in any split (down to single bytes) must give exactly the same events.
 */
#include <gio/gio.h>
#include <string.h>

#include "gw-sse-parser.h"

/* Everything the parser reported, as text, in order: "E id|type|data" and "C comment". */
typedef struct {
  GPtrArray *log;
} Recorder;

static void
record_event (const char *id,
              const char *type,
              const char *data,
              gsize       data_len,
              gpointer    user_data)
{
  Recorder *rec = user_data;
  g_autoptr(GString) s = g_string_new ("E ");

  /* Data may hold any byte but the parser must also NUL-terminate it. */
  g_assert_cmpuint (strlen (data), <=, data_len);
  g_assert_cmpint (data[data_len], ==, '\0');
  g_string_append_printf (s, "%s|%s|", id ? id : "(null)", type);
  g_string_append_len (s, data, data_len);
  g_ptr_array_add (rec->log, g_string_free (g_steal_pointer (&s), FALSE));
}

static void
record_comment (const char *comment,
                gpointer    user_data)
{
  Recorder *rec = user_data;
  g_ptr_array_add (rec->log, g_strconcat ("C ", comment, NULL));
}

typedef struct {
  Recorder     rec;
  GwSseParser *parser;
} Fixture;

static void
fixture_init (Fixture *f,
              gsize    max)
{
  f->rec.log = g_ptr_array_new_with_free_func (g_free);
  f->parser = gw_sse_parser_new (max, record_event, record_comment, &f->rec);
}

static void
fixture_clear (Fixture *f)
{
  gw_sse_parser_free (f->parser);
  g_ptr_array_unref (f->rec.log);
}

static void
feed_ok (Fixture    *f,
         const char *data,
         gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gw_sse_parser_feed (f->parser, data, len < 0 ? strlen (data) : (gsize) len,
                                     &error));
  g_assert_no_error (error);
}

/* Asserts the log is exactly @expected (NULL-terminated), then clears it. */
static void
assert_log (Fixture            *f,
            const char * const *expected)
{
  guint n = 0;

  while (expected[n] != NULL)
    n++;
  for (guint i = 0; i < MAX (n, f->rec.log->len); i++)
    {
      const char *got = i < f->rec.log->len ? g_ptr_array_index (f->rec.log, i) : "(nothing)";
      const char *want = i < n ? expected[i] : "(nothing)";
      if (g_strcmp0 (got, want) != 0)
        g_error ("entry %u: got \"%s\", expected \"%s\"", i, got, want);
    }
  g_ptr_array_set_size (f->rec.log, 0);
}

#define ASSERT_LOG(f, ...) assert_log ((f), (const char * const[]) { __VA_ARGS__, NULL })
#define ASSERT_NO_LOG(f) assert_log ((f), (const char * const[]) { NULL })

/* One event, with every kind of line, in each line-ending convention. */
static void
test_line_endings (void)
{
  const char *endings[] = { "\n", "\r", "\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
    {
      const char *nl = endings[i];
      g_autofree char *stream = g_strjoin (nl, ": hello", "id: 7", "event: incident",
                                           "data: one", "data: two", "", "data: three", "",
                                           "", NULL);
      Fixture f;

      fixture_init (&f, 4096);
      feed_ok (&f, stream, -1);
      ASSERT_LOG (&f, "C hello", "E 7|incident|one\ntwo", "E 7|message|three");
      fixture_clear (&f);
    }
}

/* A mixed stream: each line may end differently. */
static void
test_mixed_line_endings (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, "data: a\rdata: b\ndata: c\r\n\ndata: d\r\r", -1);
  ASSERT_LOG (&f, "E (null)|message|a\nb\nc", "E (null)|message|d");
  fixture_clear (&f);
}

/* A CR at the end of one chunk and its LF at the start of the next are one line end. */
static void
test_crlf_split (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, "data: a\r", -1);
  ASSERT_NO_LOG (&f);
  feed_ok (&f, "\ndata: b\r", -1);
  ASSERT_NO_LOG (&f);
  feed_ok (&f, "\n\r", -1);
  /* The blank line is complete once its CR is seen. */
  ASSERT_LOG (&f, "E (null)|message|a\nb");
  feed_ok (&f, "\n", -1);
  /* ...and the LF after it is not another blank line, nor anything else. */
  ASSERT_NO_LOG (&f);
  feed_ok (&f, "data: c\r", -1);
  feed_ok (&f, "\r", -1);
  ASSERT_LOG (&f, "E (null)|message|c");
  fixture_clear (&f);
}

static void
test_multiline_data (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, "data: {\"a\":\ndata: 1}\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|{\"a\":\n1}");
  /* Empty data lines count: three lines give two newlines. */
  feed_ok (&f, "data\ndata:\ndata: \n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|\n\n");
  /* Only the final newline is dropped, not a newline the data itself ends with. */
  feed_ok (&f, "data: x\ndata\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|x\n");
  fixture_clear (&f);
}

static void
test_comments (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, ": heartbeat\n\n", -1);
  ASSERT_LOG (&f, "C heartbeat");
  feed_ok (&f, ":no space\n:\n:  two spaces\n", -1);
  ASSERT_LOG (&f, "C no space", "C ", "C  two spaces");
  /* A comment inside an event does not end or change it. */
  feed_ok (&f, "data: a\n: in between\ndata: b\n\n", -1);
  ASSERT_LOG (&f, "C in between", "E (null)|message|a\nb");
  fixture_clear (&f);

  /* Without a comment callback, comments are dropped quietly. */
  {
    Recorder rec = { g_ptr_array_new_with_free_func (g_free) };
    g_autoptr(GwSseParser) parser = gw_sse_parser_new (4096, record_event, NULL, &rec);
    g_autoptr(GError) error = NULL;
    const char *text = ": heartbeat\n\ndata: x\n\n";

    g_assert_true (gw_sse_parser_feed (parser, text, strlen (text), &error));
    g_assert_cmpuint (rec.log->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (rec.log, 0), ==, "E (null)|message|x");
    g_ptr_array_unref (rec.log);
  }
}

static void
test_id_persistence (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  g_assert_null (gw_sse_parser_get_last_id (f.parser));
  feed_ok (&f, "id: 7\ndata: a\n\ndata: b\n\n", -1);
  ASSERT_LOG (&f, "E 7|message|a", "E 7|message|b");
  g_assert_cmpstr (gw_sse_parser_get_last_id (f.parser), ==, "7");

  /* An id without data sets the last id, but dispatches nothing. */
  feed_ok (&f, "id: 8\n\n", -1);
  ASSERT_NO_LOG (&f);
  g_assert_cmpstr (gw_sse_parser_get_last_id (f.parser), ==, "8");
  feed_ok (&f, "data: c\n\n", -1);
  ASSERT_LOG (&f, "E 8|message|c");

  /* The id applies to the event it is in, wherever in the event it comes. */
  feed_ok (&f, "data: d\nid: 9\n\n", -1);
  ASSERT_LOG (&f, "E 9|message|d");

  /* An empty id resets it to empty. */
  feed_ok (&f, "id\ndata: e\n\n", -1);
  ASSERT_LOG (&f, "E |message|e");
  g_assert_cmpstr (gw_sse_parser_get_last_id (f.parser), ==, "");
  feed_ok (&f, "id: 10\ndata: f\n\n", -1);
  ASSERT_LOG (&f, "E 10|message|f");

  /* Reset drops the partial event but keeps the last id. */
  feed_ok (&f, "id: 11\ndata: partial", -1);
  gw_sse_parser_reset (f.parser);
  feed_ok (&f, "\n\n", -1);
  ASSERT_NO_LOG (&f);
  g_assert_cmpstr (gw_sse_parser_get_last_id (f.parser), ==, "11");
  feed_ok (&f, "data: g\n\n", -1);
  ASSERT_LOG (&f, "E 11|message|g");
  fixture_clear (&f);
}

static void
test_id_with_nul_ignored (void)
{
  static const char text[] = "id: 5\ndata: a\n\nid: 6\0x\ndata: b\n\n";
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, text, sizeof text - 1);
  ASSERT_LOG (&f, "E 5|message|a", "E 5|message|b");
  g_assert_cmpstr (gw_sse_parser_get_last_id (f.parser), ==, "5");
  fixture_clear (&f);
}

/* A field name is every byte up to the colon: "data\0x" is not "data". */
static void
test_nul_in_field_name (void)
{
  static const char text[] = "data\0x: no\nevent\0x: no\ndata: yes\n\n";
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, text, sizeof text - 1);
  ASSERT_LOG (&f, "E (null)|message|yes");
  fixture_clear (&f);
}

static void
test_retry (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  g_assert_cmpint (gw_sse_parser_get_retry (f.parser), ==, -1);
  feed_ok (&f, "retry: 2000\n", -1);
  g_assert_cmpint (gw_sse_parser_get_retry (f.parser), ==, 2000);
  feed_ok (&f, "retry:0\n", -1);
  g_assert_cmpint (gw_sse_parser_get_retry (f.parser), ==, 0);
  feed_ok (&f, "retry: 1500\n", -1);

  /* Anything but ASCII digits is ignored and keeps the previous value. */
  const char *bad[] = { "retry: 12a\n", "retry: -5\n", "retry: +5\n", "retry: 1.5\n",
                        "retry:\n", "retry\n", "retry:  7\n", "retry: 7 \n", "retry: 0x10\n" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      feed_ok (&f, bad[i], -1);
      if (gw_sse_parser_get_retry (f.parser) != 1500)
        g_error ("'%s' changed retry to %" G_GINT64_FORMAT, g_strchomp (g_strdup (bad[i])),
                 gw_sse_parser_get_retry (f.parser));
    }
  /* A retry line alone is no event. */
  feed_ok (&f, "\n", -1);
  ASSERT_NO_LOG (&f);
  fixture_clear (&f);
}

static void
test_fields (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  /* A field with no colon is a field with an empty value. */
  feed_ok (&f, "data\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|");
  /* No space after the colon; only one space is stripped. */
  feed_ok (&f, "data:x\n\ndata:  y\n\ndata:z \n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|x", "E (null)|message| y", "E (null)|message|z ");
  /* The value keeps any further colons. */
  feed_ok (&f, "data: a: b:c\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|a: b:c");
  /* Unknown fields are ignored, as are near-misses of known names. */
  feed_ok (&f, "foo: bar\nDATA: no\ndata : no\n data: no\ndata: yes\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|yes");
  /* The event type applies to its event only. */
  feed_ok (&f, "event: incident\ndata: a\n\ndata: b\n\n", -1);
  ASSERT_LOG (&f, "E (null)|incident|a", "E (null)|message|b");
  /* The last event: line wins. */
  feed_ok (&f, "event: one\nevent: two\ndata: c\n\n", -1);
  ASSERT_LOG (&f, "E (null)|two|c");
  fixture_clear (&f);
}

/* An empty "event:" leaves the type at "message" (WHATWG: only a non-empty type buffer
 * changes the type). */
static void
test_empty_event_type (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, "event:\ndata: a\n\nevent\ndata: b\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|a", "E (null)|message|b");
  fixture_clear (&f);
}

/* A leading UTF-8 BOM is skipped, even split across feeds; only at the stream's start. */
static void
test_leading_bom (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, "\xEF\xBB\xBF" "data: a\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|a");
  feed_ok (&f, "\xEF\xBB\xBF" "data: b\n\n", -1);
  ASSERT_NO_LOG (&f);  /* not a field named "data" any more */
  gw_sse_parser_reset (f.parser);
  feed_ok (&f, "\xEF", -1);
  feed_ok (&f, "\xBB\xBF" "data: c\n\n", -1);
  ASSERT_LOG (&f, "E (null)|message|c");
  fixture_clear (&f);
}

static void
test_empty_data_line (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  /* "data:" with nothing after it still makes an event, with empty data. */
  feed_ok (&f, "id: 1\nevent: ping\ndata:\n\n", -1);
  ASSERT_LOG (&f, "E 1|ping|");
  fixture_clear (&f);
}

static void
test_event_without_data (void)
{
  Fixture f;

  fixture_init (&f, 4096);
  feed_ok (&f, "event: incident\n\n", -1);
  feed_ok (&f, "id: 3\nevent: incident\nretry: 10\n\n", -1);
  feed_ok (&f, "\n\n\r\n\r", -1);
  ASSERT_NO_LOG (&f);
  /* Nor does the type linger into the next event. */
  feed_ok (&f, "data: x\n\n", -1);
  ASSERT_LOG (&f, "E 3|message|x");
  /* An event never ended by a blank line is never dispatched. */
  feed_ok (&f, "data: pending\n", -1);
  ASSERT_NO_LOG (&f);
  fixture_clear (&f);
}

static void
test_oversized (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new ("data: ");
  Fixture f;

  fixture_init (&f, 64);
  /* Comfortably below the limit: fine. */
  feed_ok (&f, "id: 1\ndata: 0123456789012345678901234567890123456789\n\n", -1);
  ASSERT_LOG (&f, "E 1|message|0123456789012345678901234567890123456789");

  /* One long line, in one chunk. */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\n\n");
  g_assert_false (gw_sse_parser_feed (f.parser, big->str, big->len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_clear_error (&error);
  ASSERT_NO_LOG (&f);
  /* The parser was reset: the next event parses normally and the id survived. */
  feed_ok (&f, "data: ok\n\n", -1);
  ASSERT_LOG (&f, "E 1|message|ok");

  /* The same line fed byte by byte: also refused, before the whole line is buffered. */
  {
    gboolean failed = FALSE;
    gsize i;
    for (i = 0; i < big->len && !failed; i++)
      failed = !gw_sse_parser_feed (f.parser, big->str + i, 1, &error);
    g_assert_true (failed);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
    g_clear_error (&error);
    g_assert_cmpuint (i, <=, 64 + 2);
  }
  gw_sse_parser_reset (f.parser);
  feed_ok (&f, "data: ok2\n\n", -1);
  ASSERT_LOG (&f, "E 1|message|ok2");

  /* Many short data lines that add up past the limit. */
  {
    gboolean failed = FALSE;
    for (guint i = 0; i < 20 && !failed; i++)
      failed = !gw_sse_parser_feed (f.parser, "data: 0123456789\n", 17, &error);
    g_assert_true (failed);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
    g_clear_error (&error);
    feed_ok (&f, "\n", -1);
    ASSERT_NO_LOG (&f);
  }

  /* The events before the oversized one in the same chunk were delivered. */
  {
    g_autoptr(GString) chunk = g_string_new ("id: 2\ndata: before\n\n");
    g_string_append_len (chunk, big->str, big->len);
    g_assert_false (gw_sse_parser_feed (f.parser, chunk->str, chunk->len, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
    g_clear_error (&error);
    ASSERT_LOG (&f, "E 2|message|before");
  }

  /* Comments are not events: a long comment is bounded all the same. */
  {
    g_autoptr(GString) comment = g_string_new (":");
    for (guint i = 0; i < 200; i++)
      g_string_append_c (comment, 'c');
    g_string_append_c (comment, '\n');
    if (!gw_sse_parser_feed (f.parser, comment->str, comment->len, &error))
      {
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
        g_clear_error (&error);
      }
    gw_sse_parser_reset (f.parser);
    g_ptr_array_set_size (f.rec.log, 0);
  }
  fixture_clear (&f);
}

/* ---- split invariance ------------------------------------------------------------ */

typedef struct {
  GPtrArray *log;
  char      *last_id;
  gint64     retry;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_ptr_array_unref (o->log);
  g_free (o->last_id);
}

/* Feeds @stream cut into pieces: @mode 0 whole, 1 byte by byte, 2 random sizes. */
static void
run_split (const GString *stream,
           guint          mode,
           GRand         *rand,
           Outcome       *out)
{
  Recorder rec = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GwSseParser) parser = gw_sse_parser_new (1 << 20, record_event, record_comment, &rec);
  gsize pos = 0;

  while (pos < stream->len)
    {
      g_autoptr(GError) error = NULL;
      gsize want = mode == 0 ? stream->len : mode == 1 ? 1 : (gsize) g_rand_int_range (rand, 1, 12);
      gsize n = MIN (stream->len - pos, want);
      if (!gw_sse_parser_feed (parser, stream->str + pos, n, &error))
        g_error ("feed failed: %s", error->message);
      pos += n;
    }
  out->log = rec.log;
  out->last_id = g_strdup (gw_sse_parser_get_last_id (parser));
  out->retry = gw_sse_parser_get_retry (parser);
}

/* A random stream from the pieces that matter: all fields, comments, odd values,
 * every line ending, blank lines, colons and spaces in values. */
static void
random_stream (GRand   *rand,
               GString *out)
{
  static const char *names[] = { "data", "data", "data", "event", "id", "retry", "", "foo",
                                 "dat", "data " };
  static const char *values[] = { "", " ", "x", " x", "  x ", "{\"a\":1}", "a:b", "12",
                                  "\xe4\xb8\xad", ":", "\t", " 300" };
  static const char *endings[] = { "\n", "\r", "\r\n" };
  guint lines = g_rand_int_range (rand, 0, 40);

  g_string_truncate (out, 0);
  for (guint i = 0; i < lines; i++)
    {
      guint what = g_rand_int_range (rand, 0, 10);

      if (what == 0)
        ;  /* a blank line */
      else if (what == 1)
        g_string_append_printf (out, ":%s",
                                values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
      else
        {
          g_string_append (out, names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))]);
          if (g_rand_int_range (rand, 0, 6) != 0)
            g_string_append_c (out, ':');
          g_string_append (out, values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
        }
      g_string_append (out, endings[g_rand_int_range (rand, 0, G_N_ELEMENTS (endings))]);
    }
  /* Sometimes end mid-line or on a lone CR. */
  if (g_rand_boolean (rand))
    g_string_append (out, g_rand_boolean (rand) ? "data: tail" : "\r");
}

static void
assert_same_outcome (const Outcome *a,
                     const Outcome *b,
                     const GString *stream,
                     guint          mode)
{
  g_autofree char *escaped = g_strescape (stream->str, NULL);
  gboolean same = a->log->len == b->log->len && g_strcmp0 (a->last_id, b->last_id) == 0 &&
                  a->retry == b->retry;

  for (guint i = 0; same && i < a->log->len; i++)
    same = strcmp (g_ptr_array_index (a->log, i), g_ptr_array_index (b->log, i)) == 0;
  if (!same)
    {
      for (guint i = 0; i < MAX (a->log->len, b->log->len); i++)
        g_printerr ("%u: %s | %s\n", i,
                    i < a->log->len ? (char *) g_ptr_array_index (a->log, i) : "(nothing)",
                    i < b->log->len ? (char *) g_ptr_array_index (b->log, i) : "(nothing)");
      g_printerr ("last id: %s | %s; retry: %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT "\n",
                  a->last_id ?: "(none)", b->last_id ?: "(none)", a->retry, b->retry);
      g_error ("split mode %u differs from a whole feed for \"%s\"", mode, escaped);
    }
}

static void
test_split_invariance (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(GString) stream = g_string_new (NULL);
  guint events = 0;

  for (guint n = 0; n < 2000; n++)
    {
      Outcome whole, split;

      random_stream (rand, stream);
      run_split (stream, 0, rand, &whole);
      events += whole.log->len;
      for (guint mode = 1; mode <= 2; mode++)
        {
          run_split (stream, mode, rand, &split);
          assert_same_outcome (&whole, &split, stream, mode);
          outcome_clear (&split);
        }
      outcome_clear (&whole);
    }
  /* The sample must actually exercise dispatch, not just blank streams. */
  g_assert_cmpuint (events, >, 2000);
}

/* A realistic feed: the server's frames, split at every possible point. */
static void
test_split_everywhere (void)
{
  const char *stream =
    "retry: 2000\n: connected\n\n"
    "id: 41\nevent: incident\ndata: {\"seq\":41}\n\n"
    ": heartbeat\n\n"
    "id: 42\r\nevent: incident\r\ndata: {\"seq\":\r\ndata: 42}\r\n\r\n"
    "id: 43\revent: incident\rdata: {\"seq\":43}\r\r";
  gsize len = strlen (stream);
  Recorder ref = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GwSseParser) parser = gw_sse_parser_new (4096, record_event, record_comment, &ref);

  g_assert_true (gw_sse_parser_feed (parser, stream, len, NULL));
  g_assert_cmpuint (ref.log->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (ref.log, 0), ==, "C connected");
  g_assert_cmpstr (g_ptr_array_index (ref.log, 1), ==, "E 41|incident|{\"seq\":41}");
  g_assert_cmpstr (g_ptr_array_index (ref.log, 2), ==, "C heartbeat");
  g_assert_cmpstr (g_ptr_array_index (ref.log, 3), ==, "E 42|incident|{\"seq\":\n42}");
  g_assert_cmpstr (g_ptr_array_index (ref.log, 4), ==, "E 43|incident|{\"seq\":43}");
  g_ptr_array_unref (ref.log);
}

static void
test_split_everywhere_pairs (void)
{
  const char *stream =
    "retry: 2000\n: connected\n\n"
    "id: 41\nevent: incident\ndata: {\"seq\":41}\n\n"
    "id: 42\r\nevent: incident\r\ndata: {\"seq\":\r\ndata: 42}\r\n\r\n"
    "id: 43\revent: incident\rdata: {\"seq\":43}\r\r";
  gsize len = strlen (stream);
  Recorder ref = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GwSseParser) whole = gw_sse_parser_new (4096, record_event, record_comment, &ref);

  g_assert_true (gw_sse_parser_feed (whole, stream, len, NULL));
  /* Every way of cutting the stream into three pieces. */
  for (gsize a = 0; a <= len; a++)
    for (gsize b = a; b <= len; b++)
      {
        Recorder rec = { g_ptr_array_new_with_free_func (g_free) };
        g_autoptr(GwSseParser) parser = gw_sse_parser_new (4096, record_event, record_comment,
                                                           &rec);
        g_assert_true (gw_sse_parser_feed (parser, stream, a, NULL));
        g_assert_true (gw_sse_parser_feed (parser, stream + a, b - a, NULL));
        g_assert_true (gw_sse_parser_feed (parser, stream + b, len - b, NULL));
        g_assert_cmpuint (rec.log->len, ==, ref.log->len);
        for (guint i = 0; i < ref.log->len; i++)
          if (strcmp (g_ptr_array_index (rec.log, i), g_ptr_array_index (ref.log, i)) != 0)
            g_error ("cut at %zu and %zu: \"%s\" instead of \"%s\"", a, b,
                     (char *) g_ptr_array_index (rec.log, i),
                     (char *) g_ptr_array_index (ref.log, i));
        g_ptr_array_unref (rec.log);
      }
  g_ptr_array_unref (ref.log);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse-parser/line-endings", test_line_endings);
  g_test_add_func ("/sse-parser/mixed-line-endings", test_mixed_line_endings);
  g_test_add_func ("/sse-parser/crlf-split", test_crlf_split);
  g_test_add_func ("/sse-parser/multiline-data", test_multiline_data);
  g_test_add_func ("/sse-parser/comments", test_comments);
  g_test_add_func ("/sse-parser/id-persistence", test_id_persistence);
  g_test_add_func ("/sse-parser/id-with-nul", test_id_with_nul_ignored);
  g_test_add_func ("/sse-parser/nul-in-field-name", test_nul_in_field_name);
  g_test_add_func ("/sse-parser/retry", test_retry);
  g_test_add_func ("/sse-parser/fields", test_fields);
  g_test_add_func ("/sse-parser/empty-event-type", test_empty_event_type);
  g_test_add_func ("/sse-parser/leading-bom", test_leading_bom);
  g_test_add_func ("/sse-parser/empty-data-line", test_empty_data_line);
  g_test_add_func ("/sse-parser/event-without-data", test_event_without_data);
  g_test_add_func ("/sse-parser/oversized", test_oversized);
  g_test_add_func ("/sse-parser/split-invariance", test_split_invariance);
  g_test_add_func ("/sse-parser/split-everywhere", test_split_everywhere);
  g_test_add_func ("/sse-parser/split-everywhere-pairs", test_split_everywhere_pairs);

  return g_test_run ();
}
