#!/usr/bin/env bash
# Builds dist/skill-lambda.zip for provided.al2023 from the static build (cmake --preset static):
# the fully static `skill` as `bootstrap` (mode 0755, stripped) at the root, plus the files the
# function reads at run time: app/views, www/ (templates, static) and config/*.json except the
# developer's local.json. Lambda unpacks it to /var/task (LAMBDA_TASK_ROOT).
# Usage: tools/package/package.sh [static build dir] [output zip]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/static}
out=${2:-$root/dist/skill-lambda.zip}
max_bytes=$((5 * 1024 * 1024))

binary=$build/bin/skill
[ -x "$binary" ] || { echo "package: $binary missing; run cmake --build --preset static" >&2; exit 1; }
# A dynamic binary would need Debian's glibc 2.36 on AL2023's 2.34 (aws.md §5.1).
file -L "$binary" | grep -q 'statically linked' ||
  { echo "package: $binary is not statically linked" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -m 0755 "$binary" "$stage/bootstrap"
strip --strip-all "$stage/bootstrap"
[ -d "$root/app/views" ] && mkdir -p "$stage/app" && cp -R "$root/app/views" "$stage/app/"
[ -d "$root/www" ] && cp -R "$root/www" "$stage/"
if compgen -G "$root/config/*.json" >/dev/null; then
  mkdir -p "$stage/config"
  for config in "$root"/config/*.json; do
    [ "$(basename "$config")" = local.json ] || install -m 0644 "$config" "$stage/config/"
  done
fi

# Reproducible: fixed times, sorted names, no extra attributes.
find "$stage" -exec touch -h -d '2026-01-01 00:00:00 UTC' {} +
mkdir -p "$(dirname "$out")"
rm -f "$out"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | zip -q -X -9 "$out" -@)

size=$(stat -c %s "$out")
echo "package: $out ($size bytes)"
((size < max_bytes)) || { echo "package: over the $max_bytes byte budget" >&2; exit 1; }
