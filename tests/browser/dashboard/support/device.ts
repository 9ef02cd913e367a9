// A field device: the real `saakshi` command line with its own home folder.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { CLI_BIN } from './paths'

const run = promisify(execFile)

export interface CaptureOptions {
  lat?: number
  lon?: number
  accuracy?: number
  caption?: string
  tags?: string[]
  event?: string
}

export class Device {
  readonly home: string
  id = ''

  constructor(readonly name: string) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), `saakshi-dash-${name}-`))
  }

  /** Runs `saakshi --home H --json ARGS` and parses its one JSON document. */
  async json<T = unknown>(...args: string[]): Promise<T> {
    const { stdout } = await this.cli(...args)
    return JSON.parse(stdout) as T
  }

  async cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    try {
      return await run(CLI_BIN, ['--home', this.home, '--json', ...args], { maxBuffer: 64 << 20 })
    } catch (e) {
      const err = e as { code?: number; stderr?: string }
      throw new Error(`saakshi ${args.join(' ')} failed (exit ${err.code}): ${err.stderr}`)
    }
  }

  /** Exit code of a command that may fail on purpose (a revoked device's sync). */
  async exitCode(...args: string[]): Promise<number> {
    try {
      await run(CLI_BIN, ['--home', this.home, '--json', ...args])
      return 0
    } catch (e) {
      return (e as { code?: number }).code ?? -1
    }
  }

  async enroll(link: string): Promise<void> {
    await this.cli('init')
    const r = await this.json<{ device_id: string }>('enroll', link, '--name', this.name)
    this.id = r.device_id
  }

  /** Stores one file as a capture; answers its id and SHA-256. */
  async capture(file: string, o: CaptureOptions = {}): Promise<{ id: string; sha256: string }> {
    const args = ['capture', file, '--caption', o.caption ?? '']
    if (o.lat !== undefined && o.lon !== undefined) {
      // Seeds place one Lucknow photo anywhere: confirm positions its EXIF contradicts.
      args.push('--lat', String(o.lat), '--lon', String(o.lon), '--force-location')
      if (o.accuracy !== undefined) args.push('--accuracy', String(o.accuracy))
    }
    for (const t of o.tags ?? []) args.push('--tag', t)
    if (o.event) args.push('--event', o.event)
    const [r] = await this.json<{ outcome: string; capture: { id: string; sha256: string } }[]>(...args)
    if (r.outcome !== 'stored') throw new Error(`${file} was ${r.outcome}`)
    return { id: r.capture.id, sha256: r.capture.sha256 }
  }

  async sync(): Promise<void> {
    await this.cli('sync', '--once')
  }

  async show(id: string): Promise<Record<string, unknown>> {
    return this.json('show', id)
  }

  /** The kits on this device (`saakshi kits --json`: the kit, and which media is here). */
  async kits(): Promise<{ id: string; title_en: string; title_hi: string; items: { sha256: string }[]; present: boolean[] }[]> {
    return this.json('kits')
  }

  remove(): void {
    fs.rmSync(this.home, { recursive: true, force: true })
  }
}
