// The JSON the dashboard API answers (crates/saakshi-server/src/routes/*.rs).

import type { CaptureFields, Area as DomainArea, MediaKind } from '../../lib/domain'

export type { Location } from '../../lib/domain'
export type Role = 'admin' | 'coordinator'
export type Kind = MediaKind
export type ReviewState = 'pending' | 'approved' | 'rejected' | 'needs_info'

export interface Me {
  name: string
  role: Role
  area_code: string | null
  must_change_password: boolean
  csrf_token: string
}

export interface Review {
  state: ReviewState
  note: string | null
  by: string | null
  at: string | null
}

export interface CaptureSummary extends CaptureFields {
  revision: number
  area_code: string | null
  device_id: string
  device_name?: string
  scope_area: string
  media: 'present' | 'missing'
  received_at?: string
  review?: Review
  has_thumbnail?: boolean
}

/** An area as the dashboard API lists it: the domain's, with its place in the tree. */
export interface Area extends DomainArea {
  parent_code?: string | null
  path?: string
}

export interface CaptureDetail extends CaptureSummary {
  provenance?: { verdict: 'verified' | 'unsigned' | 'invalid'; detail: string }
  area?: Area
  /** The device's clock minus the server's, as last measured (ms). */
  device_clock_skew_ms?: number | null
}

export interface Page<T> {
  items: T[]
  next: string | null
  total?: number
}

export interface MapPoint {
  id: string
  lat: number
  lon: number
  kind: Kind
  review: ReviewState
  area_code: string
}

export interface Kit {
  id: string
  title_en: string
  title_hi: string
  caption_en: string
  caption_hi: string
  published_at: string
  items: { sha256: string; size: number; mime: string }[]
  area_codes?: string[]
}

export interface User {
  name: string
  role: Role
  area_code: string | null
  created_at: string | number
}

export interface Invite {
  id: string | number
  area_code: string
  uses: number
  used: number
  expires_at: string | number
  created_at: string | number
}

export interface Device {
  id: string
  name: string
  platform: string
  area_code: string
  enrolled_at: number
  last_seen_at: number | null
  clock_skew_ms: number | null
  revoked: boolean
  captures: number
  media_pending: number
}

export interface AuditEntry {
  id: number | string
  at: string | number
  actor: string
  action: string
  target: string | null
  detail: unknown
}
