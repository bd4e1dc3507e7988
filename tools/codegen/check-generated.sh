#!/usr/bin/env bash
# Fails when the committed libs/grpc-contracts/src/generated differs from what proto/ generates now:
# a proto changed without `npx nx run codegen:generate`, or generated code was edited by hand.
set -euo pipefail

workspace_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
committed="$workspace_root/libs/grpc-contracts/src/generated"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

"$workspace_root/tools/codegen/generate.sh" "$scratch"

if ! diff -r "$scratch/libs/grpc-contracts/src/generated" "$committed" > "$scratch/drift.diff"; then
  head -n 80 "$scratch/drift.diff" | sed "s#$scratch/##"
  echo >&2
  echo "error: libs/grpc-contracts/src/generated is out of date with proto/ (or was edited by hand)." >&2
  echo "       Regenerate with: npx nx run codegen:generate" >&2
  exit 1
fi
echo "libs/grpc-contracts/src/generated matches proto/"
