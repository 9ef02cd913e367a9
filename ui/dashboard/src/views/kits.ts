// Kits: what was published, and a form to compose a new one from approved captures,
// with a title and caption in Hindi and/or English, for chosen areas. Devices in those
// areas (and below) get it at their next sync; devices elsewhere never see it.
import { get, post } from '../api'
import { thumbnail } from '../badges'
import { areasInScope, depth } from '../cache'
import { field, h, mount } from '../dom'
import { errorText } from '../errors'
import { areaName, bytes, pick, when } from '../format'
import { t, tn } from '../i18n'
import type { Route } from '../router'
import type { CaptureSummary, Kit, Page } from '../types'

export function kitsView(root: HTMLElement, _route: Route): void {
  const published = h('section', { 'aria-labelledby': 'kits-list' }, h('h2', { id: 'kits-list' }, t('kits.published')))
  const compose = h('section', { 'aria-labelledby': 'kits-new' }, h('h2', { id: 'kits-new' }, t('kits.new')))
  mount(root, h('h1', null, t('kits.title')), h('div', { class: 'two-col' }, compose, published))

  const list = h('ul', { class: 'kits' })
  published.append(list)
  const refresh = () =>
    get<Kit[]>('/api/v1/kits')
      .then((kits) => {
        list.replaceChildren(...(kits.length ? kits.map(kitCard) : [h('li', { class: 'empty' }, t('kits.none'))]))
      })
      .catch((e) => list.replaceChildren(h('li', { class: 'error', role: 'alert' }, errorText(e))))
  refresh()
  composeForm(compose, refresh)
}

function kitCard(k: Kit): HTMLElement {
  return h('li', { class: 'kit card', 'data-kit': k.id },
    h('h3', null, pick(k.title_en, k.title_hi)),
    h('p', null, pick(k.caption_en, k.caption_hi)),
    h('p', { class: 'muted' }, t('kits.published_at', { when: when(k.published_at) }), ' · ', tn('kits.items', k.items.length)),
    h('div', { class: 'kit-media' }, k.items.map((i) =>
      i.mime.startsWith('image/')
        ? h('img', { src: `/api/v1/media/${i.sha256}`, alt: '', loading: 'lazy', class: 'kit-thumb' })
        : h('span', { class: 'badge' }, `${i.mime} · ${bytes(i.size)}`))))
}

function composeForm(section: HTMLElement, published: () => void) {
  const titleEn = h('input', { name: 'title_en', lang: 'en' })
  const titleHi = h('input', { name: 'title_hi', lang: 'hi' })
  const captionEn = h('textarea', { name: 'caption_en', lang: 'en', rows: 3 })
  const captionHi = h('textarea', { name: 'caption_hi', lang: 'hi', rows: 3 })
  const captures = h('fieldset', { class: 'pick-captures' }, h('legend', null, t('kits.captures')), h('p', { class: 'muted' }, t('loading')))
  const areas = h('fieldset', { class: 'pick-areas' }, h('legend', null, t('kits.areas')))
  const status = h('p', { role: 'status' })
  const form = h('form', {
    class: 'card',
    onsubmit: async (ev: Event) => {
      ev.preventDefault()
      const capture_ids = [...captures.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value)
      const area_codes = [...areas.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value)
      status.className = 'error'
      if (!titleEn.value.trim() && !titleHi.value.trim()) return void (status.textContent = t('kits.need_title'))
      if (!capture_ids.length) return void (status.textContent = t('kits.need_captures'))
      if (!area_codes.length) return void (status.textContent = t('kits.need_areas'))
      try {
        const kit = await post<Kit>('/api/v1/kits', {
          title_en: titleEn.value.trim(),
          title_hi: titleHi.value.trim(),
          caption_en: captionEn.value.trim(),
          caption_hi: captionHi.value.trim(),
          capture_ids,
          area_codes,
        })
        status.className = 'ok'
        status.textContent = tn('kits.done', area_codes.length, { title: pick(kit.title_en, kit.title_hi) })
        form.reset()
        published()
      } catch (e) {
        status.textContent = errorText(e)
      }
    },
  },
    field(t('kits.title_en'), titleEn),
    field(t('kits.title_hi'), titleHi),
    field(t('kits.caption_en'), captionEn),
    field(t('kits.caption_hi'), captionHi),
    captures,
    areas,
    h('button', { type: 'submit', class: 'primary' }, t('kits.publish')),
    status)
  section.append(form)

  // Only approved captures whose media has arrived can go in a kit.
  get<Page<CaptureSummary>>('/api/v1/review/captures?review=approved&limit=200')
    .then((page) => {
      const usable = page.items.filter((c) => c.media === 'present')
      captures.replaceChildren(h('legend', null, t('kits.captures')),
        usable.length
          ? h('div', { class: 'pick-grid' }, usable.map((c) =>
            h('label', { class: 'pick' }, h('input', { type: 'checkbox', name: 'capture', value: c.id }), thumbnail(c),
              h('span', null, c.caption || t(`kind.${c.kind}`)))))
          : h('p', { class: 'muted' }, t('kits.no_approved')))
    })
    .catch((e) => captures.append(h('p', { class: 'error' }, errorText(e))))
  areasInScope()
    .then((all) => {
      areas.append(...all.map((a) =>
        h('label', { class: 'pick-area', style: { paddingInlineStart: `${depth(a, all) * 1.2}em` } },
          h('input', { type: 'checkbox', name: 'area', value: a.code }), ` ${areaName(a)} (${a.code})`)))
    })
    .catch((e) => areas.append(h('p', { class: 'error' }, errorText(e))))
}
