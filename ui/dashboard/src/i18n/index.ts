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

/** A sentence about `n` things, in the form the language uses for that number: the key's
 * `.one` or `.other` entry, chosen by the language's plural rules (in Hindi 0 and 1 take
 * the singular, in English only 1). `vars.n` is `n` written for the reader. */
export function tn(key: string, n: number, vars: Record<string, string | number> = {}): string {
  const form = new Intl.PluralRules(i18n.lang()).select(n) === 'one' ? 'one' : 'other'
  return t(`${key}.${form}`, { n: new Intl.NumberFormat(i18n.lang() === 'hi' ? 'hi-IN' : 'en-IN').format(n), ...vars })
}
export type { Lang }
