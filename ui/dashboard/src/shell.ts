// The frame around every screen: navigation, language switch, who is signed in.
import { h } from './dom'
import { i18n, t } from './i18n'
import { href, type Route } from './router'
import { currentUser, logout } from './session'

export function langSwitch(): HTMLElement {
  const other = i18n.lang() === 'hi' ? 'en' : 'hi'
  return h(
    'button',
    {
      type: 'button',
      class: 'lang-switch',
      lang: other,
      'aria-label': t('lang.switch'),
      onclick: () => i18n.setLang(other),
    },
    other === 'hi' ? 'हिन्दी' : 'English',
  )
}

export function shell(route: Route, rerender: () => void): HTMLElement {
  const me = currentUser()!
  const here = route.path[0] === 'admin' ? `admin/${route.path[1] ?? 'areas'}` : route.path[0]
  const link = (path: string, key: string) =>
    h('a', { href: href(path), 'aria-current': here === path ? 'page' : null }, t(key))
  const links = [
    link('feed', 'nav.feed'),
    link('map', 'nav.map'),
    link('kits', 'nav.kits'),
    link('admin/areas', 'nav.areas'),
    me.role === 'admin' ? link('admin/users', 'nav.users') : null,
    link('admin/invites', 'nav.invites'),
    link('admin/devices', 'nav.devices'),
    link('audit', 'nav.audit'),
  ]
  return h(
    'header',
    { class: 'shell' },
    h('a', { class: 'brand', href: href('feed') }, h('span', { lang: 'hi' }, 'साक्षी'), ' ', t('app.dashboard')),
    h('nav', { 'aria-label': t('nav.label') }, links),
    h(
      'div',
      { class: 'who' },
      langSwitch(),
      h('a', { href: href('account'), class: 'account-link', 'aria-current': here === 'account' ? 'page' : null },
        me.name, ' · ', t(`role.${me.role}`)),
      h('button', {
        type: 'button',
        class: 'link',
        onclick: async () => {
          await logout().catch(() => {})
          rerender()
        },
      }, t('auth.logout')),
    ),
  )
}
