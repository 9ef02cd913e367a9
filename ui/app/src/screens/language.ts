// The first run asks which language to use, in both, before anything else.

import type { Lang } from '../../../lib/i18n'
import { h } from '../dom'

export function languageScreen(root: HTMLElement, chosen: (lang: Lang) => void): void {
  const pick = (lang: Lang) => h('button', { type: 'button', class: 'big', lang, 'data-testid': `first-${lang}`, onclick: () => chosen(lang) }, lang === 'hi' ? 'हिन्दी' : 'English')
  root.replaceChildren(
    h(
      'main',
      { class: 'first-run', 'data-screen': 'language' },
      h('h1', { class: 'brand' }, 'साक्षी · Saakshi'),
      h('p', { lang: 'hi' }, 'अपनी भाषा चुनें'),
      h('p', { lang: 'en' }, 'Choose your language'),
      h('div', { class: 'choices', role: 'group', 'aria-label': 'भाषा / Language' }, pick('hi'), pick('en')),
    ),
  )
}
