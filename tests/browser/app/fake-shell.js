// A stand-in for the Tauri shell (src-tauri) inside the page, built on the official
// @tauri-apps/api/mocks: the app's own code calls `invoke` and `listen` exactly as in
// the real shell, and this answers with what the shell would. The Rust side is tested
// for real by the end-to-end spec (e2e-tauri.spec.ts); here the screens are. Where this
// file refuses something itself (sniffing, caption length, invites, speeds), a spec
// that relies on it proves the screen's words and behaviour, not the refusal: those are
// tested in Rust, and the spec says so.
//
// Seed it before the page loads: window.__SAAKSHI_SEED__ = { captures: N, enrolled,
// lang, kits, failed, reviewed }. Tests read window.__fake (calls made, captures stored,
// the last answer) and set fake.purged (media cleared from the device), and
// send sync events with window.__fake.emit(name, payload).
import { mockIPC, mockWindows } from './mocks.js'

const seed = window.__SAAKSHI_SEED__ ?? {}
const STATES = ['captured', 'registered', 'previewed', 'uploaded', 'synced', 'failed']
const KINDS = ['photo', 'photo', 'photo', 'audio', 'video']
const CAPTIONS = ['जनसभा में भारी भीड़', 'Booth 104 queue at 9 am', 'रैली का मंच', 'Polling party arrives', '']
const BASE = Date.parse('2026-11-20T04:30:00Z')

function hex(n, len = 64) {
  return n.toString(16).padStart(len, '0').slice(-len)
}

function makeCapture(i, state) {
  const kind = KINDS[i % KINDS.length]
  const size = kind === 'video' ? 48_000_000 + i : kind === 'audio' ? 2_400_000 + i : 3_100_000 + i
  return {
    id: `019a${hex(i, 4)}-0000-7000-8000-${hex(i * 7919, 12)}`,
    revision: 1,
    kind,
    sha256: hex(i * 2654435761 + 1),
    size,
    mime: kind === 'video' ? 'video/mp4' : kind === 'audio' ? 'audio/wav' : 'image/jpeg',
    original_name: `${kind}-${i}.${kind === 'video' ? 'mp4' : kind === 'audio' ? 'wav' : 'jpg'}`,
    captured_at: { utc: new Date(BASE + i * 60_000).toISOString(), offset_minutes: 330 },
    location:
      i % 6 === 5
        ? null
        : { lat: 26.8467 + i * 1e-5, lon: 80.9462, accuracy_m: 12, altitude_m: null, source: 'gps', fix_time: null },
    caption: CAPTIONS[i % CAPTIONS.length] ? `${CAPTIONS[i % CAPTIONS.length]} #${i}` : '',
    tags: ['rally'],
    event: 'UP yatra 2026',
    area_code: 'B-104',
    state,
    failure: state === 'failed' ? 'the server refused this capture: media larger than 100 MiB' : null,
    upload_offset: state === 'previewed' ? Math.floor(size / 3) : 0,
    last_error: state === 'previewed' ? 'cannot reach the server (connection refused)' : null,
    attempts: state === 'previewed' ? 2 : 0,
    review: 'pending',
    review_note: null,
    answered_at: null,
  }
}

// Newest first, as the shell pages them.
const captures = []
const n = seed.captures ?? 0
for (let i = 0; i < n; i++) {
  const state = i < (seed.failed ?? 0) ? 'failed' : i % 11 === 3 ? 'previewed' : i % 4 === 0 ? 'captured' : 'synced'
  captures.push(makeCapture(i, state))
}
// Verdicts on the newest synced captures, as a pull would have left them.
const VERDICTS = [
  ['needs_info', 'कौन सा बूथ? Which booth is this?'],
  ['rejected', 'Blurred; please take it again'],
  ['approved', null],
]
if (seed.reviewed) {
  const synced = captures.filter((c) => c.state === 'synced').reverse()
  VERDICTS.forEach(([verdict, note], i) => {
    if (synced[i]) Object.assign(synced[i], { review: verdict, review_note: note })
  })
}
captures.reverse()

const area = { code: 'B-104', level: 'booth', name_en: 'Booth 104', name_hi: 'बूथ 104' }
const fake = {
  calls: [],
  captures,
  server: seed.enrolled === false ? null : 'http://10.0.0.5:8470',
  area: seed.enrolled === false ? null : area,
  settings: { wifi_only: false, bandwidth_kib: null, lang: seed.lang ?? null },
  kits: seed.kits
    ? [
        {
          id: '019a0000-0000-7000-8000-00000000c0de',
          title_en: 'Rally highlights, Lucknow',
          title_hi: 'रैली की झलकियाँ, लखनऊ',
          caption_en: 'Thousands joined the yatra in Lucknow today. #UPYatra',
          caption_hi: 'आज लखनऊ में हज़ारों लोग यात्रा में शामिल हुए। #UPYatra',
          published_at: '2026-11-21T12:00:00Z',
          items: [
            { sha256: hex(11), size: 812_000, mime: 'image/jpeg' },
            { sha256: hex(12), size: 790_000, mime: 'image/jpeg' },
            { sha256: hex(13), size: 21_000_000, mime: 'video/mp4' },
          ],
          present: [true, true, false],
        },
      ]
    : [],
  emit(event, payload) {
    return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event, payload })
  },
}
window.__fake = fake

