// Devices in scope: when each was last heard from, what it still has to send, and a
// revoke (optionally telling it to wipe its media) confirmed in place.
import { get, post } from '../api'
import { forget } from '../cache'
import { h, mount } from '../dom'
import { errorText } from '../errors'
import { ago, num, when } from '../format'
import { t } from '../i18n'
import { cell, stackTable } from '../table'
import type { Route } from '../router'
import type { Device } from '../types'

export function devicesView(root: HTMLElement, _route: Route): void {
  const body = h('tbody')
  const cols = ['devices.name', 'devices.area', 'devices.last_seen', 'devices.clock', 'devices.captures', 'devices.pending', 'devices.state', 'devices.actions']
  const heads = cols.map((k) => t(k))
  const table = stackTable('devices', t('devices.list'), heads, body)
  mount(root, h('h1', null, t('devices.title')), h('div', { class: 'scroll-x' }, table))
  const load = () =>
    get<Device[]>('/api/v1/admin/devices')
      .then((list) => body.replaceChildren(...(list.length ? list.map(row) : [h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, t('devices.none')))])))
      .catch((e) => body.replaceChildren(h('tr', null, h('td', { colspan: cols.length, class: 'error', role: 'alert' }, errorText(e)))))

  const row = (d: Device) => {
    const actions = h('div', { class: 'cell-value' })
    const confirm = () => {
      const wipe = h('input', { type: 'checkbox', name: 'wipe' })
      const status = h('span', { role: 'status' })
      actions.replaceChildren(
        h('label', null, wipe, ' ', t('devices.wipe')),
        h('button', { type: 'button', class: 'reject', onclick: async () => {
          try {
            await post(`/api/v1/admin/devices/${d.id}/revoke`, { wipe: wipe.checked })
            forget()
            load()
          } catch (e) {
            status.className = 'error'
            status.textContent = errorText(e)
          }
        } }, t('devices.confirm_revoke')),
        h('button', { type: 'button', onclick: () => actions.replaceChildren(revokeButton()) }, t('cancel')),
        status)
    }
    const revokeButton = () => h('button', { type: 'button', onclick: confirm }, t('devices.revoke'))
    if (!d.revoked) actions.append(revokeButton())
    const [name, area, seen, clock, captures, pending, state, act] = heads
    return h('tr', { 'data-device': d.id },
      cell(name, h('strong', null, d.name), h('br'), h('small', { class: 'muted' }, `${d.platform} · ${d.id.slice(-12)}`)),
      cell(area, d.area_code),
      cell(seen, h('span', { title: when(d.last_seen_at) }, ago(d.last_seen_at))),
      cell(clock, d.clock_skew_ms == null ? '—' : t('devices.skew', { s: num(Math.round(d.clock_skew_ms / 1000)) })),
      cell(captures, num(d.captures)),
      cell(pending, num(d.media_pending)),
      cell(state, d.revoked ? h('span', { class: 'badge review-rejected' }, t('devices.revoked')) : h('span', { class: 'badge review-approved' }, t('devices.active'))),
      h('td', { 'data-label': act }, actions))
  }
  load()
}
