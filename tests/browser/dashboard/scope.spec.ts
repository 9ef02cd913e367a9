// Scope: the Lucknow coordinator sees nothing of Varanasi, through the API and in the
// dashboard (feed, map, capture detail, devices, areas, export, media).
import { expect, test } from './fixtures'
import { SEEDS, DISTRICT } from './support/seed'
import { expectPoints } from './support/map'

const vns = SEEDS.filter((s) => DISTRICT[s.device] === 'VNS')
const lko = SEEDS.filter((s) => DISTRICT[s.device] === 'LKO')

test('API: a coordinator of one district gets nothing of the other', async ({ world }) => {
  const lkoApi = world.coord.LKO
  const vnsApi = world.coord.VNS
  for (const s of vns) {
    const c = world.captures[s.key]
    expect(await lkoApi.status('GET', `/api/v1/review/captures/${c.id}`), s.key).toBe(404)
    expect(await lkoApi.status('GET', `/api/v1/review/captures/${c.id}/thumbnail`), s.key).toBe(404)
    expect([403, 404]).toContain(await lkoApi.status('GET', `/api/v1/media/${c.sha256}`))
    expect([403, 404]).toContain(await lkoApi.status('POST', `/api/v1/review/captures/${c.id}/review`, { verdict: 'approved' }))
  }
  // Lists in scope hold none of the other district, and all of this one.
  const feed = await lkoApi.get('/api/v1/review/captures?limit=200')
  const ids = (feed.items as { id: string }[]).map((c) => c.id)
  for (const s of vns) expect(ids).not.toContain(world.captures[s.key].id)
  for (const s of lko) expect(ids).toContain(world.captures[s.key].id)
  // Asking for the other district by name gives nothing either (refused or empty).
  const r = await lkoApi.raw('GET', '/api/v1/review/captures?area=VNS')
  if (r.ok) expect((await r.json()).items).toEqual([])
  else expect([403, 404]).toContain(r.status)
  const points = await lkoApi.get('/api/v1/review/points')
  expect((points.points as { area_code: string }[]).every((p) => p.area_code.startsWith('LKO'))).toBe(true)
  expect((points.areas as { code: string }[]).map((a) => a.code)).not.toContain('VNS-B1')
  const devices = (await lkoApi.get('/api/v1/admin/devices')) as { id: string }[]
  expect(devices.map((d) => d.id)).not.toContain(world.devices.vns1.id)
  expect(devices.map((d) => d.id)).toContain(world.devices.lko1.id)
  const areas = (await lkoApi.get('/api/v1/admin/areas')) as { code: string }[]
  expect(areas.map((a) => a.code).sort()).toEqual(['LKO', 'LKO-B1', 'LKO-B2'])
  const csv = await (await lkoApi.raw('GET', '/api/v1/review/export.csv')).text()
  for (const s of vns) expect(csv).not.toContain(world.captures[s.key].id)
  expect([403, 404, 400]).toContain(await lkoApi.status('POST', '/api/v1/admin/invites', { area_code: 'VNS-B1', uses: 1, days: 1 }))
  // And the other way round.
  const other = await vnsApi.get('/api/v1/review/captures?limit=200')
  for (const s of lko) expect((other.items as { id: string }[]).map((c) => c.id)).not.toContain(world.captures[s.key].id)
})

test('UI: the Lucknow coordinator sees nothing of Varanasi', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  await expect(page.locator('.count')).toHaveAttribute('data-total', String(lko.length))
  for (const s of vns) await expect(page.locator('.capture-card', { hasText: s.caption })).toHaveCount(0)
  // The area picker offers only Lucknow.
  const options = await page.getByLabel('Area', { exact: true }).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
  expect(options.filter(Boolean).sort()).toEqual(['LKO', 'LKO-B1', 'LKO-B2'])

  await page.getByRole('link', { name: 'Map' }).click()
  await expectPoints(page, lko.filter((s) => s.gps).length)
  await expect(page.locator('.area-label [data-area=VNS-B1]')).toHaveCount(0)

  await page.goto(world.ui + `/#/capture/${world.captures['vn-ghat'].id}`)
  await expect(page.getByRole('alert')).toHaveText('Not found, or outside your area.')

  await page.goto(world.ui + '/#/admin/devices')
  await expect(page.locator(`tr[data-device="${world.devices.lko1.id}"]`)).toBeVisible()
  await expect(page.locator(`tr[data-device="${world.devices.vns1.id}"]`)).toHaveCount(0)
  await expect(page.locator('tbody tr')).toHaveCount(2)
})
