#!/usr/bin/env bash
# The system packages the tests need, installed by `make setup` when it can:
# - Chromium (Debian's, at /usr/bin/chromium): the browser tests drive it (tests/browser);
#   never a downloaded browser;
# - nginx (/usr/sbin/nginx): the production tests put it in front of the replicas (tests/production).
# Root with apt-get (these machines): installed here. Otherwise: the one command to run, and a stop.
# SPRO_SYSTEM_ROOT (empty: the machine itself) lets tests/test_setup.py point at a fake system.
# Only bash built-ins besides `id` and `apt-get`.
set -euo pipefail
SYSTEM_ROOT=${SPRO_SYSTEM_ROOT:-}

missing() {
  local packages=()
  [ -x "$SYSTEM_ROOT/usr/bin/chromium" ] || packages+=(chromium)
  [ -x "$SYSTEM_ROOT/usr/sbin/nginx" ] || packages+=(nginx)
  echo "${packages[*]}"
}

packages=$(missing)
[ -z "$packages" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation des paquets système nécessaires aux tests : $packages"
  # shellcheck disable=SC2086  # one word per package
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages; then
    still=$(missing)
    [ -z "$still" ] && exit 0
    echo "apt-get a terminé, mais il manque encore : $still." >&2
  fi
  echo "L'installation de « $packages » a échoué (voir ci-dessus). / Installing \"$packages\" failed (see above)." >&2
  exit 1
fi

printf '%s\n' \
  "Il manque des paquets système pour les tests : $packages." \
  "Installez-les avec cette commande (en administrateur), puis relancez « make setup » :" \
  "Missing system packages for the tests: $packages." \
  "Install them with this command (as root), then run \"make setup\" again:" \
  "" \
  "  sudo sh -c 'apt-get update && apt-get install -y $packages'" >&2
exit 1
