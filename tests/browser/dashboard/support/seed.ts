// The world every dashboard spec shares: two districts with booths, a coordinator for
// each, three enrolled devices and their captures, seeded only through the server's API
// and the real device client (never its database). Specs compute their expected counts
// from SEEDS, so a spec states what it expects in terms of what was captured.
import fs from 'node:fs'
import { Device } from './device'
import { Media } from './media'
import { Session } from './api'
import { startServer, type RunningServer } from './server'
import { DASHBOARD_DIST } from './paths'

export const AREAS_CSV = `code,level,name_en,name_hi,parent_code
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
LKO-B1,booth,Booth 1 Hazratganj,बूथ 1 हज़रतगंज,LKO
LKO-B2,booth,Booth 2 Aminabad,बूथ 2 अमीनाबाद,LKO
VNS,district,Varanasi,वाराणसी,UP
VNS-B1,booth,Booth 1 Dashashwamedh,बूथ 1 दशाश्वमेध,VNS
`

export type DeviceKey = 'lko1' | 'lko2' | 'vns1'
export const DEVICE_AREA: Record<DeviceKey, string> = { lko1: 'LKO-B1', lko2: 'LKO-B2', vns1: 'VNS-B1' }
export const DISTRICT: Record<DeviceKey, 'LKO' | 'VNS'> = { lko1: 'LKO', lko2: 'LKO', vns1: 'VNS' }

export interface SeedCapture {
  key: string
  device: DeviceKey
  kind: 'photo' | 'audio'
  gps?: [number, number, number]
  caption: string
  tags: string[]
  event?: string
  /** A verdict given while seeding (through the API, as the district's coordinator). */
  review?: { verdict: 'approved' | 'rejected'; note?: string }
}

export const SEEDS: SeedCapture[] = [
  { key: 'hz-rally', device: 'lko1', kind: 'photo', gps: [26.85, 80.9462, 8], caption: 'हज़रतगंज रैली: Rally at Hazratganj, crowd near the stage', tags: ['rally'], event: 'Hazratganj rally' },
  { key: 'hz-queue', device: 'lko1', kind: 'photo', gps: [26.8521, 80.949, 12], caption: 'Booth queue in the morning', tags: ['booth'], review: { verdict: 'approved' } },
  { key: 'hz-banner', device: 'lko1', kind: 'photo', gps: [26.848, 80.94, 20], caption: 'Rally stage banner', tags: ['rally', 'banner'], event: 'Hazratganj rally', review: { verdict: 'rejected', note: 'Blurred; please take it again' } },
  { key: 'hz-nogps', device: 'lko1', kind: 'photo', caption: 'Crowd at the gate, no GPS fix', tags: ['rally'] },
  { key: 'hz-speech', device: 'lko1', kind: 'audio', gps: [26.851, 80.947, 15], caption: 'Speech recording', tags: ['speech'], event: 'Hazratganj rally' },
  { key: 'hz-chant', device: 'lko1', kind: 'audio', caption: 'Slogan chant', tags: ['rally'] },
  { key: 'am-padyatra', device: 'lko2', kind: 'photo', gps: [26.86, 80.92, 10], caption: 'Aminabad padyatra', tags: ['padyatra'] },
  { key: 'am-poster', device: 'lko2', kind: 'photo', gps: [26.861, 80.923, 10], caption: 'Aminabad wall poster', tags: ['poster'] },
  { key: 'am-meeting', device: 'lko2', kind: 'photo', gps: [26.862, 80.925, 10], caption: 'Aminabad public meeting', tags: ['meeting'] },
  { key: 'vn-ghat', device: 'vns1', kind: 'photo', gps: [25.3066, 83.0104, 9], caption: 'Ghat sabha in Varanasi', tags: ['rally'] },
  { key: 'vn-line', device: 'vns1', kind: 'photo', gps: [25.31, 83.012, 9], caption: 'Varanasi booth line', tags: ['booth'] },
  { key: 'vn-speech', device: 'vns1', kind: 'audio', gps: [25.308, 83.009, 9], caption: 'Varanasi speech', tags: ['speech'] },
]

