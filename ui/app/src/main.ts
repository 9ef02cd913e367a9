// The field app: a header with sync status and the language switch, the current
// screen, and the navigation. Screens are plain functions that build their DOM and
// return a clean-up; `#/name` in the URL picks one.

import '@fontsource/noto-sans-devanagari/400.css'
import '@fontsource/noto-sans-devanagari/600.css'
import './styles.css'

import type { Lang } from '../../lib/i18n'
import { h, setAttrT, setT, tx } from './dom'
import { bytes, count } from './format'
import { i18n } from './i18n'
import { api, type Status } from './ipc'
import { setLanguage } from './lang'
import { app, refreshStatus, startListening, statusChanged } from './state'
import { captureScreen } from './screens/capture'
import { enrollScreen } from './screens/enroll'
import { kitsScreen } from './screens/kits'
import { languageScreen } from './screens/language'
import { itemScreen } from './screens/item'
import { queueScreen } from './screens/queue'
import { settingsScreen } from './screens/settings'
import { verdictNotice } from './verdict-notice'

/** A screen builds itself in `root`; `arg` is the rest of the hash (#/item/<id>). */
export type Screen = (root: HTMLElement, arg?: string) => (() => void) | void

const SCREENS: Record<string, Screen> = {
  capture: captureScreen,
  queue: queueScreen,
  item: itemScreen,
  kits: kitsScreen,
  settings: settingsScreen,
  enroll: enrollScreen,
}
const NAV = ['capture', 'queue', 'kits', 'settings'] as const
const NAV_ICONS: Record<(typeof NAV)[number], string> = { capture: '◉', queue: '⇅', kits: '▤', settings: '⚙' }

function syncBadge(): HTMLElement {
  const badge = h('p', { class: 'sync-badge', role: 'status', 'aria-live': 'polite', 'data-testid': 'sync-badge' })
  const render = (s: Status) => {
    const phase = s.sync.phase
    badge.dataset.phase = phase
    const label =
      phase === 'waiting'
        ? tx('sync.waiting')
        : phase === 'syncing'
          ? tx('sync.syncing')
          : phase === 'idle'
            ? tx(s.pending_count ? 'sync.idle_pending' : 'sync.idle_done')
            : tx(`sync.${phase}`)
    const pending = s.pending_count
      ? tx('sync.pending', { n: count(s.pending_count), size: bytes(s.pending_bytes) })
      : null
    badge.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }), label, pending ? ' · ' : '', pending ?? '')
  }
  if (app.status) render(app.status)
  statusChanged.on(render)
  return badge
}

function langSwitch(): HTMLButtonElement {
  // Shows the language it switches to, written in that language.
  const btn = h('button', { type: 'button', class: 'lang-switch', 'data-testid': 'lang-switch' })
  const render = () => {
    const other: Lang = i18n.lang() === 'hi' ? 'en' : 'hi'
    btn.textContent = other === 'hi' ? 'हिन्दी' : 'English'
    btn.lang = other
    setAttrT(btn, 'aria-label', 'lang.switch_to', { lang: other === 'hi' ? 'हिन्दी' : 'English' })
  }
  render()
  btn.addEventListener('click', async () => {
    await setLanguage(i18n.lang() === 'hi' ? 'en' : 'hi')
    render()
  })
  i18n.onChange(render)
  return btn
}

let cleanup: (() => void) | void

function route(main: HTMLElement, nav: HTMLElement): void {
  const path = location.hash.replace(/^#\/?/, '')
  const slash = path.indexOf('/')
  const name = (slash < 0 ? path : path.slice(0, slash)) || 'capture'
  const arg = slash < 0 ? undefined : decodeURIComponent(path.slice(slash + 1))
  const screen = SCREENS[name] ?? captureScreen
  if (cleanup) cleanup()
  main.replaceChildren()
  main.dataset.screen = name
  delete main.dataset.id
  cleanup = screen(main, arg)
  // A capture opened from the queue belongs to the queue.
  const tab = name === 'item' ? 'queue' : name
  nav.querySelectorAll('a').forEach((a) => {
    if (a.dataset.screen === tab) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  })
  document.title = `${i18n.t(`nav.${name}`)} · ${i18n.t('app.name')}`
  main.focus({ preventScroll: true })
}

function shell(root: HTMLElement): void {
  const main = h('main', { id: 'screen', tabindex: '-1' })
  const nav = h('nav', { class: 'tabs' })
  setAttrT(nav, 'aria-label', 'nav.label')
  for (const name of NAV) {
    const label = tx(`nav.${name}`)
    nav.append(
      h(
        'a',
        { href: `#/${name}`, 'data-screen': name, 'data-testid': `nav-${name}` },
        h('span', { class: 'icon', 'aria-hidden': 'true' }, NAV_ICONS[name]),
        label,
      ),
    )
  }
  const brand = h('h1', { class: 'brand' }, h('span', { lang: 'hi' }, 'साक्षी'), ' ', h('span', { lang: 'en' }, 'Saakshi'))
  const header = h('header', { class: 'topbar' }, brand, syncBadge(), langSwitch())
  const skip = h('a', { class: 'skip', href: '#screen' })
  setT(skip, 'nav.skip')
  skip.addEventListener('click', (e) => {
    e.preventDefault()
    main.focus()
  })
  root.replaceChildren(skip, header, verdictNotice(), h('div', { class: 'body' }, nav, main))
  window.addEventListener('hashchange', () => route(main, nav))
  i18n.onChange(() => {
    document.title = `${i18n.t(`nav.${main.dataset.screen ?? 'capture'}`)} · ${i18n.t('app.name')}`
  })
  route(main, nav)
}

async function boot(): Promise<void> {
  const root = document.getElementById('app')!
  const [info, settings, status] = await Promise.all([api.appInfo(), api.settings(), api.status()])
  app.info = info
  app.status = status
  await startListening()
  // The device store holds the choice (not the WebView's storage, which outlives a home).
  if (settings.lang === 'hi' || settings.lang === 'en') {
    i18n.setLang(settings.lang)
    shell(root)
  } else {
    // First run: ask हिन्दी / English before anything else.
    languageScreen(root, async (lang) => {
      await setLanguage(lang)
      shell(root)
    })
  }
  document.body.dataset.ready = 'true'
  // Two frames later the first screen has been painted.
  requestAnimationFrame(() => requestAnimationFrame(() => void api.firstPaint().catch(() => {})))
  refreshStatus(0)
}

boot().catch((e) => {
  document.getElementById('app')!.replaceChildren(
    h('div', { class: 'alert error', role: 'alert' }, h('strong', {}, 'Saakshi could not start · साक्षी शुरू नहीं हो सका'), h('p', {}, JSON.stringify(e))),
  )
})
