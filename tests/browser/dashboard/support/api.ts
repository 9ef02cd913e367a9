// The dashboard API from Node, as a signed-in coordinator or admin: the session cookie
// and the CSRF token, like the browser sends them. Used to seed and to check scope.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body}`)
  }
}

export class Session {
  /** `saakshi_session=…`, as the browser would send it. */
  cookie = ''
  csrf = ''
  me: { name: string; role: string; area_code: string | null; must_change_password: boolean } | null = null

  constructor(readonly base: string) {}

  static async login(base: string, name: string, password: string): Promise<Session> {
    const s = new Session(base)
    const resp = await fetch(base + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, password }),
    })
    if (!resp.ok) throw new HttpError(resp.status, await resp.text(), `login as ${name}`)
    s.cookie = resp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    s.me = await resp.json()
    s.csrf = (s.me as unknown as { csrf_token: string }).csrf_token
    return s
  }

  async raw(method: string, path: string, body?: unknown, type = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { Cookie: this.cookie }
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf
    if (body !== undefined) headers['Content-Type'] = type
    return fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
  }

  async json<T = any>(method: string, path: string, body?: unknown, type?: string): Promise<T> {
    const resp = await this.raw(method, path, body, type)
    const text = await resp.text()
    if (!resp.ok) throw new HttpError(resp.status, text, `${method} ${path}`)
    return (text ? JSON.parse(text) : undefined) as T
  }

  get<T = any>(path: string): Promise<T> {
    return this.json<T>('GET', path)
  }

  post<T = any>(path: string, body?: unknown, type?: string): Promise<T> {
    return this.json<T>('POST', path, body ?? {}, type)
  }

  /** The status of a request that may be refused on purpose. */
  async status(method: string, path: string, body?: unknown): Promise<number> {
    const r = await this.raw(method, path, body)
    await r.arrayBuffer()
    return r.status
  }
}
