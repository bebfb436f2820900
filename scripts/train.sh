#!/usr/bin/env bash
# Train the model only when what it is trained on changed (bot/fingerprint.py: config, domain,
# training data, the project's NLU components).
# The fingerprint is kept beside the model; `make train FORCE=1` retrains anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=models/spro.tar.gz
STAMP=models/spro.fingerprint
want=$(.venv/bin/python -m bot.fingerprint)  # bot/fingerprint.py: the studio writes the same
if [ -z "${FORCE:-}" ] && [ -f "$MODEL" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  echo "Modèle à jour : $MODEL"
  exit 0
fi
echo "Entraînement du modèle (quelques minutes)…"
.venv/bin/rasa train --fixed-model-name spro --out models --quiet
echo "$want" > "$STAMP"
