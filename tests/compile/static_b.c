/* static_b.c - the second translation unit of the INFER_STATIC check (see static_a.c). */
#define INFER_STATIC
#define INFER_IMPLEMENTATION
#include "infer.h"

const char *static_b_status(void);

const char *static_b_status(void) { return infer_status_string(INFER_STATUS_OUT_OF_MEMORY); }
