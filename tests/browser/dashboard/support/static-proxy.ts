// Stand-in for the server's own serving of ui/dashboard/dist, used only while the
// server under test does not serve it: dist/ on `/`, everything else proxied to the
// real server, so the browser still sees one origin (SameSite=Strict cookie, CSRF).
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { DASHBOARD_DIST } from './paths'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

export async function serverServesDashboard(base: string): Promise<boolean> {
  try {
    const r = await fetch(base + '/')
    return r.ok && (await r.text()).includes('id="app"')
  } catch {
    return false
  }
}

export async function startStaticProxy(upstream: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const up = new URL(upstream)
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname.startsWith('/join/')) {
      const fwd = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers)
          r.pipe(res)
        },
      )
      fwd.on('error', () => res.writeHead(502).end())
      req.pipe(fwd)
      return
    }
    const rel = url.pathname.startsWith('/assets/') ? url.pathname : '/index.html'
    const file = path.join(DASHBOARD_DIST, path.normalize(rel))
    if (!file.startsWith(DASHBOARD_DIST) || !fs.existsSync(file)) return void res.writeHead(404).end()
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
    fs.createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
