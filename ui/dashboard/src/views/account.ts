// The signed-in person: language, password change (required after a first password),
// and signing out.
import { ApiError, post } from '../api'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { i18n, t, type Lang } from '../i18n'
import type { Route } from '../router'
import { currentUser, logout, passwordChanged } from '../session'

export function accountView(root: HTMLElement, _route: Route): void {
  const me = currentUser()!
  const current = h('input', { name: 'current', type: 'password', autocomplete: 'current-password', required: true })
  const next = h('input', { name: 'new', type: 'password', autocomplete: 'new-password', required: true })
  const again = h('input', { name: 'again', type: 'password', autocomplete: 'new-password', required: true })
  const status = h('p', { role: 'status' })
  const lang = h('select', { name: 'lang', onchange: () => i18n.setLang(lang.value as Lang) },
    h('option', { value: 'hi', lang: 'hi', selected: i18n.lang() === 'hi' }, 'हिन्दी'),
    h('option', { value: 'en', lang: 'en', selected: i18n.lang() === 'en' }, 'English'))
  mount(root,
    h('h1', null, t('account.title')),
    me.must_change_password ? h('p', { class: 'notice', role: 'alert' }, t('account.must_change')) : null,
    h('div', { class: 'two-col' },
      h('section', { class: 'card' },
        h('h2', null, me.name),
        h('p', null, t(`role.${me.role}`), me.area_code ? ` · ${me.area_code}` : ''),
        field(t('account.language'), lang),
        h('button', { type: 'button', onclick: async () => { await logout().catch(() => {}); location.hash = '#/feed'; location.reload() } }, t('auth.logout'))),
      h('form', {
        class: 'card',
        onsubmit: async (ev: Event) => {
          ev.preventDefault()
          status.className = 'error'
          if (next.value.length < 10) return void (status.textContent = t('account.too_short'))
          if (next.value !== again.value) return void (status.textContent = t('account.mismatch'))
          try {
            await post('/api/v1/auth/password', { current: current.value, new: next.value }, { expect401: true })
            passwordChanged()
            ;(ev.target as HTMLFormElement).reset()
            status.className = 'ok'
            status.textContent = t('account.changed')
          } catch (e) {
            status.textContent = e instanceof ApiError && (e.status === 401 || e.status === 403) ? t('account.wrong_current') : errorText(e)
          }
        },
      },
      h('h2', null, t('account.password')),
      field(t('account.current'), current),
      field(t('account.new'), next, t('account.new_hint')),
      field(t('account.again'), again),
      h('button', { type: 'submit', class: 'primary' }, t('account.change'))),
      status))
}
