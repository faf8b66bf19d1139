#!/bin/sh
# Runs `qiaod serve` under valgrind (memcheck, full leak check), one log per process in
# $VALGRIND_LOGS; other commands (seed-demo …) run as they are. Used by `make leakcheck`.
bin="$(dirname "$0")/../build/qiaod"
[ "${1:-}" = serve ] || exec "$bin" "$@"
exec valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
  --log-file="${VALGRIND_LOGS:-/tmp}/qiaod.%p.log" "$bin" "$@"
