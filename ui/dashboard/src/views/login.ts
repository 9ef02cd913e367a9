// Sign in: name and password; a wrong pair is said so in the current language.
import { ApiError } from '../api'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { t } from '../i18n'
import { login } from '../session'
import { langSwitch } from '../shell'

export function loginView(root: HTMLElement, done: () => void): void {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true })
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })
  const status = h('p', { class: 'error', role: 'alert' })
  const submit = h('button', { type: 'submit', class: 'primary' }, t('auth.login'))
  const form = h(
    'form',
    {
      class: 'login card',
      'aria-labelledby': 'login-title',
      onsubmit: async (ev: Event) => {
        ev.preventDefault()
        status.textContent = ''
        submit.disabled = true
        try {
          await login(name.value.trim(), password.value)
          done()
        } catch (e) {
          status.textContent =
            e instanceof ApiError && e.status === 401 ? t('auth.wrong') : errorText(e)
          password.select()
        } finally {
          submit.disabled = false
        }
      },
    },
    h('div', { class: 'login-head' }, h('h1', { id: 'login-title' }, h('span', { lang: 'hi' }, 'साक्षी'), ' ', t('app.dashboard')), langSwitch()),
    h('p', { class: 'muted' }, t('auth.intro')),
    field(t('auth.name'), name),
    field(t('auth.password'), password),
    submit,
    status,
  )
  mount(root, h('main', { class: 'login-page' }, form))
  name.focus()
}
