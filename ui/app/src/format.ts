// Numbers as people read them, in the language of the moment.

import { i18n } from './i18n'
import type { Location } from './ipc'

function locale(): string {
  return i18n.lang() === 'hi' ? 'hi-IN' : 'en-IN'
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  const digits = u === 0 || v >= 100 ? 0 : 1
  return `${v.toLocaleString(locale(), { maximumFractionDigits: digits })} ${i18n.t(`unit.${units[u]}`)}`
}

export function count(n: number): string {
  return n.toLocaleString(locale())
}

/** "12 s ago", "3 min ago", … for the age of a location fix. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return i18n.t('age.seconds', { n: count(s) })
  const m = Math.round(s / 60)
  if (m < 60) return i18n.t('age.minutes', { n: count(m) })
  return i18n.t('age.hours', { n: count(Math.round(m / 60)) })
}

export function coords(l: Location): string {
  const f = (v: number) => v.toLocaleString(locale(), { minimumFractionDigits: 5, maximumFractionDigits: 5 })
  return `${f(l.lat)}, ${f(l.lon)}`
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' })
}
