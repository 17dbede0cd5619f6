#!/bin/sh
# azd postprovision: make sure the vault holds a secret-encryption key (generated here once, never rotated by a later
# provision), then say which of the other secrets are still missing. Needs the Azure CLI, logged in as the deployer
# (azd grants that principal Key Vault Secrets Officer on the vault).
set -eu
vault="${AZURE_KEY_VAULT_NAME:?run through azd: AZURE_KEY_VAULT_NAME is an output of infra/main.bicep}"
command -v az >/dev/null || { echo "postprovision: the Azure CLI (az) is needed to create the secret-encryption key; see docs/deploy.md" >&2; exit 1; }

has_secret() { az keyvault secret show --vault-name "$vault" --name "$1" --query id -o none >/dev/null 2>&1; }

# Role assignments take a few minutes to reach Key Vault; wait for read access before deciding a secret is missing.
tries=0
until az keyvault secret list --vault-name "$vault" --query "[0].id" -o none >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 30 ] || { echo "postprovision: no access to Key Vault $vault after 5 minutes" >&2; exit 1; }
  sleep 10
done

if ! has_secret secret-encryption-key; then
  # 32 random bytes, base64: piped to az, never on a command line or in a file.
  head -c 32 /dev/urandom | base64 | tr -d '\n' | az keyvault secret set --vault-name "$vault" --name secret-encryption-key --file /dev/stdin --encoding utf-8 -o none
  echo "postprovision: created secret-encryption-key in $vault"
fi

missing=""
for name in e2b-api-key model-api-key; do
  has_secret "$name" || missing="$missing $name"
done
if [ -n "${CODING_AGENT_GITHUB_APP_ID:-}" ] && ! has_secret github-app-private-key; then
  missing="$missing github-app-private-key"
fi
if [ -n "$missing" ]; then
  echo "postprovision: Key Vault $vault still needs:$missing"
  echo "  set each with: az keyvault secret set --vault-name $vault --name <name> --file <file holding the value>"
  echo "  then restart the app: az functionapp restart -g ${AZURE_RESOURCE_GROUP:-<group>} -n ${AZURE_FUNCTION_APP_NAME:-<app>}"
fi
