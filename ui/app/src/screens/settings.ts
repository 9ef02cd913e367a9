// Settings and enrolment: the server and area, Wi-Fi only, bandwidth cap, storage used,
// and the language.

import { field, h, tx } from '../dom'
import { showError } from '../errors'
import { bytes, duration } from '../format'
import { i18n } from '../i18n'
import { api, type Settings, type Status } from '../ipc'
import { setLanguage } from '../lang'
import { app, statusChanged } from '../state'

function enrolment(s: Status | null): HTMLElement {
  const card = h('section', { class: 'card', 'data-testid': 'enrolment' }, h('h3', {}, tx('settings.server')))
  if (s?.sync.phase === 'update_required') card.append(h('p', { class: 'alert error', 'data-testid': 'update-required' }, tx('settings.update_required')))
  if (s?.sync.phase === 'revoked') card.append(h('p', { class: 'alert error' }, tx('settings.revoked')))
  else if (s?.server && s.area) {
    card.append(
      h('p', {}, h('span', { class: 'label' }, tx('settings.server_url')), ' ', h('code', { lang: 'en' }, s.server)),
      h('p', {}, h('span', { class: 'label' }, tx('settings.area')), ' ', i18n.lang() === 'hi' ? s.area.name_hi : s.area.name_en, ` (${s.area.code})`),
    )
  } else card.append(h('p', {}, tx('settings.not_enrolled')), h('a', { href: '#/enroll', class: 'button primary', 'data-testid': 'go-enroll' }, tx('settings.enroll')))
  return card
}

function storage(s: Status | null): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'storage' },
    h('h3', {}, tx('settings.storage')),
    s
      ? h(
          'dl',
          {},
          h('dt', {}, tx('settings.media')),
          h('dd', {}, bytes(s.media_bytes)),
          h('dt', {}, tx('settings.database')),
          h('dd', {}, bytes(s.database_bytes)),
          h('dt', {}, tx('settings.waiting')),
          h('dd', {}, bytes(s.pending_bytes)),
        )
      : '',
  )
}

// Upload speed in what a volunteer can picture: how long one photo takes. The setting
// itself is KiB a second (the core's bandwidth cap); a value set another way (the CLI)
// stays on offer as it is.
const SPEEDS = [32, 128, 512] as const
const SPEED_NAMES: Record<(typeof SPEEDS)[number], string> = { 32: 'settings.speed_slowest', 128: 'settings.speed_gentle', 512: 'settings.speed_moderate' }
const PHOTO_KIB = 3 * 1024

function speedOptions(select: HTMLSelectElement, current: number | null): void {
  const choices: (number | null)[] = [null, ...SPEEDS]
  if (current !== null && !choices.includes(current)) choices.push(current)
  select.replaceChildren(
    ...choices.map((kib) => {
      if (kib === null) return h('option', { value: '' }, i18n.t('settings.speed_unlimited'))
      const name = i18n.t(SPEED_NAMES[kib as (typeof SPEEDS)[number]] ?? 'settings.speed_custom')
      return h('option', { value: String(kib) }, i18n.t('settings.speed_choice', { name, time: duration(PHOTO_KIB / kib) }))
    }),
  )
  select.value = current === null ? '' : String(current)
}

export function settingsScreen(root: HTMLElement): () => void {
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  const saved = h('p', { class: 'confirm', role: 'status', 'aria-live': 'polite', 'data-testid': 'settings-saved' })
  const wifi = h('input', { type: 'checkbox', id: 'wifi-only', 'data-testid': 'wifi-only' })
  const cap = h('select', { id: 'bandwidth', 'data-testid': 'bandwidth' })
  const lang = h('select', { id: 'language', 'data-testid': 'language' }, h('option', { value: 'hi', lang: 'hi' }, 'हिन्दी'), h('option', { value: 'en', lang: 'en' }, 'English'))
  lang.value = i18n.lang()
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'settings-save' }, tx('settings.save'))
  let current: Settings | null = null

  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('h3', {}, tx('settings.sync')),
    h('div', { class: 'check' }, wifi, h('label', { for: 'wifi-only' }, tx('settings.wifi_only'))),
    field('settings.bandwidth', cap, 'settings.bandwidth_hint'),
    errors,
    save,
    saved,
  )
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    saved.replaceChildren()
    const kib = cap.value === '' ? null : Number(cap.value)
    try {
      current = await api.setSettings({ ...(current ?? { lang: i18n.lang() }), wifi_only: wifi.checked, bandwidth_kib: kib })
      showError(errors, null)
      saved.replaceChildren(tx('settings.saved'))
    } catch (err) {
      showError(errors, err)
    }
  })
  lang.addEventListener('change', () => void setLanguage(lang.value as 'hi' | 'en'))

  const enrolSlot = h('div', {}, enrolment(app.status))
  const storageSlot = h('div', {}, storage(app.status))
  speedOptions(cap, null)
  const off = statusChanged.on((s) => {
    enrolSlot.replaceChildren(enrolment(s))
    storageSlot.replaceChildren(storage(s))
  })
  const offLang = i18n.onChange(() => {
    lang.value = i18n.lang()
    speedOptions(cap, cap.value === '' ? null : Number(cap.value))
    enrolSlot.replaceChildren(enrolment(app.status))
    storageSlot.replaceChildren(storage(app.status))
  })
  root.append(
    h('h2', {}, tx('nav.settings')),
    enrolSlot,
    form,
    storageSlot,
    h('section', { class: 'card' }, h('h3', {}, tx('settings.language')), field('settings.language', lang)),
    h('p', { class: 'qmeta' }, tx('settings.version', { v: app.info.version, platform: app.info.platform })),
  )
  api
    .settings()
    .then((s) => {
      current = s
      wifi.checked = s.wifi_only
      speedOptions(cap, s.bandwidth_kib)
    })
    .catch((e) => showError(errors, e))
  return () => {
    off()
    offLang()
  }
}
