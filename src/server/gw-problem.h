/* gw-problem.h — RFC 9457 problem responses for the Dispatch API */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define GW_PROBLEM_BASE "https://gridwatch.org/problems/"

/* Answers @msg with application/problem+json; @field may be NULL. */
void gw_problem_respond       (SoupServerMessage *msg,
                               guint              status,
                               const char        *slug,
                               const char        *detail,
                               const char        *field);
/* Maps codec, workflow and database errors to their status and problem type. */
void gw_problem_respond_error (SoupServerMessage *msg,
                               const GError      *error);

G_END_DECLS
