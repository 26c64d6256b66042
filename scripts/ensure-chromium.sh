#!/usr/bin/env bash
# Make sure Debian's Chromium is installed (package `chromium`), for the web app's browser tests,
# which drive it with Playwright (executable_path=/usr/bin/chromium; `playwright install` is never
# run). Idempotent: does nothing when /usr/bin/chromium exists. Needs root (or sudo) to install.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is not available;" \
        "install Chromium by hand (the browser tests are skipped without it)" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        SUDO="sudo"
    else
        echo "ensure-chromium: run as root or install the Debian package chromium" >&2
        exit 1
    fi
fi

$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
test -x /usr/bin/chromium
