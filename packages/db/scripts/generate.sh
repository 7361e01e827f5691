#!/bin/sh
# Generates the Prisma client into src/generated/prisma. `prisma generate` does not need the
# schema engine, but the CLI downloads it first unless PRISMA_SCHEMA_ENGINE_BINARY names an
# existing file; any file will do, so offline machines point it at the node binary.
set -eu
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(command -v node)}" \
  exec prisma generate --config ../../prisma.config.ts --no-hints
