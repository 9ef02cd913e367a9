// Coordinators and admins (admins only): the list, and a form that creates one and
// shows its first password once.
import { get, post } from '../api'
import { areasInScope } from '../cache'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { areaName, when } from '../format'
import { t } from '../i18n'
import type { Route } from '../router'
import { cell, stackTable } from '../table'
import { currentUser } from '../session'
import type { User } from '../types'

export function usersView(root: HTMLElement, _route: Route): void {
  // Only admins manage users: anyone else who opens the page by its address is told so,
  // with no form beside the refusal (the server refuses the calls too).
  if (currentUser()?.role !== 'admin') {
    mount(root, h('h1', null, t('users.title')), h('p', { class: 'error', role: 'alert', 'data-testid': 'users-refused' }, t('error.forbidden')))
    return
  }
  const body = h('tbody')
  const heads = ['users.name', 'users.role', 'users.area', 'users.created'].map((k) => t(k))
  const table = stackTable(null, t('users.list'), heads, body)
  const load = () =>
    get<User[]>('/api/v1/admin/users')
      .then((users) => body.replaceChildren(...users.map((u) =>
        h('tr', { 'data-user': u.name }, cell(heads[0], u.name), cell(heads[1], t(`role.${u.role}`)), cell(heads[2], u.area_code ?? t('users.everywhere')), cell(heads[3], when(u.created_at))))))
      .catch((e) => body.replaceChildren(h('tr', null, h('td', { colspan: 4, class: 'error', role: 'alert' }, errorText(e)))))

  const name = h('input', { name: 'name', required: true, autocomplete: 'off' })
  const role = h('select', { name: 'role' },
    h('option', { value: 'coordinator' }, t('role.coordinator')),
    h('option', { value: 'admin' }, t('role.admin')))
  const area = h('select', { name: 'area_code' })
  areasInScope().then((all) => area.append(...all.map((a) => h('option', { value: a.code }, `${areaName(a)} (${a.code})`)))).catch(() => {})
  role.addEventListener('change', () => (area.disabled = role.value === 'admin'))
  const result = h('div', { role: 'status' })
  const form = h('form', {
    class: 'card',
    onsubmit: async (ev: Event) => {
      ev.preventDefault()
      try {
        const r = await post<{ name: string; password: string }>('/api/v1/admin/users', {
          name: name.value.trim(),
          role: role.value,
          area_code: role.value === 'admin' ? null : area.value,
        })
        result.className = 'card secret'
        result.replaceChildren(
          h('p', null, t('users.created_msg', { name: r.name })),
          h('p', null, t('users.password_once')),
          h('code', { class: 'one-time-password' }, r.password))
        form.reset()
        load()
      } catch (e) {
        result.className = 'error'
        result.textContent = errorText(e)
      }
    },
  },
  h('h2', null, t('users.new')),
  field(t('users.name'), name),
  field(t('users.role'), role),
  field(t('users.area'), area),
  h('button', { type: 'submit', class: 'primary' }, t('users.create')))
  mount(root, h('h1', null, t('users.title')), h('div', { class: 'two-col' }, h('section', { class: 'scroll-x' }, table), h('section', null, form, result)))
  load()
}
