// Route → screen. A screen fills `root` and may return a function that stops its
// timers and maps when the route changes.
import type { Route } from '../router'
import { accountView } from './account'
import { areasView } from './areas'
import { auditView } from './audit'
import { captureView } from './capture'
import { devicesView } from './devices'
import { feedView } from './feed'
import { invitesView } from './invites'
import { kitsView } from './kits'
import { mapView } from './map'
import { usersView } from './users'

export type View = (root: HTMLElement, route: Route) => (() => void) | void

export const views: Record<string, View> = {
  feed: feedView,
  map: mapView,
  capture: captureView,
  kits: kitsView,
  'admin/areas': areasView,
  'admin/users': usersView,
  'admin/invites': invitesView,
  'admin/devices': devicesView,
  audit: auditView,
  account: accountView,
}
