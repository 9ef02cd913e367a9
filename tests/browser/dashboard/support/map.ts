// Reading the Leaflet map as a person would: single points plus the numbers on the
// cluster bubbles are all the captures drawn.
import { expect, type Page } from '@playwright/test'

export async function pointsDrawn(page: Page): Promise<number> {
  const map = page.locator('#capture-map')
  await expect(map.locator('.leaflet-marker-pane')).toBeAttached()
  return map.evaluate((el) => {
    let n = el.querySelectorAll('.leaflet-marker-pane .point').length
    for (const c of el.querySelectorAll('.leaflet-marker-pane .marker-cluster span')) n += Number(c.textContent)
    return n
  })
}

/** Waits for the map to finish drawing `n` points (clusters animate in). */
export async function expectPoints(page: Page, n: number): Promise<void> {
  await expect(page.locator('.count')).toHaveAttribute('data-total', String(n))
  await expect.poll(() => pointsDrawn(page)).toBe(n)
}
