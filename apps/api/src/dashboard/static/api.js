// The dashboard's side of the /v1 routes: the signed-in holder's session,
// GETs with If-None-Match over the last answer of each URL, and the problem
// details the API answers with.

/** Answers kept for If-None-Match, by URL: enough for every panel's current request and a few pages back. */
const MAX_CACHED_ANSWERS = 200;

export const session = {
  token: /** @type {string | null} */ (null),
  /** The signed-in role's permissions, from its signed token; null when the token names no role the page knows. */
  permissions: /** @type {Set<string> | null} */ (null),
  /** Permissions the API refused this holder (403): the page stops offering them. */
  refused: /** @type {Set<string>} */ (new Set()),
  /** The last answer of each URL read, with its tag, for If-None-Match. */
  answers: /** @type {Map<string, { etag: string, body: unknown }>} */ (new Map()),
  /** Set by the page: signs the holder out with the reason the API gave (a 401 wherever it comes from). */
  expire: /** @type {(reason: string) => void} */ (() => undefined),
};

/**
 * A refusal or failure the API (or something in front of it) answered. `problem` is the body when
 * it is a problem detail (RFC 9457: a title or a detail); any other body (a gateway's JSON or
 * HTML page, none) leaves it null, and the status alone describes it.
 */
export class ApiProblem extends Error {
  constructor(status, body) {
    const problem = isProblemDetail(body) ? body : null;
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function isProblemDetail(body) {
  return (
    body !== null && typeof body === 'object' && (typeof body.title === 'string' || typeof body.detail === 'string')
  );
}

export function apiUrl(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  return url;
}

export async function problemOf(response) {
  const problem = await response.json().catch(() => null);
  return new ApiProblem(response.status, problem);
}

/**
 * GETs a route's JSON. The last answer of each URL is kept with its ETag and
 * sent back as If-None-Match, so a route whose figures have not changed
 * answers 304 with no body and the kept answer is used; `read.changed` says
 * whether any answer of a panel's load was new. `remember: false` keeps
 * nothing (claim detail holds member identifiers: it is never kept).
 */
export async function getJson(path, params = {}, read = null, { remember = true } = {}) {
  const url = apiUrl(path, params);
  const key = url.toString();
  const kept = remember ? session.answers.get(key) : undefined;
  const headers = { Authorization: `Bearer ${session.token}`, Accept: 'application/json' };
  if (kept) headers['If-None-Match'] = kept.etag;
  // no-store: the browser's cache neither answers nor revalidates on its own; the 304 comes back to this code.
  const response = await fetch(url, { headers, cache: 'no-store' });
  if (response.status === 304 && kept) return kept.body;
  if (!response.ok) throw await problemOf(response);
  const body = await response.json();
  if (read) read.changed = true;
  const etag = response.headers.get('ETag');
  if (remember && etag) {
    session.answers.delete(key);
    session.answers.set(key, { etag, body });
    if (session.answers.size > MAX_CACHED_ANSWERS) session.answers.delete(session.answers.keys().next().value);
  }
  return body;
}

/** Whether the signed-in holder may use a permission: as its role says, unless the API refused it; unknown roles may try. */
export function may(permission) {
  if (session.refused.has(permission)) return false;
  return session.permissions === null || session.permissions.has(permission);
}

/** A failure as one line for the page: the problem's title, detail and code, or the status when there is none. */
export function describe(failure) {
  if (failure instanceof ApiProblem) {
    const problem = failure.problem;
    if (problem === null) return `The API answered HTTP ${failure.status} with no problem detail.`;
    const text = [problem.title, problem.detail].filter((part) => typeof part === 'string' && part !== '');
    const code = typeof problem.code === 'string' && problem.code !== '' ? ` (${problem.code})` : '';
    return `${text.join(': ')}${code}`;
  }
  return 'The API could not be reached.';
}

export const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));
