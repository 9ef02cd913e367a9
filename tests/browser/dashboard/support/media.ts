// Sample media: the repository's generator (geotagged JPEGs, a JPEG without GPS) made
// distinct per capture with a JPEG comment segment, and short WAV tones written here.
// Distinct bytes matter: the server stores media by content, and the export test
// checks one media file per capture.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SAMPLES_BIN } from './paths'

export class Media {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saakshi-dash-media-'))
  private readonly photo: Buffer
  private readonly photoNoGps: Buffer
  private n = 0

  constructor() {
    if (!fs.existsSync(SAMPLES_BIN)) throw new Error(`${SAMPLES_BIN} is missing (set SAAKSHI_SAMPLES_BIN)`)
    const samples = path.join(this.dir, 'samples')
    execFileSync(SAMPLES_BIN, [samples])
    this.photo = fs.readFileSync(path.join(samples, 'lucknow-hazratganj-rally.jpg'))
    this.photoNoGps = fs.readFileSync(path.join(samples, 'no-gps-crowd.jpg'))
  }

  /** A JPEG unique to `label`: a COM segment after the EXIF APP1 (or after SOI). */
  jpeg(label: string, gps = true): string {
    const src = gps ? this.photo : this.photoNoGps
    let at = 2
    if (src[2] === 0xff && src[3] === 0xe1) at = 4 + src.readUInt16BE(4)
    const text = Buffer.from(`saakshi dashboard test: ${label}`)
    const com = Buffer.alloc(4)
    com.writeUInt16BE(0xfffe, 0)
    com.writeUInt16BE(text.length + 2, 2)
    const file = path.join(this.dir, `${++this.n}-${label.replace(/\W+/g, '-')}.jpg`)
    fs.writeFileSync(file, Buffer.concat([src.subarray(0, at), com, text, src.subarray(at)]))
    return file
  }

  /** A one-second mono 16-bit WAV tone; the pitch makes it unique. */
  wav(label: string): string {
    const rate = 8000
    const hz = 200 + 37 * ++this.n
    const pcm = Buffer.alloc(rate * 2)
    for (let i = 0; i < rate; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2)
    const h = Buffer.alloc(44)
    h.write('RIFF', 0)
    h.writeUInt32LE(36 + pcm.length, 4)
    h.write('WAVEfmt ', 8)
    h.writeUInt32LE(16, 16)
    h.writeUInt16LE(1, 20)
    h.writeUInt16LE(1, 22)
    h.writeUInt32LE(rate, 24)
    h.writeUInt32LE(rate * 2, 28)
    h.writeUInt16LE(2, 32)
    h.writeUInt16LE(16, 34)
    h.write('data', 36)
    h.writeUInt32LE(pcm.length, 40)
    const file = path.join(this.dir, `${this.n}-${label.replace(/\W+/g, '-')}.wav`)
    fs.writeFileSync(file, Buffer.concat([h, pcm]))
    return file
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}
