/* fuzz.h — the libFuzzer entry points of tests/fuzz/fuzz-request.c, also
 * called by replay.c when the project is built without libFuzzer. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize   (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
