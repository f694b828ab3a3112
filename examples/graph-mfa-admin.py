#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Per-user MFA, security defaults and Conditional Access over Microsoft Graph.

An administrator's script written against Microsoft Graph's documented
requests, with nothing but the Python standard library:

  GET    /v1.0/users?$select=...&$top=N          (following @odata.nextLink)
  GET    /beta/users/{id|upn}/authentication/requirements
  PATCH  /beta/users/{id|upn}/authentication/requirements  {"perUserMfaState": ...}
  GET    /v1.0/policies/identitySecurityDefaultsEnforcementPolicy
  PATCH  /v1.0/policies/identitySecurityDefaultsEnforcementPolicy  {"isEnabled": ...}
  GET    /v1.0/identity/conditionalAccess/policies
  POST   /v1.0/identity/conditionalAccess/policies   (a conditionalAccessPolicy)
  PATCH  /v1.0/identity/conditionalAccess/policies/{id}  {"state": ...}
  DELETE /v1.0/identity/conditionalAccess/policies/{id}

Against Microsoft Graph, GRAPH_BASE is https://graph.microsoft.com (the
default) and the token comes from Entra ID, for example an app-only token of
an app registration granted the application permissions below:

  curl -s https://login.microsoftonline.com/TENANT_ID/oauth2/v2.0/token \\
       -d grant_type=client_credentials -d client_id=APP_ID \\
       --data-urlencode client_secret=SECRET \\
       -d scope=https://graph.microsoft.com/.default

