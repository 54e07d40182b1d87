#ifndef SMTP_DOCTOR_CFUZZER_H
#define SMTP_DOCTOR_CFUZZER_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry for programs with their own main()
   (https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library). */
int sd_fuzzer_run(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));
#endif
