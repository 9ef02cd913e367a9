// Enrolment: the invite link (or server address and code) a coordinator gave, pasted,
// typed, or scanned from a QR code on a phone. Checked here first, then by the shell.

import { h, setAttrT, field, tx } from '../dom'
import { showError } from '../errors'
import { i18n } from '../i18n'
import { api, type AppError } from '../ipc'
import { app, refreshStatus } from '../state'

/** An invite link (`http(s)://host/join/CODE`) or a server address and a code. */
export function splitInvite(text: string): { invite: string; code: string | null } | null {
  const s = text.trim()
  const m = s.match(/^(https?:\/\/\S+?)\s+([0-9A-Za-z-]{5,})$/)
  if (m) return { invite: m[1], code: m[2] }
  if (/^https?:\/\/\S+\/join\/[0-9A-Za-z-]{5,}\/?$/.test(s)) return { invite: s, code: null }
  return null
}

async function scanQr(): Promise<string | null> {
  const scanner = await import('@tauri-apps/plugin-barcode-scanner')
  const res = await scanner.scan({ windowed: false, formats: [scanner.Format.QRCode] })
  return res.content || null
}

export function enrollScreen(root: HTMLElement): void {
  const s = app.status
  if (s?.server && s.area) {
    root.append(
      h('h2', {}, tx('enroll.title')),
      h('div', { class: 'alert ok', role: 'status', 'data-testid': 'enrolled' }, tx('enroll.already', { server: s.server, area: i18n.lang() === 'hi' ? s.area.name_hi : s.area.name_en })),
    )
    return
  }
  const invite = h('textarea', { id: 'invite', rows: '3', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', 'data-testid': 'invite' })
  setAttrT(invite, 'placeholder', 'enroll.invite_placeholder')
  const name = h('input', { id: 'device-name', type: 'text', maxlength: '100', 'data-testid': 'device-name' })
  name.value = localStorage.getItem('saakshi.deviceName') ?? ''
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'enroll-submit' }, tx('enroll.submit'))
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    field('enroll.invite', invite, 'enroll.invite_hint'),
    field('enroll.name', name, 'enroll.name_hint'),
    errors,
    h('div', { class: 'row' }, submit),
  )
  if (app.info.mobile) {
    const scan = h('button', { type: 'button', 'data-testid': 'scan-qr' }, tx('enroll.scan'))
    scan.addEventListener('click', async () => {
      try {
        const text = await scanQr()
        if (text) invite.value = text
      } catch (e) {
        showError(errors, { kind: 'scan_failed', detail: String(e) } satisfies AppError)
      }
    })
    form.querySelector('.row')!.prepend(scan)
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const parts = splitInvite(invite.value)
    if (!parts) {
      showError(errors, { kind: 'bad_invite', detail: '' })
      invite.setAttribute('aria-invalid', 'true')
      invite.focus()
      return
    }
    invite.removeAttribute('aria-invalid')
    const deviceName = name.value.trim() || i18n.t('enroll.default_name')
    submit.disabled = true
    showError(errors, null)
    try {
      const area = await api.enroll(parts.invite, parts.code, deviceName)
      localStorage.setItem('saakshi.deviceName', deviceName)
      refreshStatus(0)
      root.replaceChildren(
        h('h2', {}, tx('enroll.title')),
        h('div', { class: 'alert ok', role: 'status', 'data-testid': 'enrolled' }, tx('enroll.done', { area: i18n.lang() === 'hi' ? area.name_hi : area.name_en, code: area.code })),
        h('p', {}, h('a', { href: '#/capture', class: 'button primary' }, tx('enroll.start_capturing'))),
      )
    } catch (err) {
      showError(errors, err)
    } finally {
      submit.disabled = false
    }
  })
  root.append(h('h2', {}, tx('enroll.title')), h('p', { class: 'lead' }, tx('enroll.lead')), form)
}
