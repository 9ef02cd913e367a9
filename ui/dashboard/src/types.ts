// The JSON the dashboard API answers, as generated from the server's Rust types:
// ../../lib/generated/api.ts (openapi-typescript over docs/openapi.json, which
// `saakshi-server openapi` writes). The names the views use are kept as aliases.

import type {
  AreaRow,
  AreaSummary,
  CaptureDetail as GenCaptureDetail,
  CaptureRow,
  DeviceInfo,
  InviteInfo,
  MediaKind,
  PublishedKit,
  ReviewState as GenReviewState,
  UserInfo,
} from '../../lib/generated/api'

export type { Location, Me, Review, MapPoint, AuditEntry } from '../../lib/generated/api'
export type { Role } from '../../lib/generated/api'
export type Kind = MediaKind
export type ReviewState = GenReviewState

/** A capture as the feed lists it (the server's CaptureRow). */
export type CaptureSummary = CaptureRow

/** An area: the domain's, with its place in the tree when the area listing gives it. */
export type Area = AreaSummary & Partial<Pick<AreaRow, 'parent_code' | 'path'>>

export type CaptureDetail = GenCaptureDetail

/** A page of a listing (the feed's CapturePage, the audit log's AuditPage). */
export interface Page<T> {
  items: T[]
  next: string | null
  total?: number
}

export type Kit = PublishedKit
export type User = UserInfo
export type Invite = InviteInfo
export type Device = DeviceInfo
