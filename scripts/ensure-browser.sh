#!/usr/bin/env bash
# Makes sure the dashboard's browser test can run: Debian's chromium (the test never downloads a
# browser), node 18 or later with npm (Debian's nodejs when none is installed), and the pinned
# playwright-core of examples/browser, installed from its package-lock.json with `npm ci` into
# examples/browser/node_modules.
# Exits non-zero when one of them cannot be provided.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[ensure-browser] $*"; }

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ "${#packages[@]}" -gt 0 ]; then
  log "installing ${packages[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

major=$(node --version | sed -E 's/^v([0-9]+).*/\1/')
if [ "$major" -lt 18 ]; then
  log "node $(node --version) is too old: playwright-core needs 18 or later"
  exit 1
fi

# playwright-core goes into examples/browser/node_modules (project-local, never global). When the
# locked version is already there nothing is asked of the registry, so a second run works offline;
# otherwise npm ci takes it from npm's cache when it can. playwright-core has no install script
# and fetches no browser; the variable makes sure of it.
locked=$(node -p "require('./examples/browser/package-lock.json').packages['node_modules/playwright-core'].version")
installed=$(node -p "try { require('./examples/browser/node_modules/playwright-core/package.json').version }
  catch (e) { '' }")
if [ "$installed" = "$locked" ]; then
  log "playwright-core $locked already in examples/browser/node_modules"
else
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix examples/browser --prefer-offline --no-audit --no-fund \
    --loglevel=error
fi
log "chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $(node --version),"\
" playwright-core $(node -p "require('./examples/browser/node_modules/playwright-core/package.json').version")"
