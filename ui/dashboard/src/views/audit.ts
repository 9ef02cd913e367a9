// The audit log: who signed in, reviewed, exported, viewed media or changed settings;
// filterable by actor, action and time, paged.
import { get, query } from '../api'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { when } from '../format'
import { dicts, i18n, t } from '../i18n'
import { go, type Route } from '../router'
import type { AuditEntry, Page } from '../types'

export const AUDIT_ACTIONS = ['login', 'login_failed', 'logout', 'password_change', 'review', 'export', 'media_view', 'kit_publish', 'invite_create', 'user_create', 'device_revoke', 'areas_import']

export function auditView(root: HTMLElement, route: Route): void {
  const p = route.params
  const actor = h('input', { name: 'actor', value: p.get('actor') ?? '' })
  const action = h('select', { name: 'action' }, h('option', { value: '' }, t('filter.any')),
    AUDIT_ACTIONS.map((a) => h('option', { value: a, selected: a === p.get('action') }, t(`audit.action.${a}`))))
  const from = h('input', { name: 'from', type: 'date', value: p.get('from')?.slice(0, 10) ?? '' })
  const to = h('input', { name: 'to', type: 'date', value: p.get('to')?.slice(0, 10) ?? '' })
  const form = h('form', {
    class: 'filters',
    role: 'search',
    'aria-label': t('filter.label'),
    onsubmit: (ev: Event) => {
      ev.preventDefault()
      const next: Record<string, string> = {}
      if (actor.value.trim()) next.actor = actor.value.trim()
      if (action.value) next.action = action.value
      // Whole days in the browser's zone: from its first to its last instant.
      if (from.value) next.from = new Date(from.value + 'T00:00').toISOString()
      if (to.value) next.to = new Date(to.value + 'T23:59:59.999').toISOString()
      go('audit', next)
    },
  },
  field(t('audit.actor'), actor), field(t('audit.action'), action), field(t('filter.from'), from), field(t('filter.to'), to),
  h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, t('filter.apply')),
    h('button', { type: 'button', onclick: () => go('audit') }, t('filter.clear'))))
  const body = h('tbody')
  const status = h('p', { class: 'error', role: 'alert' })
  const more = h('button', { type: 'button', hidden: true }, t('feed.more'))
  const table = h('table', { class: 'audit' },
    h('caption', null, t('audit.list')),
    h('thead', null, h('tr', null, ['audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.detail'].map((k) => h('th', { scope: 'col' }, t(k))))),
    body)
  mount(root, h('h1', null, t('audit.title')), form, status, h('div', { class: 'scroll-x' }, table), more)

  const label = (a: string) => (`audit.action.${a}` in dicts[i18n.lang()] ? t(`audit.action.${a}`) : a)
  const load = async (before?: string) => {
    try {
      const page = await get<Page<AuditEntry>>('/api/v1/admin/audit' + query({
        actor: p.get('actor'), action: p.get('action'), from: p.get('from'), to: p.get('to'), limit: 100, before,
      }))
      body.append(...page.items.map((e) => h('tr', { 'data-action': e.action },
        h('td', null, when(e.at)), h('td', null, e.actor), h('td', null, label(e.action)),
        h('td', null, e.target ?? ''), h('td', null, h('code', null, detail(e.detail))))))
      if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 5, class: 'empty' }, t('audit.none'))))
      more.hidden = !page.next
      more.onclick = () => page.next && load(page.next)
    } catch (e) {
      status.textContent = errorText(e)
    }
  }
  load()
}

function detail(d: unknown): string {
  if (d === null || d === undefined || d === '') return ''
  return typeof d === 'string' ? d : JSON.stringify(d)
}
