#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Load generator for bench_oidc.sh (standard library only): worker
# processes, each with one keep-alive connection, drive a running
# tollgate through
#   1. full sign-ins: GET /authorize -> sign-in API begin, password, TOTP
#      verify -> GET /authorize with the session -> POST /token (code +
#      PKCE), one per user (a TOTP step is accepted once per user);
#   2. token refreshes (each rotates: the next call uses the new token);
#   3. introspections of an access token by a confidential client;
# and print one JSON line with the rates.
#   oidc_load.py URL USERS.json WORKERS SECONDS
import base64, hashlib, hmac, http.client, json, multiprocessing, os, struct, sys, time
import urllib.parse

URL, USERS, WORKERS, SECONDS = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
u = urllib.parse.urlsplit(URL)
HOST, PORT, ORIGIN = u.hostname, u.port, f"{u.scheme}://{u.netloc}"
cfg = json.load(open(USERS))
T = cfg["tenant"]


def totp(secret_b32, step):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class Conn:
    def __init__(self):
        self.c = http.client.HTTPConnection(HOST, PORT, timeout=60)

    def req(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            try:
                self.c.request(method, path, body=body, headers=headers or {})
                r = self.c.getresponse()
                data = r.read()
                return r.status, r.headers, data
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                self.c.close()
                self.c = http.client.HTTPConnection(HOST, PORT, timeout=60)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def cookie_of(headers, old):
    for k, v in headers.items():
        if k.lower() == "set-cookie" and v.startswith("tg_session="):
            return v.split(";", 1)[0]
    return old


def sign_in(c, user):
    verifier = b64url(os.urandom(32))
    challenge = b64url(hashlib.sha256(verifier.encode()).digest())
    q = urllib.parse.urlencode({
        "client_id": cfg["public_client"], "redirect_uri": cfg["redirect_uri"],
        "response_type": "code", "scope": "openid profile offline_access", "state": "s",
        "nonce": "n", "code_challenge": challenge, "code_challenge_method": "S256"})
    authorize = f"/{T}/oauth2/v2.0/authorize?{q}"
    st, h, _ = c.req("GET", authorize)
    assert st == 302 and "/signin/" in h["Location"], (st, h["Location"])
    api = f"/{T}/api/signin/"
    hdr = {"Content-Type": "application/json", "Origin": ORIGIN}
    st, h, b = c.req("POST", api + "begin", json.dumps(
        {"client_id": cfg["public_client"], "return": authorize}), hdr)
    assert st == 200, (st, b)
    cookie = cookie_of(h, None)
    csrf = json.loads(b)["csrf"]

    def step(name, body):
        nonlocal cookie, csrf
        body["return"] = authorize
        st, h, b = c.req("POST", api + name, json.dumps(body),
                         dict(hdr, Cookie=cookie, **{"X-CSRF-Token": csrf}))
        assert st == 200, (name, st, b)
        cookie = cookie_of(h, cookie)
        j = json.loads(b)
        csrf = j.get("csrf", csrf)
        return j

    j = step("password", {"username": user["upn"], "password": cfg["password"]})
    assert j["state"] == "mfa", j
    code = totp(user["secret"], max(int(time.time()) // 30, user["step"] + 1))
    j = step("verify", {"method": "appCode", "code": code})
    assert j["state"] == "done", j
    st, h, _ = c.req("GET", j["next"], headers={"Cookie": cookie})
    assert st == 302, st
    loc = urllib.parse.urlsplit(h["Location"])
    code = urllib.parse.parse_qs(loc.query)["code"][0]
    form = urllib.parse.urlencode({
        "grant_type": "authorization_code", "client_id": cfg["public_client"], "code": code,
        "redirect_uri": cfg["redirect_uri"], "code_verifier": verifier})
    st, h, b = c.req("POST", f"/{T}/oauth2/v2.0/token", form,
                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 200, (st, b)
    return json.loads(b)


def worker_signins(users):
    c = Conn()
    out = []
    t0 = time.monotonic()
    for user in users:
        out.append(sign_in(c, user))
    return time.monotonic() - t0, out


def worker_refresh(refresh_token):
    c = Conn()
    n, rt, end = 0, refresh_token, time.monotonic() + SECONDS
    while time.monotonic() < end:
        form = urllib.parse.urlencode({"grant_type": "refresh_token",
                                       "client_id": cfg["public_client"], "refresh_token": rt})
        st, h, b = c.req("POST", f"/{T}/oauth2/v2.0/token", form,
                         {"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 200, (st, b)
        rt = json.loads(b)["refresh_token"]
        n += 1
    return n


def worker_introspect(access_token):
    c = Conn()
    auth = "Basic " + base64.b64encode(
        f"{cfg['confidential_client']}:{cfg['confidential_secret']}".encode()).decode()
    form = urllib.parse.urlencode({"token": access_token})
    n, end = 0, time.monotonic() + SECONDS
    while time.monotonic() < end:
        st, h, b = c.req("POST", f"/{T}/oauth2/v2.0/introspect", form,
                         {"Content-Type": "application/x-www-form-urlencoded",
                          "Authorization": auth})
        assert st == 200 and b.startswith(b'{"active":true'), (st, b)
        n += 1
    return n


def main():
    users = cfg["users"]
    slices = [users[i::WORKERS] for i in range(WORKERS)]
    with multiprocessing.Pool(WORKERS) as pool:
        t0 = time.monotonic()
        res = pool.map(worker_signins, slices)
        signin_time = time.monotonic() - t0
        tokens = [t for _, ts in res for t in ts]
        t0 = time.monotonic()
        refreshed = pool.map(worker_refresh, [tokens[i]["refresh_token"] for i in range(WORKERS)])
        refresh_time = time.monotonic() - t0
        t0 = time.monotonic()
        intro = pool.map(worker_introspect, [tokens[i]["access_token"] for i in range(WORKERS)])
        intro_time = time.monotonic() - t0
    print(json.dumps({
        "signins": len(tokens), "signins_per_s": round(len(tokens) / signin_time, 1),
        "refreshes": sum(refreshed), "refreshes_per_s": round(sum(refreshed) / refresh_time, 1),
        "introspections": sum(intro), "introspections_per_s": round(sum(intro) / intro_time, 1),
    }))


if __name__ == "__main__":
    main()
