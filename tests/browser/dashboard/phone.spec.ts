// Every screen of the dashboard on a 360-px phone, in English and in Hindi: nothing is
// wider than the phone (no sideways scrolling of the page, no element past the right edge
// outside a box that clips on purpose, and no box that scrolls sideways either: a wide
// table becomes a stack of cards rather than a strip to swipe), and no text a stock Debian browser draws as
// boxes: no emoji (scripts/run.sh installs no emoji font) and no combining sign without a
// letter to sit on (a bare Devanagari vowel sign such as "(ों)"); and no value squeezed
// into a column a few letters wide.
import type { Page } from '@playwright/test'
import { expect, test, type World } from './fixtures'

type Who = 'admin' | 'coord-lko'

/** name, route, who signs in, what shows once the screen has its data. */
function screens(world: World): [string, string, Who, string][] {
  return [
    ['feed', '#/feed', 'coord-lko', '.capture-card'],
    ['capture', `#/capture/${world.captures['hz-banner'].id}`, 'coord-lko', 'section.media img.viewer'],
    ['map', '#/map', 'coord-lko', '.count[data-total]'],
    ['kits', '#/kits', 'coord-lko', '.pick-captures'],
    ['invites', '#/admin/invites', 'coord-lko', 'main tbody td:not(.empty):not(.error)'],
    ['devices', '#/admin/devices', 'coord-lko', 'tbody tr[data-device]'],
    ['audit', '#/audit', 'admin', 'tbody tr[data-action]'],
    ['areas', '#/admin/areas', 'admin', 'main li[data-code]'],
    ['users', '#/admin/users', 'admin', 'tbody tr[data-user]'],
    ['devices (admin)', '#/admin/devices', 'admin', 'tbody tr[data-device]'],
    ['account', '#/account', 'coord-lko', 'main form'],
  ]
}

/** What sticks out past the right edge of the viewport, outside boxes that scroll or clip. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const out: string[] = []
    if (document.documentElement.scrollWidth > width) {
      out.push(`the page is ${document.documentElement.scrollWidth} px wide`)
    }
    const clipped = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX
        if (x !== 'visible') return p.getBoundingClientRect().right <= width + 1
      }
      return false
    }
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0 || r.right <= width + 1 || clipped(el)) continue
      const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
      out.push(`${name} ends at ${Math.round(r.right)} px: ${(el.textContent ?? '').trim().slice(0, 40)}`)
    }
    // A box that scrolls sideways hides part of what it holds on a phone (a table's
    // last columns): only text fields may (the map clips, it does not scroll).
    for (const el of document.body.querySelectorAll('*')) {
      if (el.matches('input, textarea, select')) continue
      const x = getComputedStyle(el).overflowX
      if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        const name = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '')
        out.push(`${name} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`)
      }
    }
    // Squeezed: a value of more than a few words in a box narrower than 90 px.
    for (const el of document.body.querySelectorAll('dd, td, p, li')) {
      const r = el.getBoundingClientRect()
      const text = (el.textContent ?? '').trim()
      if (r.width > 0 && r.width < 90 && text.length > 24) out.push(`${el.tagName.toLowerCase()} is ${Math.round(r.width)} px wide for "${text.slice(0, 30)}"`)
    }
    return out.slice(0, 8)
  })
}

/** Text nodes holding an emoji or a combining sign with no letter before it. */
async function boxes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const emoji = /[\u{1F000}-\u{1FAFF}]|\p{Emoji_Presentation}|\uFE0F/u
    const bareMark = /(^|[\s([{"'“‘/-])\p{M}/u
    const out: string[] = []
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const t = n.textContent ?? ''
      if (emoji.test(t) || bareMark.test(t)) out.push(t.trim().slice(0, 60))
    }
    // Attributes people hear or see too.
    for (const el of document.body.querySelectorAll('[aria-label],[title],[alt],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
        const t = el.getAttribute(a)
        if (t && (emoji.test(t) || bareMark.test(t))) out.push(`${a}=${t.slice(0, 60)}`)
      }
    }
    return out
  })
}

for (const lang of ['en', 'hi'] as const) {
  test(`every screen fits a 360-px phone and draws no boxes (${lang})`, async ({ page, signIn, world }) => {
    await page.setViewportSize({ width: 360, height: 740 })
    // The sign-in page first.
    await page.addInitScript((l) => localStorage.setItem('saakshi.dashboard.lang', l), lang)
    await page.goto(world.ui + '/')
    await expect(page.locator('form.login')).toBeVisible()
    const problems: string[] = []
    const check = async (name: string) => {
      await page.waitForLoadState('networkidle')
      await page.evaluate(() => document.fonts.ready)
      for (const p of await overflow(page)) problems.push(`${name}: ${p}`)
      for (const p of await boxes(page)) problems.push(`${name}: boxes in "${p}"`)
    }
    await check('sign-in')
    let who: Who | null = null
    for (const [name, hash, as, ready] of screens(world)) {
      if (who !== as) {
        await signIn(as, lang)
        who = as
      }
      await page.goto(`${world.ui}/${hash}`)
      await expect(page.locator(ready).first()).toBeVisible()
      await check(name)
    }
    expect(problems).toEqual([])
  })
}
