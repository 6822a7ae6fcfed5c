#!/usr/bin/env bash
# Builds the pinned policy toolchain into tools/bin/ from the Go tool modules beside this script.
# Usage: tools/build.sh [opa] [regal]   (both when no argument is given)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v go >/dev/null 2>&1; then
  echo "tools/build.sh: Go 1.26 or newer is required to build the pinned OPA and Regal (tools/*/go.mod)." >&2
  exit 1
fi
mkdir -p "$here/bin"
for name in "${@:-opa regal}"; do
  for tool in $name; do
    case "$tool" in
      opa) pkg=github.com/open-policy-agent/opa ;;
      # The checksum database does not list this Regal release; go.sum pins its hash instead.
      regal) pkg=github.com/open-policy-agent/regal; export GONOSUMDB=github.com/open-policy-agent/regal ;;
      *) echo "tools/build.sh: unknown tool '$tool' (expected opa or regal)" >&2; exit 1 ;;
    esac
    # awk reads its whole input: `| head -1` could end a writer early (SIGPIPE under pipefail).
    version="$(awk -v p="$pkg" '$1 == p { print $2; exit }' "$here/$tool/go.mod")"
    echo "building $tool ($version) …"
    go -C "$here/$tool" build -trimpath -o "$here/bin/$tool" "$pkg"
  done
done
