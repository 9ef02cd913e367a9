"""Schemathesis against a real saakshi-server, from the server's own OpenAPI document.

Starts the server binary on a fresh data directory and a loopback port, seeds it the way
the black-box tests do (areas imported, a device enrolled with an invite from the admin
command line, the first admin signed in with a changed password), then runs
`schemathesis run` with the device's bearer token, the admin's session cookie and its
CSRF token on every request. It checks that no answer is a 5xx and that every answer
matches the document (see CHECKS). The run
is bounded by --max-examples per operation; the server is stopped whatever happens.

Usage: run_schemathesis.py SERVER_BIN MAX_EXAMPLES [extra schemathesis args...]
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid

AREAS = """code,level,name_en,name_hi,parent_code
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
B-104,booth,Booth 104,बूथ 104,LKO
"""
# RFC 8032's first test vector: a valid Ed25519 public key.
PUBLIC_KEY = base64.b64encode(
    bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
).decode()
NEW_PASSWORD = "schemathesis-password-1"
# No 5xx, and every answer is what the document says: its status is documented, its
# Content-Type is the documented one, its body matches the documented schema. (The
# request-side checks are left out: e.g. tus answers a missing Tus-Resumable with the
# 412 its protocol prescribes, where schemathesis expects a 400.)
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
])
# The operations on one capture get the seeded capture's id.
CONFIG = """
[[operations]]
include-path-regex = "^/api/v1/review/captures/[{{]id[}}]"
parameters = {{ "path.id" = "{capture_id}" }}
"""
# Operations that would end the run's own credentials early (signing out, revoking the
# device) are left out, so that every other operation is tried signed in.
EXCLUDED = ["logout", "revoke"]


def call(url, method, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req) as resp:
        text = resp.read().decode() or "null"
        return json.loads(text), resp.headers


def session_of(url, name, password):
    me, headers = call(f"{url}/api/v1/auth/login", "POST", {"name": name, "password": password})
    cookie = headers["Set-Cookie"].split(";")[0]
    return cookie, me["csrf_token"]


def main():
    server_bin, max_examples = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    data = tempfile.mkdtemp(prefix="saakshi-schemathesis-")
    server = subprocess.Popen(
        [server_bin, "--data-dir", data, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "error")},
    )
    try:
        password = url = None
        for line in server.stdout:
            if "one-time password: " in line:
                password = line.split("one-time password: ")[1].strip()
            if line.startswith("saakshi-server: listening on "):
                url = line.removeprefix("saakshi-server: listening on ").strip()
                break
        if not url or not password:
            sys.exit("schemathesis: the server exited before listening")

        def admin(*args):
            return subprocess.run(
                [server_bin, "--data-dir", data, "admin", *args],
                check=True, capture_output=True, text=True,
            ).stdout

        areas = os.path.join(data, "areas.csv")
        with open(areas, "w", encoding="utf-8") as f:
            f.write(AREAS)
        admin("import-areas", areas)
        code = json.loads(admin("invite", "--area", "B-104", "--json"))["code"]
        enrolled, _ = call(f"{url}/api/v1/devices/enroll", "POST", {
            "invite_code": code, "device_name": "schemathesis",
            "platform": "cli", "public_key": PUBLIC_KEY,
        })
        # The first sign-in must change the one-time password before anything else.
        cookie, csrf = session_of(url, "admin", password)
        call(f"{url}/api/v1/auth/password", "POST",
             {"current": password, "new": NEW_PASSWORD},
             {"Cookie": cookie, "X-CSRF-Token": csrf})
        cookie, csrf = session_of(url, "admin", NEW_PASSWORD)
        # One capture, so that the review operations on a capture id answer with a real
        # capture (and schemathesis checks that answer against its schema).
        capture_id = str(uuid.uuid4())
        pushed, _ = call(f"{url}/api/v1/sync/captures", "POST", {"captures": [{
            "id": capture_id, "revision": 1, "kind": "photo",
            "sha256": hashlib.sha256(b"schemathesis").hexdigest(), "size": 12,
            "mime": "image/jpeg", "original_name": "a.jpg",
            "captured_at": {"utc": "2026-11-26T09:00:00Z", "offset_minutes": 330},
            "location": {"lat": 26.85, "lon": 80.95, "accuracy_m": 5.0, "altitude_m": None,
                         "source": "gps", "fix_time": None},
            "caption": "schemathesis", "tags": ["seed"], "event": None, "area_code": "B-104",
        }]}, {"Authorization": f"Bearer {enrolled['token']}"})
        if pushed["results"][0]["status"] != "accepted":
            sys.exit(f"schemathesis: the seed capture was not accepted: {pushed}")
        config = os.path.join(data, "schemathesis.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(CONFIG.format(capture_id=capture_id))

        cmd = [
            os.path.join(os.path.dirname(sys.executable), "schemathesis"),
            "--config-file", config, "run",
            f"{url}/api/v1/openapi.json",
            "--url", url,
            "--checks", CHECKS,
            "--max-examples", str(max_examples),
            "--workers", "1",
            "--seed", "1",
            "--no-color",
            "-H", f"Authorization: Bearer {enrolled['token']}",
            "-H", f"Cookie: {cookie}",
            "-H", f"X-CSRF-Token: {csrf}",
        ]
        for op in EXCLUDED:
            cmd += ["--exclude-operation-id", op]
        here = os.path.dirname(os.path.abspath(__file__))
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "hooks",
               "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
        # Run where the data lives: schemathesis leaves its cache (.schemathesis/) in the
        # working directory, which is not the repository.
        result = subprocess.run(cmd + extra, env=env, cwd=data)
        sys.exit(result.returncode)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