function status() {
  const states = STATES.map((state) => {
    const inState = fake.captures.filter((c) => c.state === state)
    return { state, count: inState.length, bytes: inState.reduce((s, c) => s + c.size, 0) }
  })
  const pending = states.filter((s) => s.state !== 'synced')
  return {
    states,
    pending_count: pending.reduce((s, c) => s + c.count, 0),
    pending_bytes: pending.reduce((s, c) => s + c.bytes, 0),
    media_bytes: fake.captures.reduce((s, c) => s + c.size, 0),
    database_bytes: 4_300_000,
    server: fake.server,
    area: fake.area,
    sync: fake.server ? { phase: 'idle' } : { phase: 'not_enrolled' },
  }
}

// A preview in the colour of its hash, so screenshots show thumbnails.
async function thumbnail(sha) {
  const c = new OffscreenCanvas(96, 96)
  const g = c.getContext('2d')
  const hue = parseInt(sha.slice(-4), 16) % 360
  const grad = g.createLinearGradient(0, 0, 96, 96)
  grad.addColorStop(0, `hsl(${hue} 55% 55%)`)
  grad.addColorStop(1, `hsl(${(hue + 40) % 360} 60% 30%)`)
  g.fillStyle = grad
  g.fillRect(0, 0, 96, 96)
  g.fillStyle = 'rgba(255,255,255,0.8)'
  g.beginPath()
  g.arc(48, 40, 16, 0, Math.PI * 2)
  g.fill()
  g.fillRect(20, 62, 56, 14)
  const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 })
  return blob.arrayBuffer()
}

function wav() {
  const rate = 8000
  const n = rate / 2
  const buf = new ArrayBuffer(44 + n * 2)
  const v = new DataView(buf)
  const str = (o, t) => [...t].forEach((ch, i) => v.setUint8(o + i, ch.charCodeAt(0)))
  str(0, 'RIFF')
  v.setUint32(4, 36 + n * 2, true)
  str(8, 'WAVEfmt ')
  v.setUint32(16, 16, true)
  v.setUint16(20, 1, true)
  v.setUint16(22, 1, true)
  v.setUint32(24, rate, true)
  v.setUint32(28, rate * 2, true)
  v.setUint16(32, 2, true)
  v.setUint16(34, 16, true)
  str(36, 'data')
  v.setUint32(40, n * 2, true)
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(8000 * Math.sin((i * 2 * Math.PI * 440) / rate)), true)
  return buf
}

const err = (kind, detail, field = null) => Promise.reject({ kind, field, detail })

// What the shell's `capture` command checks (crates/saakshi-core import), in brief.
function sniff(bytes) {
  const b = bytes
  if (b.length === 0) return null
  if (b[0] === 0xff && b[1] === 0xd8) return ['photo', 'image/jpeg']
  if (b[0] === 0x89 && b[1] === 0x50) return ['photo', 'image/png']
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    // As the core does: a WebM with an Opus track and no video track is audio.
    const text = String.fromCharCode(...b.slice(0, 8192))
    return text.includes('A_OPUS') && !text.includes('V_VP') ? ['audio', 'audio/webm'] : ['video', 'video/webm']
  }
  if (String.fromCharCode(...b.slice(4, 8)) === 'ftyp') return ['video', 'video/mp4']
  if (String.fromCharCode(...b.slice(0, 4)) === 'RIFF') return ['audio', 'audio/wav']
  if (String.fromCharCode(...b.slice(0, 4)) === 'OggS') return ['audio', 'audio/ogg']
  return false
}

