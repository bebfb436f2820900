#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the pinned requirements.
# Idempotent: a stamp keyed on the requirement files makes a second run take a second.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.requirements.sha256"
want=$(cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)

is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python() {
  local candidate
  for candidate in python3.10 "$(command -v pyenv >/dev/null && echo "$(pyenv root)"/versions/3.10*/bin/python3.10)" \
                   /root/.pyenv/versions/3.10*/bin/python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
    for path in $candidate; do
      if command -v "$path" >/dev/null 2>&1 && is_310 "$path"; then command -v "$path"; return 0; fi
    done
  done
  if command -v uv >/dev/null 2>&1; then
    uv python install 3.10 >/dev/null 2>&1 || true
    candidate=$(uv python find 3.10 2>/dev/null || true)
    if [ -n "$candidate" ] && is_310 "$candidate"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

if [ -x "$VENV/bin/python" ] && is_310 "$VENV/bin/python" && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

if ! [ -x "$VENV/bin/python" ] || ! is_310 "$VENV/bin/python"; then
  if ! PYTHON=$(find_python); then
    cat >&2 <<'MSG'
Python 3.10 est introuvable (Rasa 3.6 ne fonctionne pas avec 3.11 ou plus).
Installez-le, par exemple avec « pyenv install 3.10 » ou « uv python install 3.10 », puis relancez « make setup ».
Python 3.10 was not found (Rasa 3.6 does not run on 3.11+).
Install it, e.g. with "pyenv install 3.10" or "uv python install 3.10", then run "make setup" again.
MSG
    exit 1
  fi
  echo "Création de l'environnement $VENV avec $PYTHON"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

echo "Installation des dépendances épinglées (quelques minutes la première fois)…"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt pip setuptools
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r requirements.txt -r requirements-dev.txt -c constraints.txt
"$VENV/bin/python" -m pip check
# Rasa ships write keys for its telemetry (Segment) and crash reports (Sentry), and sends crash
# reports whenever the key file is there, whatever RASA_TELEMETRY_ENABLED says. A public
# service's conversations must not leave its servers: without the keys, nothing is sent.
rm -f "$VENV"/lib/python3.10/site-packages/rasa/keys
echo "$want" > "$STAMP"
