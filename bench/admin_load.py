#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The admin API load of bench_admin.sh: BASE (http://host:port/tenant),
# APP_JSON (tollgate --json app add output), N users. Standard library only.
import http.client
import json
import multiprocessing
import sys
import time
import urllib.parse

BASE, APP, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
U = urllib.parse.urlsplit(BASE)


def conn():
    return http.client.HTTPConnection(U.hostname, U.port, timeout=120)


def call(c, method, path, token, body=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    raw = r.read()
    if r.status >= 400:
        raise SystemExit(f"{method} {path}: {r.status} {raw[:300]!r}")
    return json.loads(raw) if raw else None


def token():
    app = json.load(open(APP))
    c = conn()
    form = urllib.parse.urlencode({
        "grant_type": "client_credentials", "client_id": app["appId"],
        "client_secret": app["clientSecret"], "scope": "api/.default"})
    c.request("POST", U.path + "/oauth2/v2.0/token", body=form,
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    return json.loads(c.getresponse().read())["access_token"]


def page_all(c, tok, first):
    n, pages, path = 0, 0, first
    while path:
        d = call(c, "GET", path, tok)
        n += len(d["value"])
        pages += 1
        nxt = d.get("@odata.nextLink")
        path = urllib.parse.urlsplit(nxt)._replace(scheme="", netloc="").geturl() if nxt else None
    return n, pages


def reader(args):
    tok, seconds, idx = args
    c = conn()
    n, end, i = 0, time.monotonic() + seconds, idx
    while time.monotonic() < end:
        call(c, "GET", f"{U.path}/beta/users/user{i % N:05d}@bench.test/authentication/requirements", tok)
        n += 1
        i += 7
    return n


def main():
    tok = token()
    c = conn()
    for name, first in (("users", f"{U.path}/v1.0/users?$top=999&$select=id,userPrincipalName"),
                        ("perUserMfa", f"{U.path}/tollgate/v1/perUserMfa?$top=999")):
        t = time.monotonic()
        n, pages = page_all(c, tok, first)
        dt = time.monotonic() - t
        print(f"page through {name}: {n} in {pages} pages, {dt:.2f} s ({n / dt:,.0f} users/s)")
    upns = [f"user{i:05d}@bench.test" for i in range(N)]
    t = time.monotonic()
    rep = call(c, "POST", f"{U.path}/tollgate/v1/perUserMfa/bulk", tok,
               {"perUserMfaState": "enabled", "users": upns})
    dt = time.monotonic() - t
    print(f"bulk enable {N} users (one request, notices queued): {dt:.2f} s, changed {rep['changed']}")
    t = time.monotonic()
    n, pages = page_all(c, tok, f"{U.path}/tollgate/v1/perUserMfa?$top=999&$filter=perUserMfaState%20eq%20'enabled'")
    print(f"read back the enabled users: {n} in {time.monotonic() - t:.2f} s")
    app_id = json.load(open(APP))["appId"]
    flt = urllib.parse.quote(f"initiatedBy/app/appId eq '{app_id}'")
    for name, first in (("mfaNotices", f"{U.path}/tollgate/v1/mfaNotices?$top=999"),
                        ("directoryAudits by the app",
                         f"{U.path}/v1.0/auditLogs/directoryAudits?$top=999&$filter={flt}")):
        t = time.monotonic()
        call(c, "GET", first.replace("$top=999", "$top=50"), tok)
        first_ms = (time.monotonic() - t) * 1000
        t = time.monotonic()
        n, pages = page_all(c, tok, first)
        dt = time.monotonic() - t
        print(f"page through {name}: {n} in {pages} pages, {dt:.2f} s; first page of 50: {first_ms:.1f} ms")
    procs = multiprocessing.cpu_count()
    seconds = 5
    with multiprocessing.Pool(procs) as p:
        counts = p.map(reader, [(tok, seconds, i) for i in range(procs)])
    print(f"GET requirements: {sum(counts) / seconds:,.0f} requests/s ({procs} clients, keep-alive)")


main()
