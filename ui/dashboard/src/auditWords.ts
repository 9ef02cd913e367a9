// An audit entry in words: the server records each action with a short English detail
// ("needs_info: blurry", "3 items to LKO-B1,LKO-B2", a JSON of export filters); a person
// reads it here in their language, never as a code or raw JSON. Details written in a form
// this page does not know are shown as the text they are, and unknown actions say so.
import { h, type Child } from './dom'
import { when } from './format'
import { dicts, i18n, t, tn } from './i18n'
import { href } from './router'
import type { AuditEntry } from './types'

const known = (key: string) => key in dicts[i18n.lang()]

export function actionText(action: string): string {
  return known(`audit.action.${action}`) ? t(`audit.action.${action}`) : t('audit.action_other')
}

/** What the action was done to: a capture (a link), a device, a file, a person, an area. */
export function targetText(e: AuditEntry): Child {
  const id = e.target ?? ''
  if (!id) return '—'
  switch (e.action) {
    case 'review':
      return h('a', { href: href(`capture/${id}`) }, t('audit.target.capture', { id: short(id) }))
    case 'media_view':
      return h('span', { title: id }, t('audit.target.file', { id: id.slice(0, 12) }))
    case 'device_revoke':
      return h('span', { title: id }, t('audit.target.device', { id: short(id) }))
    case 'kit_publish':
      return t('audit.target.kit', { id })
    case 'export':
      return known(`export.${id}`) ? t('audit.target.export', { format: t(`export.${id}`) }) : id
    case 'user_create':
      return t('audit.target.user', { name: id })
    case 'invite_create':
      return t('audit.target.area', { code: id })
    default:
      return id
  }
}

export function detailText(e: AuditEntry): Child {
  const d = e.detail
  if (d === null || d === undefined || d === '') return ''
  if (typeof d !== 'string') return pairs(d)
  switch (e.action) {
    case 'review': {
      // "verdict" or "verdict: the note".
      const m = /^(approved|rejected|needs_info|pending)(?::\s*([\s\S]*))?$/.exec(d)
      if (!m) break
      return [h('span', { class: `badge review-${m[1]}` }, t(`review.${m[1]}`)), m[2] ? ` “${m[2]}”` : '']
    }
    case 'kit_publish': {
      const m = /^(\d+) items? to (.*)$/.exec(d)
      if (!m) break
      return tn('audit.detail.kit', Number(m[1]), { areas: m[2].split(',').join(', ') })
    }
    case 'areas_import': {
      const m = /^(\d+) areas?$/.exec(d)
      if (!m) break
      return tn('audit.detail.areas', Number(m[1]))
    }
    case 'invite_create': {
      const m = /^(\d+) uses?, (\d+) days?$/.exec(d)
      if (!m) break
      return `${tn('audit.detail.uses', Number(m[1]))}, ${tn('audit.detail.days', Number(m[2]))}`
    }
    case 'device_revoke':
      if (d === 'wipe') return t('audit.detail.wipe')
      if (d === 'keep media') return t('audit.detail.keep')
      break
    case 'user_create': {
      const [role, area] = d.split(' ')
      if (!known(`role.${role}`)) break
      return area ? t('audit.detail.user_in', { role: t(`role.${role}`), area }) : t(`role.${role}`)
    }
    case 'login_failed': {
      const m = /^from (.+)$/.exec(d)
      if (!m) break
      return t('audit.detail.from', { address: m[1] })
    }
    case 'export':
      try {
        return filters(JSON.parse(d))
      } catch {
        break
      }
  }
  return d
}

/** The filters an export was made with, by their names in the filter form. */
function filters(f: Record<string, unknown>): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(f ?? {})) {
    if (v === null || v === undefined || v === '') continue
    const value = String(v)
    const label = known(`filter.${k}`) ? t(`filter.${k}`) : k
    let shown = value
    if (k === 'kind' && known(`kind.${value}`)) shown = t(`kind.${value}`)
    else if (k === 'review' && known(`review.${value}`)) shown = t(`review.${value}`)
    else if (k === 'located') shown = t(value === 'true' ? 'filter.located.yes' : 'filter.located.no')
    else if (k === 'from' || k === 'to') shown = when(value)
    parts.push(`${label}: ${shown}`)
  }
  return parts.length ? t('audit.detail.filters', { filters: parts.join(' · ') }) : t('audit.detail.no_filters')
}

/** Any other structured detail as "name: value" pairs rather than JSON. */
function pairs(d: unknown): string {
  if (typeof d !== 'object' || d === null) return String(d)
  return Object.entries(d).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' · ')
}

const short = (id: string) => (id.length > 12 ? '…' + id.slice(-8) : id)
