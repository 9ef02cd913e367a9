// The map draws exactly the located captures of the filtered set, on a plain
// background (the server runs without tiles) with the areas' names; a point opens its
// capture.
import { expect, test } from './fixtures'
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
