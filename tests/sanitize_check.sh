#!/bin/sh
# sanitize_check.sh LOG... - exits 1 (printing the report's first lines) when a log holds a report of
# AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer, ThreadSanitizer or valgrind.
status=0
for log in "$@"; do
    if grep -n -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer|ThreadSanitizer: reported|==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched)|definitely lost in|indirectly lost in' "$log" >/dev/null 2>&1; then
        echo "sanitize_check: $log has sanitizer reports:" >&2
        grep -n -E -A 12 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer|==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched)|definitely lost in|indirectly lost in' "$log" | head -n 80 >&2
        status=1
    fi
done
exit $status
