// The dashboard's only door to the server: same-origin fetch with the session cookie,
// the CSRF token on every write, and JSON errors turned into `ApiError`s that screens
// show in the current language (see errors.ts).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let csrfToken = ''

/** Remembers the token that login and `me` answer; writes must carry it. */
export function setCsrf(token: string): void {
  csrfToken = token
}

/** Called when the server says the session is gone (401): the app shows the login. */
let onUnauthorized: () => void = () => {}
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn
}

export interface RequestOptions {
  /** Don't treat 401 as "session expired" (the login form's own wrong password). */
  expect401?: boolean
  /** Send this text as the body with this content type instead of JSON. */
  text?: { body: string; type: string }
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let payload: BodyInit | undefined
  if (opts.text) {
    headers['Content-Type'] = opts.text.type
    payload = opts.text.body
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken
  let resp: Response
  try {
    resp = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, 'network', String(e))
  }
  if (resp.status === 401 && !opts.expect401) onUnauthorized()
  if (!resp.ok) {
    let code = 'http_' + resp.status
    let message = resp.statusText
    try {
      const err = (await resp.json()) as { error?: { code?: string; message?: string } }
      code = err.error?.code ?? code
      message = err.error?.message ?? message
    } catch {
      // Not JSON (a proxy's error page): keep the status.
    }
    throw new ApiError(resp.status, code, message)
  }
  if (resp.status === 204) return undefined as T
  const type = resp.headers.get('Content-Type') ?? ''
  return (type.includes('json') ? await resp.json() : await resp.text()) as T
}

export const get = <T>(path: string) => api<T>('GET', path)
export const post = <T>(path: string, body?: unknown, opts?: RequestOptions) =>
  api<T>('POST', path, body ?? {}, opts)

/** `?a=1&b=2` from the non-empty entries. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  }
  const s = q.toString()
  return s ? '?' + s : ''
}
