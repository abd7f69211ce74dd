"""The HTTP side of scripts/deploy_smoke.sh: a visitor, a staff member and an NGO leader
against the running stack (nginx → gunicorn → PostgreSQL, Celery worker, Redis).

Standard library only (urllib with a cookie jar), plus pyotp for the TOTP code. Prints
one line per check; exits non-zero at the first failure, saying what was expected.

    python scripts/deploy_smoke_client.py --base https://localhost:8151 \
        --http http://localhost:8150 --upstream http://127.0.0.1:8152 \
        --cafile cert.pem --memorandum 1 --require-csp
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "Alliance-demo-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPKZALLIAN"


class SmokeError(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeError(what)
    print(f"  ok  {what}", flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""

    def headers_all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """A browser without JavaScript: cookies, CSRF from forms, no automatic redirects."""

    def __init__(self, base: str, context: ssl.SSLContext):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect(),
        )

    def request(self, path: str, data: dict | None = None, headers=None) -> Response:
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Only the http(s) URLs given on the command line (checked in main).
        req = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        if body is not None:
            # Django's CSRF check of HTTPS requests wants a same-origin Referer.
            req.add_header("Referer", url)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return Response(resp.status, resp.headers, resp.read(), url)
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.headers, exc.read(), url)

    def get(self, path: str, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post_form(self, path: str, fields: dict, page: Response | None = None):
        page = page or self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not token:
            raise SmokeError(f"no CSRF token in the form at {path}")
        return self.request(path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def csrf_post(self, path: str, fields: dict | None = None) -> Response:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if not token:
            raise SmokeError("no csrftoken cookie")
        return self.request(path, {"csrfmiddlewaretoken": token, **(fields or {})})

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def location(resp: Response) -> str:
    return urllib.parse.urlsplit(resp.header("Location")).path


def log_in(client: Client, email: str, *, totp: bool) -> None:
    resp = client.post_form(
        "/kk/accounts/login/", {"login": email, "password": PASSWORD}
    )
    check(resp.status == 302, f"{email}: the password is accepted (302)")
    if totp:
        import pyotp

        step = location(resp)
        check("/2fa/authenticate" in step, f"{email}: asked for the TOTP code")
        resp = client.post_form(step, {"code": pyotp.TOTP(TOTP_SECRET).now()})
        check(
            resp.status == 302 and "/accounts/" not in location(resp),
            f"{email}: the TOTP code is accepted",
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="https://host:port of nginx")
    parser.add_argument("--http", required=True, help="http://host:port of nginx")
    parser.add_argument("--upstream", required=True, help="gunicorn, bypassing nginx")
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--memorandum", required=True, type=int)
    parser.add_argument("--staff", default="staff@demo.kz")
    parser.add_argument("--outsider", default="leader@demo.kz")
    parser.add_argument("--require-csp", action="store_true")
    parser.add_argument("--job-timeout", type=float, default=120)
    args = parser.parse_args()
    for url in (args.base, args.http, args.upstream):
        if not url.startswith(("http://", "https://")):
            parser.error(f"not an http(s) URL: {url}")
    context = ssl.create_default_context(cafile=args.cafile)

    print("visitor", flush=True)
    visitor = Client(args.base, context)
    health = visitor.get("/healthz")
    check(health.status == 200, f"/healthz is 200 (got {health.status})")
    state = json.loads(health.body)
    check(
        state == {"status": "ok", "database": "ok", "broker": "ok"},
        f"/healthz: database and broker ok ({state})",
    )
    plain = Client(args.http, context).get("/kk/")
    check(
        plain.status == 301 and plain.header("Location").startswith("https://"),
        "plain HTTP is sent to HTTPS (301)",
    )
    home = visitor.get("/kk/")
    check(home.status == 200, f"the home page is 200 (got {home.status})")
    hsts = home.header("Strict-Transport-Security")
    check("max-age=31536000" in hsts, f"HSTS on pages ({hsts!r})")
    check(
        len(home.headers_all("Strict-Transport-Security")) == 1,
        "HSTS is sent once (by Django, not also by nginx)",
    )
    check(home.header("X-Content-Type-Options") == "nosniff", "nosniff on pages")
    check(home.header("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")
    check(bool(home.header("Referrer-Policy")), "a Referrer-Policy")
    csp = home.header("Content-Security-Policy")
    if args.require_csp or csp:
        check("default-src" in csp, f"a Content-Security-Policy ({csp[:60]!r}…)")
    else:
        print("  --  no Content-Security-Policy configured by the settings", flush=True)
    cookies = home.headers_all("Set-Cookie")
    check(
        all("Secure" in c for c in cookies if c.startswith(("csrftoken", "sessionid"))),
        "session and CSRF cookies are Secure",
    )

    asset = re.search(r'(/static/[^"\']+\.[0-9a-f]{12}\.css)', home.text)
    check(bool(asset), "pages link hashed static files")
    static = visitor.get(asset.group(1), headers={"Accept-Encoding": "gzip"})
    cache = static.header("Cache-Control")
    check(static.status == 200, f"{asset.group(1)} is 200")
    check(
        "max-age=31536000" in cache and "immutable" in cache,
        f"hashed static files are cached for a year ({cache!r})",
    )
    check(static.header("Content-Encoding") == "gzip", "static files are sent gzipped")
    check(
        static.header("X-Content-Type-Options") == "nosniff", "nosniff on static files"
    )
    check(visitor.get("/media/").status == 404, "/media/ is never served by path")

    print("staff with TOTP", flush=True)
    staff = Client(args.base, context)
    log_in(staff, args.staff, totp=True)
    page = staff.get("/kk/deadlines/")
    check(page.status == 200, f"a staff-only page opens (got {page.status})")

    print("a PDF through the Celery worker", flush=True)
    resp = staff.csrf_post(f"/kk/memoranda/{args.memorandum}/pdf/kk/")
    check(resp.status == 302, f"the PDF is asked for (got {resp.status})")
    status_path = location(resp)
    job = re.search(r"/documents/([0-9a-f-]{36})/", status_path)
    check(bool(job), f"redirected to the job's page ({status_path})")
    download = f"/kk/documents/{job.group(1)}/download/"
    deadline = time.monotonic() + args.job_timeout
    started = time.monotonic()
    while True:
        page = staff.get(status_path)
        if download in page.text:
            break
        if "alert-danger" in page.text:
            raise SmokeError("the document job failed (see the worker's log)")
        if time.monotonic() > deadline:
            raise SmokeError(f"the job did not finish in {args.job_timeout:.0f} s")
        time.sleep(0.5)
    check(True, f"the worker rendered it in {time.monotonic() - started:.1f} s")

    print("the private file through nginx (X-Accel-Redirect)", flush=True)
    pdf = staff.get(download)
    check(pdf.status == 200, f"the download is 200 (got {pdf.status})")
    check(pdf.body.startswith(b"%PDF"), f"it is the PDF ({len(pdf.body)} bytes)")
    check(not pdf.header("X-Accel-Redirect"), "X-Accel-Redirect does not leak")
    check(pdf.header("Content-Type") == "application/pdf", "Content-Type: PDF")
    check(
        pdf.header("Content-Disposition").startswith("attachment"),
        f"Content-Disposition: attachment ({pdf.header('Content-Disposition')!r})",
    )
    check(pdf.header("X-Content-Type-Options") == "nosniff", "nosniff on the file")
    check(pdf.header("Content-Security-Policy") == "sandbox", "CSP sandbox on the file")
    check("no-store" in pdf.header("Cache-Control"), "the file is not cached")
    check(
        "max-age=31536000" in pdf.header("Strict-Transport-Security"),
        "HSTS on the file",
    )
    # The same request straight to gunicorn: Django answers with the redirect header
    # and no body, so the bytes above came from nginx.
    direct = urllib.request.Request(  # noqa: S310
        args.upstream + download,
        headers={
            "Cookie": staff.cookie_header(),
            "Host": urllib.parse.urlsplit(args.base).netloc,
            "X-Forwarded-Proto": "https",
        },
    )
    opener = urllib.request.build_opener(NoRedirect())
    with opener.open(direct, timeout=30) as resp:
        accel, body = resp.headers.get("X-Accel-Redirect", ""), resp.read()
    check(
        accel.startswith("/_protected/") and body == b"",
        f"Django itself only names the file ({accel})",
    )
    check(visitor.get(accel).status == 404, "the internal location is 404 from outside")

    print("a user without access", flush=True)
    outsider = Client(args.base, context)
    log_in(outsider, args.outsider, totp=False)
    denied = outsider.get(download)
    check(denied.status == 404, f"{args.outsider} gets 404 (got {denied.status})")
    check(not denied.body.startswith(b"%PDF"), "… and not the file")
    check(
        "text/html" in denied.header("Content-Type")
        and bool(denied.header("Content-Language")),
        "… the portal's own 404 page, from Django",
    )
    anonymous = visitor.get(download)
    check(
        anonymous.status == 302 and "/accounts/login/" in location(anonymous),
        "a visitor is sent to log in",
    )
    print("smoke client: all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SmokeError as exc:
        print(f"FAIL  {exc}", file=sys.stderr, flush=True)
        sys.exit(1)
