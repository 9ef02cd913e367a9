// The area tree in scope, and (for admins) a CSV import that is all or nothing.
import { post } from '../api'
import { areasInScope, depth, forget } from '../cache'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { t, tn } from '../i18n'
import type { Route } from '../router'
import { currentUser } from '../session'

export function areasView(root: HTMLElement, route: Route): void {
  const tree = h('ul', { class: 'tree', 'aria-label': t('areas.tree') }, h('li', { class: 'muted' }, t('loading')))
  const admin = currentUser()?.role === 'admin'
  mount(root, h('h1', null, t('areas.title')), h('div', { class: 'two-col' },
    h('section', null, h('h2', null, t('areas.tree')), tree),
    admin ? importForm(() => areasView(root, route)) : null))
  areasInScope()
    .then((all) => {
      tree.replaceChildren(...(all.length ? all.map((a) =>
        h('li', { style: { paddingInlineStart: `${depth(a, all) * 1.4}em` }, 'data-code': a.code },
          h('strong', null, a.code), ' ',
          h('span', { lang: 'en' }, a.name_en), ' · ', h('span', { lang: 'hi' }, a.name_hi),
          ' ', h('span', { class: 'badge' }, t(`level.${a.level}`)))) : [h('li', { class: 'empty' }, t('areas.none'))]))
    })
    .catch((e) => tree.replaceChildren(h('li', { class: 'error', role: 'alert' }, errorText(e))))
}

function importForm(done: () => void): HTMLElement {
  const file = h('input', { type: 'file', accept: '.csv,text/csv' })
  const text = h('textarea', { name: 'csv', rows: 8, spellcheck: false, placeholder: 'code,level,name_en,name_hi,parent_code' })
  const status = h('p', { role: 'status' })
  file.addEventListener('change', async () => {
    const f = file.files?.[0]
    if (f) text.value = await f.text()
  })
  return h('section', null, h('h2', null, t('areas.import')),
    h('form', {
      class: 'card',
      onsubmit: async (ev: Event) => {
        ev.preventDefault()
        try {
          const r = await post<{ imported: number }>('/api/v1/admin/areas/import', undefined, { text: { body: text.value, type: 'text/csv' } })
          forget()
          done()
          // `done` re-renders the screen; say what happened in the new one.
          document.querySelector('#areas-import-status')?.replaceChildren(tn('areas.imported', r.imported))
        } catch (e) {
          status.className = 'error'
          status.textContent = errorText(e)
        }
      },
    },
    h('p', { class: 'muted' }, t('areas.import_hint')),
    field(t('areas.file'), file),
    field(t('areas.csv'), text),
    h('button', { type: 'submit', class: 'primary' }, t('areas.import_button')),
    status),
    h('p', { id: 'areas-import-status', role: 'status', class: 'ok' }))
}
