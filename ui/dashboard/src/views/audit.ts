// The audit log: who signed in, reviewed, exported, viewed media or changed settings;
// filterable by actor, action and time, paged.
import { get, query } from '../api'
import { actionText, detailText, targetText } from '../auditWords'
import { dateTimeField, readRange } from '../datetime'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { when } from '../format'
import { t } from '../i18n'
import { go, type Route } from '../router'
import { cell, stackTable } from '../table'
import type { AuditEntry, Page } from '../types'

export const AUDIT_ACTIONS = ['login', 'login_failed', 'logout', 'password_change', 'review', 'export', 'media_view', 'kit_publish', 'invite_create', 'user_create', 'device_revoke', 'areas_import']

export function auditView(root: HTMLElement, route: Route): void {
  const p = route.params
  const actor = h('input', { name: 'actor', value: p.get('actor') ?? '' })
  const action = h('select', { name: 'action' }, h('option', { value: '' }, t('filter.any')),
    AUDIT_ACTIONS.map((a) => h('option', { value: a, selected: a === p.get('action') }, t(`audit.action.${a}`))))
  // Whole days in the browser's zone: from its first to its last instant.
  const from = dateTimeField(t('filter.from'), 'from', p.get('from'), { time: false })
  const to = dateTimeField(t('filter.to'), 'to', p.get('to'), { time: false, end: true })
  const problem = h('p', { class: 'error filter-error', role: 'alert' })
  const form = h('form', {
    class: 'filters',
    role: 'search',
    'aria-label': t('filter.label'),
    onsubmit: (ev: Event) => {
      ev.preventDefault()
      const next: Record<string, string> = {}
      if (actor.value.trim()) next.actor = actor.value.trim()
      if (action.value) next.action = action.value
      const range = readRange(from, to)
      if ('error' in range) return void (problem.textContent = range.error)
      if (range.from) next.from = range.from
      if (range.to) next.to = range.to
      go('audit', next)
    },
  },
  field(t('audit.actor'), actor), field(t('audit.action'), action), from.el, to.el,
  problem,
  h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, t('filter.apply')),
    h('button', { type: 'button', onclick: () => go('audit') }, t('filter.clear'))))
  const body = h('tbody')
  const status = h('p', { class: 'error', role: 'alert' })
  const more = h('button', { type: 'button', hidden: true }, t('feed.more'))
  const heads = ['audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.detail'].map((k) => t(k))
  const table = stackTable('audit', t('audit.list'), heads, body)
  mount(root, h('h1', null, t('audit.title')), form, status, h('div', { class: 'scroll-x' }, table), more)

  const load = async (before?: string) => {
    try {
      const page = await get<Page<AuditEntry>>('/api/v1/admin/audit' + query({
        actor: p.get('actor'), action: p.get('action'), from: p.get('from'), to: p.get('to'), limit: 100, before,
      }))
      body.append(...page.items.map((e) => h('tr', { 'data-action': e.action },
        cell(heads[0], when(e.at)), cell(heads[1], e.actor), cell(heads[2], actionText(e.action)),
        cell(heads[3], targetText(e)), cell(heads[4], detailText(e)))))
      if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 5, class: 'empty' }, t('audit.none'))))
      more.hidden = !page.next
      more.onclick = () => page.next && load(page.next)
    } catch (e) {
      status.textContent = errorText(e)
    }
  }
  load()
}
