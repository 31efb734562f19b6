#!/usr/bin/env bash
# The end-to-end tests need a Chromium. Playwright's own download does not work everywhere, so on Debian we
# install the distribution's chromium. CHROMIUM_PATH, /usr/bin/chromium or a Playwright-managed browser will do.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] && exit 0
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2; exit 1
fi
[ -x /usr/bin/chromium ] && exit 0
if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium* >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the end-to-end tests (apt-get)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found: set CHROMIUM_PATH, install chromium, or run 'npx playwright install chromium'." >&2
exit 1
