// Playwright fixtures for the dashboard specs. The world (server, devices, captures)
// is built once per worker (the config runs one), shared by every spec, and torn down
// at the end; `signIn` opens the dashboard as someone.
import { test as base, expect, type Page } from '@playwright/test'
import { PASSWORDS, seedWorld, type World } from './support/seed'

export { expect }
export type { World }

type Who = keyof typeof PASSWORDS

export const test = base.extend<{ signIn: (who: Who, lang?: 'en' | 'hi') => Promise<Page> }, { world: World }>({
  world: [
    async ({}, use) => {
      const world = await seedWorld()
      await use(world)
      await world.stop()
    },
    { scope: 'worker', timeout: 240_000 },
  ],
  signIn: async ({ page, world }, use) => {
    await use(async (who, lang = 'en') => {
      await page.addInitScript((l) => localStorage.setItem('saakshi.dashboard.lang', l), lang)
      await page.goto(world.ui + '/#/feed')
      await page.locator('input[name=name]').fill(who)
      await page.locator('input[name=password]').fill(PASSWORDS[who])
      await page.locator('form.login button[type=submit]').click()
      await expect(page.locator('header.shell')).toBeVisible()
      return page
    })
  },
})

/** Expected counts: how many seeded captures satisfy `pred`. */
export function count<T>(items: T[], pred: (x: T) => boolean): number {
  return items.filter(pred).length
}
