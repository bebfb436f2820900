#!/usr/bin/env bash
# `make run`: the action server, the Rasa server (REST, and the channels of credentials.yml) and
# the widget's demo page, each in the background; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
ACTIONS_PORT=5055  # endpoints.yml calls the action server there
RASA_PORT=${RASA_PORT:-5005}
DEMO_PORT=${DEMO_PORT:-8080}
# The widget's demo page is another origin than the bot: it must be allowed (docs/deploiement.md).
export SPRO_PUBLIC_URL=${SPRO_PUBLIC_URL:-http://localhost:$RASA_PORT}
export WEBCHAT_ALLOWED_ORIGINS=${WEBCHAT_ALLOWED_ORIGINS:-http://localhost:$DEMO_PORT,http://127.0.0.1:$DEMO_PORT}

# The Rasa HTTP API (used by the editors' studio to load a new model) is open to anyone without a
# token: the token comes from SPRO_RASA_TOKEN, else from var/rasa-api-token, created once (mode 600).
if [ -z "${SPRO_RASA_TOKEN:-}" ]; then
  if [ ! -s var/rasa-api-token ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > var/rasa-api-token)
  fi
  SPRO_RASA_TOKEN=$(cat var/rasa-api-token)
fi
export SPRO_RASA_TOKEN

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The same launcher as in production (bot/production): embedded here (SQLite, in-memory lock)
# since SPRO_REDIS_URL is unset; the action server on 127.0.0.1 only.
.venv/bin/python -m bot.production actions --port "$ACTIONS_PORT" > var/actions.log 2>&1 &
pids+=($!)
SPRO_INTERFACE=${SPRO_INTERFACE:-0.0.0.0} .venv/bin/python -m bot.production rasa --port "$RASA_PORT" \
  --model models/spro.tar.gz --credentials credentials.yml > var/rasa.log 2>&1 &
pids+=($!)
.venv/bin/python -m bot.web.demo_site --port "$DEMO_PORT" --bot "$SPRO_PUBLIC_URL" > var/demo.log 2>&1 &
pids+=($!)

echo "Démarrage du bot (une minute environ)…"
for _ in $(seq 1 180); do
  if curl -sf "http://localhost:$RASA_PORT/webhooks/rest/" >/dev/null; then break; fi
  sleep 1
done
cat <<MSG

Le bot SPRO est prêt.
  Widget    : http://localhost:$DEMO_PORT (page de démonstration du site régional, bouton en bas à droite)
  API REST  : curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"moi","message":"bonjour"}'
  Studio    : make studio (dans un autre terminal), puis http://localhost:8090
  Terminal  : make shell (dans un autre terminal ; il utilise le même serveur d'actions)
  Journaux  : var/actions.log, var/rasa.log
Ctrl-C pour arrêter.
MSG
wait -n "${pids[@]}"
