# The E2B sandbox template every run starts from (docs/e2b.md): git, ripgrep and OpenCode, pinned to the version the
# tests run (package.json; tests/…/E2BTemplateTests keeps the two in step). E2B adds envd and the `user` account.
FROM ubuntu:24.04

ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl git ripgrep nodejs npm \
 && rm -rf /var/lib/apt/lists/*

# The npm package carries the native binary; no Node is needed to run it, only to install it.
RUN npm install --global --no-fund --no-audit opencode-ai@1.18.33 \
 && opencode --version

# Headless by default; the control plane also passes these per run.
ENV OPENCODE_DISABLE_AUTOUPDATE=1 \
    OPENCODE_DISABLE_SHARE=1 \
    GIT_TERMINAL_PROMPT=0
