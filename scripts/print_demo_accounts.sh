#!/usr/bin/env bash
# Printed by `make run`: where the portal is and how to log in as each role.
port=${1:-8000}
cat <<TXT

  Alliance Portal: http://127.0.0.1:${port}/

  Demo accounts (password for all: Alliance-demo-2026)
    NGO leader      leader@demo.kz
    Expert          expert@demo.kz      (two-factor)
    Alliance staff  staff@demo.kz       (two-factor)
    Fund officer    fund@demo.kz        (two-factor)
    Akimat official official@demo.kz    (two-factor)
    Administrator   admin@demo.kz       (two-factor)

  Two-factor accounts use the TOTP secret JBSWY3DPEHPK3PXPKZALLIAN:
  add it to an authenticator app, or print the current code with
    .venv/bin/python -c "import pyotp; print(pyotp.TOTP('JBSWY3DPEHPK3PXPKZALLIAN').now())"

TXT
