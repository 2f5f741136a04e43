/* th-call-check.h — what the call end-to-end tests share: a CLI user
 * with a token, a `tandem-cli --json call` run with test sources, and
 * checks on its result: numbers at a path, the colour of the picture that
 * arrived, and "this side received the other's media". */
#pragma once

#include "th-cli.h"

G_BEGIN_DECLS

/* A CLI user of @server_url signed in with @token (as $TANDEM_TOKEN). */
ThCliUser   *th_call_user  (const char *server_url,
                            const char *token);

/* `tandem-cli --json call BOOKING --video V --audio A --no-sound
 * --duration D [--relay]`, running. */
GSubprocess *th_call_start (ThCliUser  *user,
                            const char *booking,
                            const char *video,
                            const char *audio,
                            const char *duration,
                            gboolean    relay);

/* The number at the dotted @path of @r's JSON; fails the test when there
 * is none. */
double th_call_json_double     (ThCliResult *r,
                                const char  *path);

/* The colour at the centre of the last picture the run received: 'r'
 * (red), 'b' (blue) or '?'. */
char   th_call_received_colour (ThCliResult *r);

/* The run connected, received ≥ 10 video frames and audio buffers, its
 * last picture is @colour ('r', 'b') and its sound ≈ @hz (±10 %). */
void   th_call_assert_received (ThCliResult *r,
                                char         colour,
                                double       hz);

G_END_DECLS
