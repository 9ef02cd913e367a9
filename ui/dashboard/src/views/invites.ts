// Invites: devices enrol with a link or its QR code. A new invite is shown as both,
// on a card that prints on its own (the rest of the page is hidden in print).
import QRCode from 'qrcode'
import { get, post } from '../api'
import { areasInScope } from '../cache'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { areaName, when } from '../format'
import { t } from '../i18n'
import type { Route } from '../router'
import { cell, stackTable } from '../table'
import type { Area, Invite } from '../types'

export function invitesView(root: HTMLElement, _route: Route): void {
  let areas: Area[] = []
  const body = h('tbody')
  const heads = ['invites.area', 'invites.used', 'invites.expires', 'invites.created'].map((k) => t(k))
  const table = stackTable(null, t('invites.list'), heads, body)
  const load = () =>
    get<Invite[]>('/api/v1/admin/invites')
      .then((list) => body.replaceChildren(...(list.length ? list.map((i) =>
        h('tr', { 'data-invite': String(i.id) },
          cell(heads[0], `${areaName(areas.find((a) => a.code === i.area_code), i.area_code)} (${i.area_code})`),
          cell(heads[1], `${i.used} / ${i.uses}`),
          cell(heads[2], when(i.expires_at)),
          cell(heads[3], when(i.created_at)))) : [h('tr', null, h('td', { colspan: 4, class: 'empty' }, t('invites.none')))])))
      .catch((e) => body.replaceChildren(h('tr', null, h('td', { colspan: 4, class: 'error', role: 'alert' }, errorText(e)))))

  const area = h('select', { name: 'area_code', required: true })
  const uses = h('input', { name: 'uses', type: 'number', min: '1', max: '10000', value: '1' })
  const days = h('input', { name: 'days', type: 'number', min: '1', max: '365', value: '7' })
  const result = h('div')
  const form = h('form', {
    class: 'card',
    onsubmit: async (ev: Event) => {
      ev.preventDefault()
      try {
        const r = await post<{ code: string; link: string; expires_at: string }>('/api/v1/admin/invites', {
          area_code: area.value,
          uses: Number(uses.value),
          days: Number(days.value),
        })
        const a = areas.find((x) => x.code === area.value)
        result.replaceChildren(await inviteCard(r, a ? `${areaName(a)} (${a.code})` : area.value))
        load()
      } catch (e) {
        result.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)))
      }
    },
  },
  h('h2', null, t('invites.new')),
  field(t('invites.area'), area),
  field(t('invites.uses'), uses),
  field(t('invites.days'), days),
  h('button', { type: 'submit', class: 'primary' }, t('invites.create')))
  mount(root, h('h1', null, t('invites.title')), h('div', { class: 'two-col' }, h('section', null, form, result), h('section', { class: 'scroll-x' }, table)))
  areasInScope()
    .then((all) => {
      areas = all
      area.append(...all.map((a) => h('option', { value: a.code }, `${areaName(a)} (${a.code})`)))
    })
    .catch(() => {})
    .finally(load)
}

async function inviteCard(r: { code: string; link: string; expires_at: string }, areaLabel: string): Promise<HTMLElement> {
  const canvas = h('canvas', { class: 'qr', role: 'img', 'aria-label': t('invites.qr') })
  // A link is short enough for a low error-correction code that phones read easily.
  await QRCode.toCanvas(canvas, r.link, { errorCorrectionLevel: 'M', margin: 2, width: 240 })
  return h('article', { class: 'card print-card', 'aria-label': t('invites.card') },
    h('h2', null, t('invites.card_title')),
    h('p', null, areaLabel),
    canvas,
    h('p', null, t('invites.link'), ' ', h('a', { href: r.link, class: 'invite-link' }, r.link)),
    localOnly(r.link) ? h('p', { class: 'error no-print', role: 'alert', 'data-testid': 'invite-loopback' }, t('invites.loopback', reachable(r.link))) : null,
    h('p', null, t('invites.code'), ' ', h('code', { class: 'invite-code' }, r.code)),
    h('p', { class: 'muted' }, t('invites.expires_at', { when: when(r.expires_at) })),
    h('p', { class: 'muted' }, t('invites.how')),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', onclick: () => window.print() }, t('invites.print')),
      h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(r.link) }, t('invites.copy'))))
}

/** A link whose host only the server's own machine can reach (no phone can open it). */
export function localOnly(link: string): boolean {
  let host: string
  try {
    host = new URL(link).hostname.toLowerCase().replace(/^\[|\]$/g, '')
  } catch {
    return false
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0' || host === '::'
}

/** The scheme and port of the server's address as the link has them, for the example
 * address the loopback warning suggests (the server's real port, not a default). */
function reachable(link: string): { scheme: string; port: string } {
  const url = new URL(link)
  return { scheme: url.protocol.replace(/:$/, ''), port: url.port ? `:${url.port}` : '' }
}