Against Tollgate only two things change: the base URL is https://HOST/TENANT
(the tenant's name, e.g. https://id.contoso.com/default) and the token is
one that Tollgate issued. To get an app-only token from Tollgate, register
a confidential app with the client_credentials grant and the application
permissions this script uses, then ask the tenant's token endpoint:

  tollgate app add mfa-script --grant client_credentials \\
      --permission User.ReadWrite.All \\
      --permission Policy.ReadWrite.AuthenticationMethod \\
      --permission Policy.ReadWrite.SecurityDefaults \\
      --permission Policy.ReadWrite.ConditionalAccess \\
      --permission Policy.Read.All
  # prints the client id and, once, the client secret
  export GRAPH_BASE=https://id.contoso.com/default
  export GRAPH_TOKEN=$(curl -s "$GRAPH_BASE/oauth2/v2.0/token" \\
      -d grant_type=client_credentials -d client_id=CLIENT_ID \\
      --data-urlencode client_secret=SECRET -d "scope=$GRAPH_BASE/.default" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

Tokens last an hour. A server with a private CA: point SSL_CERT_FILE at the
CA's certificate (certificates are always verified).

Errors are Graph's {"error": {"code", "message"}}: the script prints the
HTTP status, the code and the message on stderr and exits 1 (2 for a usage
error). 429 and 503 answers are retried after the Retry-After they give
(or an increasing pause when they give none), a few times.

Examples:
  graph-mfa-admin.py users --mfa-state
  graph-mfa-admin.py mfa-state get alice@contoso.com bob@contoso.com
  graph-mfa-admin.py mfa-state set enabled --csv users.csv --dry-run
  graph-mfa-admin.py security-defaults set off
  graph-mfa-admin.py ca create-require-mfa --exclude-user breakglass@contoso.com
  graph-mfa-admin.py ca set-state POLICY_ID enabled
"""

import argparse
import csv
import email.utils
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

DEFAULT_BASE = "https://graph.microsoft.com"
MFA_STATES = ("disabled", "enabled", "enforced")
CA_STATES = ("enabled", "disabled", "enabledForReportingButNotEnforced")
RETRY_STATUSES = (429, 503)
MAX_ATTEMPTS = 5         # tries of one request, the first included
MAX_WAIT_SECONDS = 300   # never wait longer than this for one Retry-After
TIMEOUT_SECONDS = 60
MAX_PAGES = 10000        # a loop guard when following @odata.nextLink
CSV_UPN_HEADERS = ("userprincipalname", "upn", "username", "user principal name")


class GraphError(Exception):
    """A Graph error answer (or a transport failure: status 0)."""

    def __init__(self, status, code, message, request_id=""):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id

    def describe(self):
        where = f"HTTP {self.status} " if self.status else ""
        rid = f" (request-id {self.request_id})" if self.request_id else ""
        return f"{where}{self.code}: {self.message}{rid}"


def retry_after_seconds(value, attempt):
    """Seconds to wait: Retry-After as delta-seconds or an HTTP date, else
    1, 2, 4, 8 … by attempt; never more than MAX_WAIT_SECONDS."""
    wait = None
    if value:
        value = value.strip()
        if value.isdigit():
            wait = int(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
                wait = max(0, int(when.timestamp() - time.time()) + 1)
            except (TypeError, ValueError, IndexError, OverflowError):
                wait = None
    if wait is None:
        wait = 2 ** attempt
    return min(wait, MAX_WAIT_SECONDS)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answered as errors: urllib would resend the token to
    wherever the Location header points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Graph:
    def __init__(self, base, token, verbose=False):
        self.base = base.rstrip("/")
        self.token = token
        self.verbose = verbose
        origin = urllib.parse.urlsplit(self.base)
        if origin.scheme not in ("https", "http") or not origin.netloc:
            raise GraphError(0, "BadBaseUrl", f"not an http(s) URL: {base}")
        self.origin = (origin.scheme, origin.netloc)
        self.opener = urllib.request.build_opener(NoRedirect)

    def url(self, path):
        return self.base + path

    def request(self, method, url, body=None):
        """One request with retries on 429/503; the decoded JSON answer (None
        for 204). Raises GraphError on any other non-2xx answer."""
        parts = urllib.parse.urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin:
            # never send the token anywhere but the base URL's origin
            raise GraphError(0, "UnexpectedOrigin", f"refusing to follow {url}")
        data = None
        headers = {
            "Authorization": "Bearer " + self.token,
            "Accept": "application/json",
            "User-Agent": "graph-mfa-admin/1.0",
        }
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        for attempt in range(MAX_ATTEMPTS):
            headers["client-request-id"] = str(uuid.uuid4())
            req = urllib.request.Request(url, data=data, method=method, headers=headers)
            if self.verbose:
                print(f"> {method} {url}", file=sys.stderr)
            try:
                with self.opener.open(req, timeout=TIMEOUT_SECONDS) as resp:
                    raw = resp.read()
                    if resp.status == 204 or not raw:
                        return None
                    return json.loads(raw.decode("utf-8"))
            except urllib.error.HTTPError as e:
                raw = e.read()
                if e.code in RETRY_STATUSES and attempt + 1 < MAX_ATTEMPTS:
                    wait = retry_after_seconds(e.headers.get("Retry-After"), attempt)
                    print(f"HTTP {e.code} for {method} {parts.path}: waiting {wait} s "
                          f"before retrying", file=sys.stderr)
                    time.sleep(wait)
                    continue
                raise error_from_answer(e.code, e.reason, raw) from None
            except urllib.error.URLError as e:
                raise GraphError(0, "ConnectionFailed", f"{url}: {e.reason}") from None
            except (OSError, ValueError) as e:  # timeouts, resets, bad JSON
                raise GraphError(0, "RequestFailed", f"{method} {url}: {e}") from None
        raise GraphError(0, "TooManyRetries", f"{method} {url}")  # not reached

    def get(self, path):
        return self.request("GET", self.url(path))

    def patch(self, path, body):
        return self.request("PATCH", self.url(path), body)

    def post(self, path, body):
        return self.request("POST", self.url(path), body)

    def delete(self, path):
        return self.request("DELETE", self.url(path))

    def collection(self, path):
        """Every item of a collection, page by page along @odata.nextLink."""
        url = self.url(path)
        for _ in range(MAX_PAGES):
            page = self.request("GET", url) or {}
            yield from page.get("value", [])
            url = page.get("@odata.nextLink")
            if not url:
                return
        raise GraphError(0, "TooManyPages", f"more than {MAX_PAGES} pages at {path}")


def error_from_answer(status, reason, raw):
    try:
        err = json.loads(raw.decode("utf-8"))["error"]
        inner = err.get("innerError") or {}
        return GraphError(status, err.get("code") or str(status), err.get("message") or "",
                          inner.get("request-id", ""))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return GraphError(status, str(status), str(reason or "no Graph error body"))


def user_path(user):
    # a user is named by object id or userPrincipalName, as Graph allows
    return "/users/" + urllib.parse.quote(user, safe="@")


def read_users(args):
    """Users named on the command line, then those of --csv (in order, each
    once). The CSV's userPrincipalName column (also "UPN", "Username") is
    used when the first row names it; otherwise the first column."""
    users = list(args.users)
    if args.csv:
        try:
            with open(args.csv, newline="", encoding="utf-8-sig") as f:
                rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise GraphError(0, "BadCsv", f"{args.csv}: {e}") from None
        col = 0
        if rows:
            head = [c.strip().lower() for c in rows[0]]
            named = [i for i, c in enumerate(head) if c in CSV_UPN_HEADERS]
            if named:
                col = named[0]
                rows = rows[1:]
        for n, r in enumerate(rows, 1):
            if col >= len(r) or not r[col].strip():
                raise GraphError(0, "BadCsv", f"{args.csv}: row {n} has no user")
            users.append(r[col].strip())
    seen, out = set(), []
    for u in users:
        if u.lower() not in seen:
            seen.add(u.lower())
            out.append(u)
    if not out:
        raise GraphError(0, "NoUsers", "name users on the command line or with --csv")
    return out


# ---- commands ----------------------------------------------------------------

def cmd_users(g, args):
    path = f"/v1.0/users?$select=id,userPrincipalName,displayName&$top={args.page_size}"
    for u in g.collection(path):
        line = [u.get("id", ""), u.get("userPrincipalName", ""), u.get("displayName") or ""]
        if args.mfa_state:
            req = g.get("/beta" + user_path(u["id"]) + "/authentication/requirements")
            line.append(req.get("perUserMfaState", ""))
        print("\t".join(line))
    return 0


def cmd_mfa_get(g, args):
    failed = 0
    for u in read_users(args):
        try:
            req = g.get("/beta" + user_path(u) + "/authentication/requirements")
            print(f"{u}\t{req.get('perUserMfaState', '')}")
        except GraphError as e:
            if e.status in (0, 401):
                raise
            print(f"{u}\terror: {e.describe()}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def cmd_mfa_set(g, args):
    changed = unchanged = failed = 0
    for u in read_users(args):
        path = "/beta" + user_path(u) + "/authentication/requirements"
        try:
            before = g.get(path).get("perUserMfaState", "")
            if before == args.state:
                print(f"{u}\tunchanged ({before})")
                unchanged += 1
                continue
            if not args.dry_run:
                g.patch(path, {"perUserMfaState": args.state})
            print(f"{u}\t{before} -> {args.state}{' (dry run)' if args.dry_run else ''}")
            changed += 1
        except GraphError as e:
            if e.status in (0, 401):
                raise
            print(f"{u}\terror: {e.describe()}", file=sys.stderr)
            failed += 1
    verb = "would change" if args.dry_run else "changed"
    print(f"{verb} {changed}, unchanged {unchanged}, failed {failed}", file=sys.stderr)
    return 1 if failed else 0


SD_PATH = "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"


def cmd_sd_get(g, args):
    p = g.get(SD_PATH)
    print(f"security defaults: {'enabled' if p.get('isEnabled') else 'disabled'}")
    return 0


def cmd_sd_set(g, args):
    g.patch(SD_PATH, {"isEnabled": args.value == "on"})
    return cmd_sd_get(g, args)


CA_PATH = "/v1.0/identity/conditionalAccess/policies"


def print_policy(p):
    print(f"{p.get('id', '')}\t{p.get('state', '')}\t{p.get('displayName', '')}")


def cmd_ca_list(g, args):
    for p in g.collection(CA_PATH):
        print_policy(p)
    return 0


def cmd_ca_create_require_mfa(g, args):
    # excludeUsers holds object ids: resolve UPNs first
    exclude = []
    for u in args.exclude_user:
        exclude.append(g.get("/v1.0" + user_path(u) + "?$select=id")["id"])
    users = {"includeUsers": ["All"]}
    if exclude:
        users["excludeUsers"] = exclude
    policy = {
        "displayName": args.name,
        "state": args.state,
        "conditions": {
            "users": users,
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }
    print_policy(g.post(CA_PATH, policy))
    return 0


def cmd_ca_set_state(g, args):
    g.patch(CA_PATH + "/" + urllib.parse.quote(args.id, safe=""), {"state": args.state})
    print_policy(g.get(CA_PATH + "/" + urllib.parse.quote(args.id, safe="")))
    return 0


def cmd_ca_delete(g, args):
    g.delete(CA_PATH + "/" + urllib.parse.quote(args.id, safe=""))
    print(f"deleted {args.id}")
    return 0


def page_size(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 999:
        raise argparse.ArgumentTypeError("must be a number from 1 to 999")
    return n


def parser():
    p = argparse.ArgumentParser(
        description="Per-user MFA state, security defaults and Conditional Access "
                    "over Microsoft Graph (or any service answering its requests).")
    p.add_argument("--base", default=os.environ.get("GRAPH_BASE", DEFAULT_BASE),
                   help="Graph base URL (env GRAPH_BASE; default %(default)s; "
                        "Tollgate: https://HOST/TENANT)")
    p.add_argument("--token", default=None,
                   help="access token (default: env GRAPH_TOKEN; prefer the "
                        "environment: arguments are visible to other local users)")
    p.add_argument("-v", "--verbose", action="store_true", help="print each request on stderr")
    sub = p.add_subparsers(dest="command", required=True)

    u = sub.add_parser("users", help="list users (id, userPrincipalName, displayName)")
    u.add_argument("--mfa-state", action="store_true",
                   help="add each user's per-user MFA state (one request per user)")
    u.add_argument("--page-size", type=page_size, default=999, metavar="N",
                   help="$top, 1-999 (default 999)")
    u.set_defaults(func=cmd_users)

    m = sub.add_parser("mfa-state", help="read or set per-user MFA state")
    msub = m.add_subparsers(dest="action", required=True)
    mg = msub.add_parser("get", help="print each user's perUserMfaState")
    mg.add_argument("users", nargs="*", metavar="USER", help="userPrincipalName or object id")
    mg.add_argument("--csv", help="a CSV file with a userPrincipalName column")
    mg.set_defaults(func=cmd_mfa_get)
    ms = msub.add_parser("set", help="set perUserMfaState of the users")
    ms.add_argument("state", choices=MFA_STATES)
    ms.add_argument("users", nargs="*", metavar="USER", help="userPrincipalName or object id")
    ms.add_argument("--csv", help="a CSV file with a userPrincipalName column")
    ms.add_argument("--dry-run", action="store_true", help="show what would change")
    ms.set_defaults(func=cmd_mfa_set)

    s = sub.add_parser("security-defaults", help="read or switch security defaults")
    ssub = s.add_subparsers(dest="action", required=True)
    ssub.add_parser("get").set_defaults(func=cmd_sd_get)
    ss = ssub.add_parser("set")
    ss.add_argument("value", choices=("on", "off"))
    ss.set_defaults(func=cmd_sd_set)

    c = sub.add_parser("ca", help="Conditional Access policies")
    csub = c.add_subparsers(dest="action", required=True)
    csub.add_parser("list", help="id, state and name of every policy").set_defaults(func=cmd_ca_list)
    cc = csub.add_parser("create-require-mfa",
                         help="require MFA for all users and apps (report-only by default)")
    cc.add_argument("--name", default="Require multifactor authentication for all users")
    cc.add_argument("--exclude-user", action="append", default=[], metavar="USER",
                    help="a user to leave out, e.g. an emergency access account (repeatable)")
    cc.add_argument("--state", choices=CA_STATES, default="enabledForReportingButNotEnforced")
    cc.set_defaults(func=cmd_ca_create_require_mfa)
    cs = csub.add_parser("set-state", help="switch a policy on, off or to report-only")
    cs.add_argument("id")
    cs.add_argument("state", choices=CA_STATES)
    cs.set_defaults(func=cmd_ca_set_state)
    cd = csub.add_parser("delete", help="delete a policy")
    cd.add_argument("id")
    cd.set_defaults(func=cmd_ca_delete)
    return p


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    token = args.token or os.environ.get("GRAPH_TOKEN", "")
    if not token.strip():
        p.error("no access token: set GRAPH_TOKEN or pass --token")
    try:
        g = Graph(args.base, token.strip(), args.verbose)
        return args.func(g, args)
    except GraphError as e:
        print(f"error: {e.describe()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
