// A date and time typed as the page's readers write them, in place of the browser's
// datetime-local and date inputs, which show mm/dd/yyyy and am/pm whatever the page's
// language: day/month/year (Devanagari digits too) and the 24-hour clock, in the
// browser's zone (its offset written in the hint). A value that is not a real date or
// time is refused with a message in the page's language and nothing is applied.
import { h } from './dom'
import { offsetLabel } from './format'
import { t } from './i18n'

export interface DateTimeField {
  el: HTMLElement
  /** The value as an RFC 3339 instant, '' when empty; throws `DateError` when invalid. */
  read(): string
  /** Marks the field as wrong (or right again) for assistive technology and the eye. */
  invalid(wrong: boolean): void
  focus(): void
}

export class DateError extends Error {}

let nextId = 0

/** Devanagari digits (०–९) as ASCII, so a Hindi keyboard's numbers are accepted. */
function ascii(s: string): string {
  return s.trim().replace(/[०-९]/g, (d) => String(d.charCodeAt(0) - 0x0966))
}

/** "3/12/2026" → the local date it names, or null when it is not a real date. */
export function parseDate(text: string): [number, number, number] | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(ascii(text))
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const probe = new Date(y, mo - 1, d)
  // 31/02 rolls over into March: a date that does not exist is refused, not moved.
  if (probe.getFullYear() !== y || probe.getMonth() !== mo - 1 || probe.getDate() !== d) return null
  return [y, mo, d]
}

/** "14:30" → [14, 30], or null unless it is a time on the 24-hour clock. */
export function parseTime(text: string): [number, number] | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(ascii(text))
  if (!m) return null
  const [hh, mm] = [Number(m[1]), Number(m[2])]
  return hh < 24 && mm < 60 ? [hh, mm] : null
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A labelled date (and, with `time`, a time) field. An empty time means the start of
 * the day, or with `end` its last instant, so "to 3/12/2026" includes all of that day. */
export function dateTimeField(label: string, name: string, value: string | null, opts: { time: boolean; end?: boolean }): DateTimeField {
  const id = `dt${++nextId}`
  const initial = value ? new Date(value) : null
  const known = initial && !Number.isNaN(initial.getTime()) ? initial : null
  const date = h('input', {
    id,
    name,
    class: 'date-text',
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: t('date.placeholder'),
    value: known ? `${pad(known.getDate())}/${pad(known.getMonth() + 1)}/${known.getFullYear()}` : '',
  })
  // The time a day starts or ends at is left blank: shown, it would read as a choice.
  const showTime = known && !(known.getHours() === 0 && known.getMinutes() === 0) && !(opts.end && known.getHours() === 23 && known.getMinutes() === 59)
  const time = opts.time
    ? h('input', {
      name: `${name}_time`,
      class: 'time-text',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: t('date.time_placeholder'),
      'aria-label': t('date.time_of', { field: label }),
      value: showTime ? `${pad(known.getHours())}:${pad(known.getMinutes())}` : '',
    })
    : null
  const zone = offsetLabel(-(known ?? new Date()).getTimezoneOffset())
  const hint = h('small', { class: 'hint', id: `${id}-hint` },
    t(opts.time ? 'date.hint_time' : 'date.hint', { zone }))
  date.setAttribute('aria-describedby', hint.id)
  time?.setAttribute('aria-describedby', hint.id)
  const el = h('div', { class: 'field date-field' },
    h('label', { class: 'field-label', for: id }, label),
    h('div', { class: 'date-time' }, date, time),
    hint)
  return {
    el,
    read() {
      if (!date.value.trim()) {
        if (time?.value.trim()) throw new DateError(t('date.time_without_date', { field: label }))
        return ''
      }
      const d = parseDate(date.value)
      if (!d) throw new DateError(t('date.bad', { field: label, value: date.value.trim() }))
      let hm: [number, number, number, number] = opts.end ? [23, 59, 59, 999] : [0, 0, 0, 0]
      if (time?.value.trim()) {
        const tm = parseTime(time.value)
        if (!tm) throw new DateError(t('date.bad_time', { field: label, value: time.value.trim() }))
        hm = opts.end ? [tm[0], tm[1], 59, 999] : [tm[0], tm[1], 0, 0]
      }
      return new Date(d[0], d[1] - 1, d[2], ...hm).toISOString()
    },
    invalid(wrong) {
      for (const c of [date, time]) {
        if (wrong) c?.setAttribute('aria-invalid', 'true')
        else c?.removeAttribute('aria-invalid')
      }
    },
    focus: () => date.focus(),
  }
}

/** Reads a from/to pair: both values, or the message that says what is wrong with them
 * (the field concerned marked, and focused). */
export function readRange(from: DateTimeField, to: DateTimeField): { from: string; to: string } | { error: string } {
  for (const f of [from, to]) f.invalid(false)
  const values: string[] = []
  for (const f of [from, to]) {
    try {
      values.push(f.read())
    } catch (e) {
      f.invalid(true)
      f.focus()
      return { error: e instanceof Error ? e.message : String(e) }
    }
  }
  const [a, b] = values
  if (a && b && a > b) {
    to.invalid(true)
    to.focus()
    return { error: t('date.backwards') }
  }
  return { from: a, to: b }
}
