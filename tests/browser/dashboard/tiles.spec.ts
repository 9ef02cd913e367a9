// The map's tile source is the server's setting: a server configured with a tile URL
// (here a local stand-in for OpenStreetMap, the machine has no internet) makes the
// dashboard draw those tiles under the points.
import http from 'node:http'
import zlib from 'node:zlib'
import { expect, test } from './fixtures'
import { Session } from './support/api'
import { startServer } from './support/server'

// A 256×256 one-colour PNG, as a tile server would answer.
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(256, 0)
  ihdr.writeUInt32BE(256, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(256 * 3, 0xc8)])
  const raw = Buffer.concat(Array.from({ length: 256 }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

test('a configured tile URL is used by the map', async ({ page }) => {
  const tile = png()
  const asked: string[] = []
  const tiles = http.createServer((req, res) => {
    asked.push(req.url ?? '')
    res.writeHead(200, { 'Content-Type': 'image/png' }).end(tile)
  })
  await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r))
  const port = (tiles.address() as { port: number }).port
  const server = await startServer({ SAAKSHI_MAP_TILES: `http://127.0.0.1:${port}/{z}/{x}/{y}.png` })
  try {
    const admin = await Session.login(server.url, 'admin', server.adminPassword)
    expect((await admin.get('/api/v1/dashboard/config')).tile_url).toBe(`http://127.0.0.1:${port}/{z}/{x}/{y}.png`)
    await admin.post('/api/v1/auth/password', { current: server.adminPassword, new: 'tiles-admin-2026' })
    const s = await Session.login(server.url, 'admin', 'tiles-admin-2026')
    const eq = s.cookie.indexOf('=')
    await page.context().addCookies([{ name: s.cookie.slice(0, eq), value: s.cookie.slice(eq + 1), url: server.url }])
    await page.goto(server.url + '/#/map')
    await expect(page.locator('#capture-map .leaflet-tile-loaded').first()).toBeVisible()
    await expect(page.locator('#capture-map.no-tiles')).toHaveCount(0)
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.every((u) => /^\/\d+\/\d+\/\d+\.png$/.test(u))).toBe(true)
  } finally {
    await server.stop()
    await new Promise((r) => tiles.close(r))
  }
})
