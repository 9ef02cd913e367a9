// The map draws exactly the located captures of the filtered set, on a plain
// background (the server runs without tiles) with the areas' names; a point opens its
// capture.
import { expect, test } from './fixtures'
import { Device } from './support/device'
import { SEEDS, DISTRICT } from './support/seed'
import { expectPoints } from './support/map'

const lkoLocated = SEEDS.filter((s) => DISTRICT[s.device] === 'LKO' && s.gps)

test('the map shows one point per located capture, with area names and no tiles', async ({ signIn }) => {
  const page = await signIn('coord-lko')
  await page.getByRole('link', { name: 'Map' }).click()
  await expectPoints(page, lkoLocated.length)
  // No tiles were asked for: the server's config says none, so the background is plain.
  await expect(page.locator('#capture-map.no-tiles')).toBeVisible()
  await expect(page.locator('#capture-map .leaflet-tile')).toHaveCount(0)
  await expect(page.locator('.area-label [data-area=LKO-B1]')).toHaveText('Booth 1 Hazratganj')
  await expect(page.locator('.area-label [data-area=LKO-B2]')).toHaveText('Booth 2 Aminabad')

  // Filters apply to the map too (folded there, to leave the screen to the map).
  await page.locator('summary', { hasText: 'Filters' }).click()
  await page.getByLabel('Kind', { exact: true }).selectOption('audio')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expectPoints(page, lkoLocated.filter((s) => s.kind === 'audio').length)
})

test('a point on the map opens its capture', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  const target = world.captures['am-padyatra']
  await page.goto(world.ui + '/#/map?area=LKO-B2&q=padyatra')
  await expectPoints(page, 1)
  await page.locator('#capture-map .point').click()
  await expect(page).toHaveURL(new RegExp(`#/capture/${target.id}$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Aminabad padyatra')
})

test('an area\'s name stands among its points, never midway between places far apart', async ({ signIn, world }) => {
  // Its own district, so no other spec's counts move: one booth with captures in
  // Lucknow and in Varanasi, some 270 km apart (a wrong location, or a code reused).
  await world.admin.post('/api/v1/admin/areas/import',
    'code,level,name_en,name_hi,parent_code\nSPR,district,Spread,फैला ज़िला,UP\nSPR-B1,booth,Booth 9 Spread,बूथ 9 फैला,SPR\n', 'text/csv')
  const inv = await world.admin.post<{ link: string }>('/api/v1/admin/invites', { area_code: 'SPR-B1', uses: 1, days: 1 })
  const d = new Device('spread')
  try {
    await d.enroll(inv.link)
    for (const [i, [lat, lon]] of [[26.85, 80.95], [26.852, 80.951], [25.31, 83.01], [25.311, 83.012]].entries()) {
      await d.capture(world.media.jpeg(`spread-${i}`), { lat, lon, accuracy: 10, caption: `Spread ${i}` })
    }
    await d.sync()
    const page = await signIn('admin')
    await page.goto(world.ui + '/#/map?area=SPR')
    await expectPoints(page, 4)
    // One label at each place, each beside the points (or their cluster) it names.
    const labels = page.locator('.area-label [data-area=SPR-B1]')
    await expect(labels).toHaveCount(2)
    await expect(labels.first()).toHaveText('Booth 9 Spread')
    const gaps = await page.evaluate(() => {
      const centre = (el: Element) => {
        const r = el.getBoundingClientRect()
        return [r.left + r.width / 2, r.top + r.height / 2]
      }
      const marks = [...document.querySelectorAll('#capture-map .leaflet-marker-pane .point, #capture-map .leaflet-marker-pane .marker-cluster')].map(centre)
      // The label's own anchor: the bottom centre of its text sits 22 px above the spot.
      return [...document.querySelectorAll('.area-label')].filter((l) => l.querySelector('[data-area=SPR-B1]')).map((l) => {
        const [x, y] = centre(l)
        return Math.min(...marks.map(([mx, my]) => Math.hypot(mx - x, my - y)))
      })
    })
    for (const gap of gaps) expect(gap).toBeLessThan(40)
  } finally {
    d.remove()
  }
})
