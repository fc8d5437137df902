/* static_a.c / static_b.c - compile check of INFER_STATIC: two translation units, each with its own
   private copy of the implementation, linked into one program (no duplicate symbols). */
#define INFER_STATIC
#define INFER_IMPLEMENTATION
#include "infer.h"

#include <stdio.h>

const char *static_b_status(void);

int main(void) {
    const char *a = infer_status_string(INFER_STATUS_PARSE_ERROR), *b = static_b_status();
    printf("a: %s, b: %s\n", a, b);
    return (a && b) ? 0 : 1;
}
