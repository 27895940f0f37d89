#!/usr/bin/env bash
# `make run`: first run creates var/dti.db with the demo province and prints the one-time admin
# password; every run starts the server on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DTI_DB:-sqlite:var/dti.db}
LISTEN=${DTI_LISTEN:-127.0.0.1:8080}
mkdir -p -m 700 var
if [ ! -f var/dti.db ] && [ "$DB" = "sqlite:var/dti.db" ]; then
  build/dti init --db "$DB" --demo
fi
exec build/dti serve --db "$DB" --listen "$LISTEN"
