#!/usr/bin/env bash
# Installs, from Debian's packages only, what building and testing every system needs.
# Runs apt-get only when something is missing, so repeated runs are quick.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-contrib
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  libfmt-dev libgtest-dev
  postgresql-15-cron postgresql-15-partman
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The typegen test's client side: npm (Debian's, unless a nodejs package
# already brings one); it installs a newer node from the npm registry itself.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages: ${missing[*]} (run as root, or install them first)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's postgresql-common would create and start a default cluster; the
  # project runs its own throwaway clusters instead.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/pg-cpp-systems.conf
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
pg_config --version