export const PASSWORDS = {
  admin: 'admin-pass-2026!',
  'coord-lko': 'lucknow-pass-2026',
  'coord-vns': 'varanasi-pass-2026',
}

export interface World {
  server: RunningServer
  /** Where the browser opens the dashboard: the server itself. */
  ui: string
  api: string
  admin: Session
  coord: { LKO: Session; VNS: Session }
  /** A coordinator who has not signed in yet: its one-time password. */
  fresh: { name: string; password: string }
  devices: Record<DeviceKey, Device>
  captures: Record<string, SeedCapture & { id: string; sha256: string }>
  media: Media
  stop: () => Promise<void>
}

/** Signs in with a first password, replaces it (as the dashboard insists), signs in again. */
async function firstPassword(base: string, name: string, oneTime: string, chosen: string): Promise<Session> {
  const s = await Session.login(base, name, oneTime)
  await s.post('/api/v1/auth/password', { current: oneTime, new: chosen })
  return Session.login(base, name, chosen)
}

export async function seedWorld(): Promise<World> {
  if (!fs.existsSync(`${DASHBOARD_DIST}/index.html`)) {
    throw new Error(`${DASHBOARD_DIST} is not built: run ensure_dashboard_built (scripts/lib/dashboard.sh)`)
  }
  const server = await startServer()
  const api = server.url
  // Debug builds of the server read ui/dashboard/dist from disk at each request.
  const page = await (await fetch(api + '/')).text()
  if (!page.includes('id="app"')) throw new Error(`${api}/ does not serve the dashboard:\n${page}`)

  const admin = await firstPassword(api, 'admin', server.adminPassword, PASSWORDS.admin)
  await admin.post('/api/v1/admin/areas/import', AREAS_CSV, 'text/csv')

  const coordinator = async (name: 'coord-lko' | 'coord-vns', area: string) => {
    const r = await admin.post<{ password: string }>('/api/v1/admin/users', { name, role: 'coordinator', area_code: area })
    return firstPassword(api, name, r.password, PASSWORDS[name])
  }
  const coord = { LKO: await coordinator('coord-lko', 'LKO'), VNS: await coordinator('coord-vns', 'VNS') }
  const freshUser = await admin.post<{ name: string; password: string }>('/api/v1/admin/users', { name: 'coord-new', role: 'coordinator', area_code: 'LKO' })

  const media = new Media()
  const devices = { lko1: new Device('lko1'), lko2: new Device('lko2'), vns1: new Device('vns1') }
  for (const [key, d] of Object.entries(devices) as [DeviceKey, Device][]) {
    // Each district's coordinator invites the devices of its own booths.
    const inv = await coord[DISTRICT[key]].post<{ link: string }>('/api/v1/admin/invites', { area_code: DEVICE_AREA[key], uses: 1, days: 7 })
    await d.enroll(inv.link)
  }
  const captures: World['captures'] = {}
  for (const s of SEEDS) {
    const file = s.kind === 'photo' ? media.jpeg(s.key, !!s.gps) : media.wav(s.key)
    const loc = s.gps ? { lat: s.gps[0], lon: s.gps[1], accuracy: s.gps[2] } : {}
    const c = await devices[s.device].capture(file, { ...loc, caption: s.caption, tags: s.tags, event: s.event })
    captures[s.key] = { ...s, ...c }
  }
  for (const d of Object.values(devices)) await d.sync()
  for (const s of SEEDS.filter((x) => x.review)) {
    const c = captures[s.key]
    await coord[DISTRICT[s.device]].post(`/api/v1/review/captures/${c.id}/review`, s.review)
  }
  return {
    server,
    ui: api,
    api,
    admin,
    coord,
    fresh: { name: freshUser.name, password: freshUser.password },
    devices,
    captures,
    media,
    stop: async () => {
      await server.stop()
      for (const d of Object.values(devices)) d.remove()
      media.remove()
    },
  }
}
