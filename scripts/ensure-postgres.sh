#!/usr/bin/env bash
# Make sure PostgreSQL's server binaries are installed (Debian package `postgresql`), for the
# store's tests, which start a throw-away server on loopback. Idempotent: does nothing when
# /usr/lib/postgresql/*/bin/initdb exists. Needs root (or sudo) only when it has to install.
set -euo pipefail

have_server() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if have_server; then
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "ensure-postgres: PostgreSQL is not installed and apt-get is missing;" \
        "install the PostgreSQL server (initdb, pg_ctl) by hand" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        SUDO="sudo"
    else
        echo "ensure-postgres: run as root or install the Debian package postgresql" >&2
        exit 1
    fi
fi

echo "ensure-postgres: installing the Debian package postgresql" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends postgresql

if ! have_server; then
    echo "ensure-postgres: postgresql installed but no /usr/lib/postgresql/*/bin/initdb" >&2
    exit 1
fi
