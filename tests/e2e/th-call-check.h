/* th-call-check.h — checks on the `--json` result of `tandem-cli call`,
 * shared by the call end-to-end tests: numbers at a path, the colour of
 * the picture that arrived, and "this side received the other's media". */
#pragma once

#include "th-cli.h"

G_BEGIN_DECLS

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
