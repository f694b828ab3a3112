// SPDX-License-Identifier: MIT
// The admin API client: every call carries the administrator's Bearer
// token; errors come back in Graph's shape and are thrown as ApiError with
// the code, the message (which names the JSON path for bad bodies) and the
// request id, so a page can show them and an administrator can quote the
// request id. Collections are read a page at a time (@odata.nextLink).
import { accessToken, signIn, tenant } from '/js/admin/auth.js';

const base = `/${encodeURIComponent(tenant)}`;

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId || '';
  }
}

// path: "/v1.0/users?$top=50" (relative to the tenant) or an absolute
// nextLink of this server. Returns the parsed JSON, or null for 204.
export async function api(method, path, body) {
  const token = await accessToken();
  if (!token) {
    await signIn();
    throw new ApiError(401, 'signin', 'signing in again');
  }
  let url = path;
  if (!/^https?:\/\//.test(path)) url = base + path;
  else if (new URL(path).origin !== location.origin) {
    throw new ApiError(0, 'origin', 'refusing a link to another origin');
  }
  const init = {
    method,
    credentials: 'omit',
    cache: 'no-store',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const inner = err.innerError || {};
    if (res.status === 401) {
      await signIn();
    }
    throw new ApiError(res.status, err.code || String(res.status),
      err.message || res.statusText, inner['request-id']);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

// A pager over a Graph collection: next() returns the next page's items
// ([] at the end); hasMore tells whether a nextLink was given.
export function pager(firstPath) {
  let next = firstPath;
  return {
    get hasMore() {
      return next !== null;
    },
    async next() {
      if (next === null) return [];
      const data = await get(next);
      next = (data && data['@odata.nextLink']) || null;
      return (data && data.value) || [];
    },
  };
}

// OData string literal: quotes doubled.
export function odataString(s) {
  return `'${String(s).replace(/'/g, "''")}'`;
}

// A query string from an object, dropping empty values; keys such as
// "$filter" keep their "$".
export function query(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
