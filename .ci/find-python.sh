#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (axio needs it), or explain what is missing and fail.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for cand in "${PYTHON:-}" python3.12 python3.13 python3; do
  [ -n "$cand" ] || continue
  p=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for p in "$root"/versions/3.12*/bin/python "$root"/versions/3.13*/bin/python; do
  if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
done
echo "axio_nb needs Python >= 3.12 (axio requires it) and none was found on PATH or in pyenv." >&2
echo "Install one (e.g. 'pyenv install 3.12', or apt-get install python3.12) or run: make PYTHON=/path/to/python3.12 ..." >&2
exit 1
