// The dashboard's Hindi and English dictionaries over the shared switcher. Every visible
// string goes through `t`; tests/browser/dashboard/i18n.spec.ts fails on a key that one
// language lacks or that the code uses but neither defines.
import { createI18n, preferredLang, type Lang } from '../../../lib/i18n'
import en from './en.json'
import hi from './hi.json'

export const dicts = { en, hi } as Record<Lang, Record<string, string>>
const STORE_KEY = 'saakshi.dashboard.lang'

export const i18n = createI18n(dicts, preferredLang(localStorage.getItem(STORE_KEY)))
document.documentElement.lang = i18n.lang()
i18n.onChange((lang) => localStorage.setItem(STORE_KEY, lang))

export const t = i18n.t
export type { Lang }
