"""Screenshots of portal pages as a given demo user, for looking at what we build.

    .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8000 \
        --user staff@demo.kz --width 375 /kk/ /kk/deadlines/

Logs in through the real form (with the demo TOTP code where needed) and writes PNGs to
/tmp/shots/. Uses Debian's Chromium.
"""

import argparse
import pathlib
import re

import pyotp
from playwright.sync_api import sync_playwright

DEMO_PASSWORD = "Alliance-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPKZALLIAN"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--out", default="/tmp/shots")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
            ],
        )
        page = browser.new_page(
            viewport={"width": args.width, "height": 900}, locale="kk-KZ"
        )
        if args.user:
            page.goto(f"{args.base}/kk/accounts/login/")
            page.fill("input[name=login]", args.user)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.locator(
                "form:has(input[name=password]) button[type=submit]"
            ).first.click()
            page.wait_for_load_state()
            if page.locator("input[name=code]").count():
                page.fill("input[name=code]", pyotp.TOTP(DEMO_TOTP_SECRET).now())
                page.locator(
                    "form:has(input[name=code]) button[type=submit]"
                ).first.click()
                page.wait_for_load_state()
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            name = re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_") or "root"
            file = out / f"{name}_{args.width}.png"
            page.screenshot(path=str(file), full_page=True)
            print(file)
        browser.close()


if __name__ == "__main__":
    main()
