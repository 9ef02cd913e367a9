// Who is signed in. The CSRF token from login or `me` goes to the API module.
import { ApiError, api, setCsrf } from './api'
import { forget } from './cache'
import type { Me } from './types'

let me: Me | null = null

export const currentUser = () => me

export async function loadMe(): Promise<Me | null> {
  try {
    me = await api<Me>('GET', '/api/v1/auth/me', undefined, { expect401: true })
    setCsrf(me.csrf_token)
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) me = null
    else throw e
  }
  return me
}

export async function login(name: string, password: string): Promise<Me> {
  forget()
  me = await api<Me>('POST', '/api/v1/auth/login', { name, password }, { expect401: true })
  setCsrf(me.csrf_token)
  return me
}

export async function logout(): Promise<void> {
  try {
    await api('POST', '/api/v1/auth/logout', {})
  } finally {
    me = null
    forget()
  }
}

export function signedOut(): void {
  me = null
  forget()
}

export function passwordChanged(): void {
  if (me) me.must_change_password = false
}
