#!/usr/bin/env bash
# Generates the TypeScript gRPC contracts from proto/ with buf + ts-proto (options in buf.gen.yaml), then
# formats them with the repository's Prettier settings.
# Usage: tools/codegen/generate.sh [output-base-dir]
#   The output lands in <output-base-dir>/libs/grpc-contracts/src/generated (default base: the repo root).
set -euo pipefail

workspace_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
output_base="${1:-$workspace_root}"

cd "$workspace_root"
node_modules/.bin/buf generate --output "$output_base"
node tools/codegen/format-generated.mjs "$output_base/libs/grpc-contracts/src/generated"
