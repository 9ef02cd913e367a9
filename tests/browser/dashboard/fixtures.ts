// Playwright fixtures for the dashboard specs. The world (server, devices, captures)
// is built once per worker (the config runs one), shared by every spec, and torn down
// at the end; `signIn` opens the dashboard as someone.
import { test as base, expect, type Page } from '@playwright/test'
import { PASSWORDS, seedWorld, type World } from './support/seed'


export { expect }
export type { World }

type Who = keyof typeof PASSWORDS

export const test = base.extend<{ signIn: (who: Who, lang?: 'en' | 'hi') => Promise<Page> }, { world: World }>({
  // The server sends the dashboard a strict Content-Security-Policy: anything the page
  // does that the policy blocks (an inline script or style, an image from elsewhere)
  // fails the spec that did it, instead of silently breaking the screen.
  page: async ({ page }, use) => {
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    await use(page)
    expect(violations, 'the page broke its Content-Security-Policy').toEqual([])
  },
  world: [
    async ({}, use) => {
      const world = await seedWorld()
      await use(world)
      await world.stop()
    },
    { scope: 'worker', timeout: 240_000 },
  ],
  // The seed's sessions go into the browser as cookies: the server allows 10 sign-ins a
  // minute per name, and the sign-in form has its own spec (login.spec.ts).
  signIn: async ({ page, world }, use) => {
    await use(async (who, lang = 'en') => {
      const session = { admin: world.admin, 'coord-lko': world.coord.LKO, 'coord-vns': world.coord.VNS }[who]
      const eq = session.cookie.indexOf('=')
      const [name, value] = [session.cookie.slice(0, eq), session.cookie.slice(eq + 1)]
      await page.context().addCookies([{ name, value, url: world.ui, httpOnly: true, sameSite: 'Strict' }])
      await page.addInitScript((l) => localStorage.setItem('saakshi.dashboard.lang', l), lang)
      // A fresh document (a hash change alone would keep the page that has no session).
      await page.goto('about:blank')
      await page.goto(world.ui + '/#/feed')
      await expect(page.locator('header.shell')).toBeVisible()
      await expect(page.locator('.account-link')).toContainText(who)
      return page
    })
  },
})

/** Expected counts: how many seeded captures satisfy `pred`. */
export function count<T>(items: T[], pred: (x: T) => boolean): number {
  return items.filter(pred).length
}
