// Lists many screens need (areas for names and pickers, devices for the device filter),
// fetched once per session; a screen that changes them calls `forget`.
import { get } from './api'
import type { Area, Device } from './types'

let areas: Promise<Area[]> | null = null
let devices: Promise<Device[]> | null = null

export function areasInScope(): Promise<Area[]> {
  areas ??= get<Area[]>('/api/v1/admin/areas').catch((e) => {
    areas = null
    throw e
  })
  return areas
}

export function devicesInScope(): Promise<Device[]> {
  devices ??= get<Device[]>('/api/v1/admin/devices').catch((e) => {
    devices = null
    throw e
  })
  return devices
}

export function forget(): void {
  areas = null
  devices = null
}

/** Depth of an area below the top of the list (for indenting trees and pickers). */
export function depth(a: Area, all: Area[]): number {
  if (a.path) {
    const top = Math.min(...all.map((x) => (x.path ?? '/').split('/').filter(Boolean).length))
    return a.path.split('/').filter(Boolean).length - top
  }
  let d = 0
  let p = a.parent_code
  while (p && d < 10) {
    d++
    p = all.find((x) => x.code === p)?.parent_code
  }
  return d
}
