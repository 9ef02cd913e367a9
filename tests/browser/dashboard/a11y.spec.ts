// Every screen, on a laptop and on a 360-px phone: every form control has a name (its
// label), and nothing is wider than the screen.
import { expect, test } from './fixtures'

for (const width of [1280, 360]) {
  test(`every control is labelled and nothing overflows at ${width} px`, async ({ page, signIn, world }) => {
    await page.setViewportSize({ width, height: 800 })
    await signIn('admin')
    const screens = ['feed', 'map', `capture/${world.captures['hz-rally'].id}`, 'kits', 'admin/areas', 'admin/users', 'admin/invites', 'admin/devices', 'audit', 'account']
    for (const s of screens) {
      await page.goto(world.ui + '/#/' + s)
      await expect(page.locator('main h1')).toBeVisible()
      await page.waitForLoadState('networkidle')
      const unlabelled = await page.locator('main').evaluate((main) =>
        [...main.querySelectorAll('input, select, textarea')]
          .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
          .map((el) => el.outerHTML.slice(0, 120)))
      expect(unlabelled, `#/${s}`).toEqual([])
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(wide, `#/${s} is ${wide} px wide`).toBeLessThanOrEqual(width)
    }
  })
}
