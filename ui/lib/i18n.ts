// Hindi and English for every Saakshi front end. Each front end keeps its own pair of
// dictionaries (src/i18n/en.json and hi.json, the same keys); this module switches
// between them at any time, fills in {placeholders}, and finds keys one side lacks
// (a test fails on any).

export type Lang = 'hi' | 'en'
export type Dict = Record<string, string>
export const LANGS: readonly Lang[] = ['hi', 'en']

export interface I18n {
  /** The language in use. */
  lang(): Lang
  /** Switches language and tells every listener. */
  setLang(lang: Lang): void
  /** The text for `key`, with `{name}` placeholders filled from `vars`. */
  t(key: string, vars?: Record<string, string | number>): string
  /** Calls `fn` after every switch; returns a function that stops it. */
  onChange(fn: (lang: Lang) => void): () => void
}

export function createI18n(dicts: Record<Lang, Dict>, initial: Lang): I18n {
  let current = initial
  const listeners = new Set<(lang: Lang) => void>()
  return {
    lang: () => current,
    setLang(lang) {
      current = lang
      document.documentElement.lang = lang
      listeners.forEach((fn) => fn(lang))
    },
    t(key, vars) {
      // A missing key shows itself rather than an empty label; the key test catches it.
      const text = dicts[current][key] ?? dicts.en[key] ?? key
      if (!vars) return text
      return text.replace(/\{(\w+)\}/g, (m, name: string) =>
        name in vars ? String(vars[name]) : m,
      )
    },
    onChange(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
  }
}

/** Keys present in one dictionary but not the other (or empty there). */
export function missingKeys(dicts: Record<Lang, Dict>): Record<Lang, string[]> {
  const all = new Set([...Object.keys(dicts.hi), ...Object.keys(dicts.en)])
  const gaps = (d: Dict) => [...all].filter((k) => !(d[k] ?? '').trim()).sort()
  return { hi: gaps(dicts.hi), en: gaps(dicts.en) }
}

/** The language a first run should offer first: the browser's, if it is Hindi. */
export function preferredLang(stored: string | null): Lang {
  if (stored === 'hi' || stored === 'en') return stored
  return navigator.language?.toLowerCase().startsWith('hi') ? 'hi' : 'en'
}
