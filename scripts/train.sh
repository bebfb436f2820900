#!/usr/bin/env bash
# Train the model only when what it is trained on changed (config, domain, training data).
# The fingerprint is kept beside the model; `make train FORCE=1` retrains anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=models/spro.tar.gz
STAMP=models/spro.fingerprint
want=$(cat config.yml domain.yml $(find data/nlu data/stories data/rules -name "*.yml" | LC_ALL=C sort) bot/nlu/*.py | sha256sum | cut -d' ' -f1)
if [ -z "${FORCE:-}" ] && [ -f "$MODEL" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  echo "Modèle à jour : $MODEL"
  exit 0
fi
echo "Entraînement du modèle (quelques minutes)…"
.venv/bin/rasa train --fixed-model-name spro --out models --quiet
echo "$want" > "$STAMP"