let lastOptions = null
const handlers = {
  app_info: () => ({ platform: 'linux', mobile: false, version: '0.1.0' }),
  status,
  queue: ({ filter }) => {
    const all = fake.captures.filter((c) => (!filter.state || c.state === filter.state) && (!filter.kind || c.kind === filter.kind))
    return { total: all.length, items: all.slice(filter.offset, filter.offset + filter.limit).map((c) => ({ ...c })) }
  },
  retry: ({ id }) => {
    let n = 0
    for (const c of fake.captures)
      if (c.state === 'failed' && (id === null || c.id === id)) {
        c.state = 'captured'
        c.failure = null
        n++
      }
    return n
  },
  // The core's own refusals are tested in Rust (saakshi-core revise.rs); these stand-ins
  // give the UI the same kinds of error to word.
  answer: ({ id, answer }) => {
    const c = fake.captures.find((x) => x.id === id)
    if (!c) return err('not_found', `no capture matches "${id}"`)
    if (c.review !== 'needs_info') return err('invalid', 'only a capture a coordinator asked about can be answered', 'review')
    if (c.state !== 'synced') return err('invalid', 'this capture, or your last answer, has not reached the server yet', 'state')
    const tags = answer.tags.map((t) => t.trim()).filter(Boolean)
    if (answer.caption.trim() === c.caption && JSON.stringify(tags) === JSON.stringify(c.tags) && !answer.location)
      return err('invalid', 'the answer changes nothing: add what the coordinator asked for', 'answer')
    Object.assign(c, {
      revision: c.revision + 1,
      caption: answer.caption.trim(),
      tags,
      location: answer.location ?? c.location,
      state: 'captured',
      answered_at: new Date().toISOString(),
    })
    fake.answered = { id, answer }
    return { ...c }
  },
  queue_item: ({ id }) => {
    const c = fake.captures.find((x) => x.id === id)
    return c ? { ...c } : err('not_found', `no capture matches "${id}"`)
  },
  kits: () => fake.kits,
  settings: () => ({ ...fake.settings }),
  set_settings: ({ settings }) => {
    if (settings.bandwidth_kib !== null && !(settings.bandwidth_kib > 0)) return err('invalid', 'bandwidth must be positive', 'bandwidth')
    fake.settings = { ...settings }
    return { ...fake.settings }
  },
  enroll: ({ invite, code, name }) => {
    if (fake.server) return err('already_enrolled', `this device is already enrolled with ${fake.server}`)
    const full = code ? `${invite} ${code}` : invite
    if (!/ABCDE-FGHJK/i.test(full)) return err('enroll_refused', 'the server refused the invite (invalid_invite)')
    fake.server = invite.replace(/\/join\/.*/, '')
    fake.area = area
    fake.deviceName = name
    return area
  },
  sync_now: () => null,
  first_paint: () => {
    fake.painted = true
    return null
  },
  capture: (bytes) => {
    const req = JSON.parse(decodeURIComponent(lastOptions?.headers?.['x-capture'] ?? '%7B%7D'))
    const body = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
    const loc = req.location
    if (loc && (Math.abs(loc.lat) > 90 || Math.abs(loc.lon) > 180)) return err('invalid', `latitude ${loc.lat} is outside -90..90`, 'lat')
    if ((req.caption ?? '').length > 2000) return err('invalid', 'caption is too long', 'caption')
    // A spec sets fake.doubt = { given: {lat, lon}, doubts: [...] }: the shell's answer
    // when the core doubts that location for this file (canned; the rule is the core's).
    const d = fake.doubt
    if (d && loc && !req.location_confirmed && loc.lat === d.given.lat && loc.lon === d.given.lon) {
      return Promise.reject({ kind: 'location_doubt', detail: 'the location is in doubt', doubts: d.doubts })
    }
    const kind = sniff(body)
    if (kind === null) return err('empty', `${req.name}: is empty`)
    if (!kind) return err('not_media', `${req.name}: is not a photo, video or audio file (text/plain)`)
    const c = makeCapture(100_000 + fake.captures.length, 'captured')
    Object.assign(c, {
      kind: kind[0],
      mime: kind[1],
      size: body.length,
      original_name: req.name,
      location: loc,
      caption: req.caption,
      tags: req.tags,
      event: req.event,
      captured_at: { utc: new Date().toISOString(), offset_minutes: 330 },
    })
    fake.captures.unshift(c)
    fake.lastCapture = { req, size: body.length, head: [...body.slice(0, 4)] }
    return { outcome: 'stored', capture: c }
  },
  set_thumbnail: (bytes) => {
    fake.thumbnailSet = { sha256: lastOptions?.headers?.['x-sha256'], size: bytes.byteLength ?? bytes.length }
    return null
  },
  thumbnail: ({ sha256 }) => thumbnail(sha256),
  // A photo's bytes are a picture; audio is a short real WAV (a tone), so the WebView
  // can play it; video bytes are a picture too, which no player decodes.
  media: ({ sha256 }) => {
    const c = fake.captures.find((x) => x.sha256 === sha256)
    if (c && fake.purged?.includes(sha256)) return err('not_found', `media ${sha256} is not on this device`)
    return c?.kind === 'audio' ? wav() : thumbnail(sha256)
  },
  save_media: ({ name }) => `/home/volunteer/Downloads/${name}`,
}

mockWindows('main')
mockIPC(
  (cmd, args) => {
    fake.calls.push(cmd)
    const h = handlers[cmd]
    if (!h) return err('internal', `the fake shell has no command ${cmd}`)
    return h(args)
  },
  { shouldMockEvents: true },
)
// The mocks drop invoke's options; the shell reads the capture's fields from headers.
const inner = window.__TAURI_INTERNALS__.invoke
window.__TAURI_INTERNALS__.invoke = (cmd, args, options) => {
  lastOptions = options ?? null
  return inner(cmd, args, options)
}
