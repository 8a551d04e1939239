#!/usr/bin/env bash
# Regenerates every test/build/fixtures/<case>/expected.yaml with `kubectl kustomize`.
# A case builds <case>/input/<path> (<case>/path names it, default the input root). A path without
# a kustomization file is built the way Flux generates one: every .yaml/.yml file under it in
# lexical order, a subdirectory with its own kustomization file taken whole.
set -euo pipefail
cd "$(dirname "$0")/fixtures"
command -v kubectl >/dev/null || { echo "kubectl is required (kustomize v5.5)" >&2; exit 1; }

generated_resources() {
  local dir=$1 prefix=$2 entry name
  for entry in $(ls -A "$dir" | LC_ALL=C sort); do
    name="$dir/$entry"
    if [ -d "$name" ]; then
      if [ -e "$name/kustomization.yaml" ] || [ -e "$name/kustomization.yml" ] || [ -e "$name/Kustomization" ]; then
        echo "- $prefix$entry"
      else
        generated_resources "$name" "$prefix$entry/"
      fi
    elif [[ "$entry" == *.yaml || "$entry" == *.yml ]]; then
      echo "- $prefix$entry"
    fi
  done
}

for case in */; do
  case=${case%/}
  path=$(cat "$case/path" 2>/dev/null || echo .)
  dir="$case/input/$path"
  if [ -e "$dir/kustomization.yaml" ] || [ -e "$dir/kustomization.yml" ] || [ -e "$dir/Kustomization" ]; then
    kubectl kustomize "$dir" >"$case/expected.yaml"
  else
    tmp=$(mktemp -d)
    cp -r "$case/input/." "$tmp/"
    list=$(generated_resources "$tmp/$path" "")
    printf 'resources:\n%s\n' "$list" >"$tmp/$path/kustomization.yaml"
    kubectl kustomize "$tmp/$path" >"$case/expected.yaml"
    rm -rf "$tmp"
  fi
  echo "$case"
done
