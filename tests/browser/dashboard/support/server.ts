// A real saakshi-server on a free loopback port with a fresh data dir and no map tiles
// (the test machine has no internet). Its first start prints the admin's one-time
// password, which is how a real operator gets it too.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { SERVER_BIN } from './paths'

export interface RunningServer {
  url: string
  dataDir: string
  adminPassword: string
  log: () => string
  stop: () => Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/** `env` adds to or overrides the environment (the tests' default: no map tiles). */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!fs.existsSync(SERVER_BIN)) {
    throw new Error(`${SERVER_BIN} is missing: cargo build -p saakshi-server -p saakshi-cli -p saakshi-tests --bins (or set SAAKSHI_SERVER_BIN)`)
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saakshi-dash-server-'))
  // The listen address is fixed before start because invite links are built from it.
  const port = await freePort()
  const child: ChildProcess = spawn(SERVER_BIN, ['--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      RUST_LOG: 'warn',
      // Tiles off: the map must work on a plain background.
      SAAKSHI_MAP_TILES: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const ready = await new Promise<{ url: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('saakshi-server did not start in 30 s:\n' + out)), 30_000)
    const check = () => {
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      const password = /one-time password: (\S+)/.exec(out)?.[1]
      if (url && password) {
        clearTimeout(timer)
        resolve({ url, password })
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => reject(new Error(`saakshi-server exited with ${code}:\n${out}`)))
  })
  return {
    url: ready.url,
    dataDir,
    adminPassword: ready.password,
    log: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => {
          fs.rmSync(dataDir, { recursive: true, force: true })
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}
