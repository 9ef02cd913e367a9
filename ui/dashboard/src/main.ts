// Boot: language, session, then one screen per hash route inside the shell.
import '@fontsource/noto-sans-devanagari/400.css'
import '@fontsource/noto-sans-devanagari/700.css'
import './style.css'

import { whenUnauthorized } from './api'
import { h, mount } from './dom'
import { errorText } from './errors'
import { i18n, t } from './i18n'
import { currentRoute } from './router'
import { currentUser, loadMe, signedOut } from './session'
import { shell } from './shell'
import { views, type View } from './views'
import { loginView } from './views/login'

const app = document.getElementById('app')!
let cleanup: (() => void) | void = undefined

function pickView(path: string[]): View {
  const key = path[0] === 'admin' ? `admin/${path[1] ?? 'areas'}` : path[0]
  return views[key] ?? views.feed
}

function render(): void {
  if (typeof cleanup === 'function') cleanup()
  cleanup = undefined
  document.title = `साक्षी · ${t('app.dashboard')}`
  const me = currentUser()
  if (!me) {
    cleanup = loginView(app, render)
    return
  }
  const route = currentRoute()
  // A first password must be replaced before anything else.
  if (me.must_change_password && route.path[0] !== 'account') {
    location.hash = '#/account'
    return
  }
  const main = h('main', { id: 'main', tabindex: '-1' })
  mount(app, shell(route, render), main)
  cleanup = pickView(route.path)(main, route)
}

whenUnauthorized(() => {
  if (currentUser()) {
    signedOut()
    render()
  }
})
window.addEventListener('hashchange', render)
i18n.onChange(render)

loadMe()
  .then(render)
  .catch((e) => mount(app, h('p', { class: 'error', role: 'alert' }, t('boot.failed'), ' ', errorText(e))))
