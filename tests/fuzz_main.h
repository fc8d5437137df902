/* fuzz_main.h - plain main() that replays files through LLVMFuzzerTestOneInput, for builds
   without libFuzzer (gcc with -fsanitize=address,undefined). Included by the fuzz targets under
   #ifdef INFER_FUZZ_MAIN.

   usage: PROG [-v] FILE_OR_DIR...     directories are read one level deep (sorted, dot files skipped)
   Exit status 0 when every file was replayed (a crash aborts the process with the sanitizer's report).
*/
#ifndef FUZZ_MAIN_H_INCLUDED
#define FUZZ_MAIN_H_INCLUDED

#if !defined(_WIN32)
#include <dirent.h>
#include <sys/stat.h>
#endif

static int fuzz_verbose = 0;

static int fuzz_replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, got;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            unsigned char *nb = (unsigned char *)realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                fprintf(stderr, "out of memory reading %s\n", path);
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    fclose(f);
    if (fuzz_verbose) {
        fprintf(stderr, "replay %s (%lu bytes)\n", path, (unsigned long)len);
        fflush(stderr);
    }
    /* copy to an exact-size block so that reads past the end are caught */
    {
        unsigned char *exact = (unsigned char *)malloc(len ? len : 1);
        if (!exact) {
            free(buf);
            return -1;
        }
        if (len) memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    return 0;
}

static int fuzz_name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays a file, or every regular file of a directory; returns the count replayed or -1. */
static int fuzz_replay_path(const char *path) {
#if !defined(_WIN32)
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        char **names = NULL;
        int n = 0, cap = 0, i, done = 0, bad = 0;
        if (!d) {
            fprintf(stderr, "cannot open directory %s\n", path);
            return -1;
        }
        while ((e = readdir(d)) != NULL) {
            size_t l;
            char *full;
            if (e->d_name[0] == '.') continue;
            l = strlen(path) + strlen(e->d_name) + 2;
            full = (char *)malloc(l);
            if (!full) break;
            snprintf(full, l, "%s/%s", path, e->d_name);
            if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
                free(full);
                continue;
            }
            if (n == cap) {
                char **nn = (char **)realloc(names, (size_t)(cap ? cap * 2 : 64) * sizeof *names);
                if (!nn) {
                    free(full);
                    break;
                }
                names = nn;
                cap = cap ? cap * 2 : 64;
            }
            names[n++] = full;
        }
        closedir(d);
        if (n) qsort(names, (size_t)n, sizeof *names, fuzz_name_cmp);
        for (i = 0; i < n; i++) {
            if (fuzz_replay_file(names[i]) == 0) done++;
            else bad = 1;
            free(names[i]);
        }
        free(names);
        return bad ? -1 : done;
    }
#endif
    return fuzz_replay_file(path) == 0 ? 1 : -1;
}

int main(int argc, char **argv) {
    int i, total = 0, bad = 0;
    for (i = 1; i < argc; i++) {
        int n;
        if (strcmp(argv[i], "-v") == 0) {
            fuzz_verbose = 1;
            continue;
        }
        if (argv[i][0] == '-') continue; /* libFuzzer-style flags are ignored */
        n = fuzz_replay_path(argv[i]);
        if (n < 0) bad = 1;
        else total += n;
    }
    printf("%s: replayed %d inputs%s\n", argv[0], total, bad ? " (some could not be read)" : "");
    return bad ? 1 : 0;
}

#endif
