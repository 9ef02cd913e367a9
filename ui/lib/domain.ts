// The capture vocabulary both UIs show, as saakshi-domain writes it in JSON. The types
// come from generated/api.ts, which openapi-typescript makes from docs/openapi.json,
// which the server generates from the Rust types (crates/saakshi-domain/src: MediaKind,
// Location, CaptureRecord, AreaSummary): `npm run generate` in ui/dashboard. The field
// app gets these through the Tauri commands, the dashboard through the server's API.

import type { AreaSummary, CaptureRecord } from './generated/api'

export type { Location, LocationSource, MediaKind } from './generated/api'

/** What a capture says of itself (saakshi-domain's CaptureRecord, as both UIs show it). */
export type CaptureFields = Pick<
  CaptureRecord,
  'id' | 'kind' | 'sha256' | 'size' | 'mime' | 'original_name' | 'captured_at' | 'location' | 'caption' | 'tags' | 'event'
>

/** An area as a device and the dashboard's detail see it (saakshi-domain's AreaSummary). */
export type Area = AreaSummary
