/* impl.c - compile check: the whole header (implementation included) in one translation unit, built
   by `make check-compile` as C99 (gcc, clang; -Wall -Wextra -pedantic -Werror, with and without
   -fopenmp) and as C++11 (g++). It only has to compile; main() loads nothing. */
#define INFER_IMPLEMENTATION
#include "infer.h"

#include <stdio.h>

int main(int argc, char **argv) {
    infer_model *model = NULL;
    infer_error err;
    infer_options opts;
    if (argc < 2) {
        printf("infer.h %d.%d.%d\n", INFER_VERSION_MAJOR, INFER_VERSION_MINOR, INFER_VERSION_PATCH);
        return 0;
    }
    opts.num_threads = 1;
    opts.opt_level = 0;
    opts.allocator.alloc = NULL;
    opts.allocator.free = NULL;
    opts.allocator.user = NULL;
    opts.max_memory = 0;
    opts.max_model_bytes = 0;
    opts.arena = NULL;
    opts.arena_size = 0;
    if (infer_model_load_file(argv[1], &opts, &model, &err) != INFER_STATUS_OK) {
        printf("%s\n", err.message);
        return 1;
    }
    printf("%d inputs, %d outputs\n", infer_model_input_count(model), infer_model_output_count(model));
    infer_model_destroy(model);
    return 0;
}
