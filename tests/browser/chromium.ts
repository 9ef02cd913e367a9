// Debian's chromium and the flags it runs with here (no background traffic: this
// machine's network is closed), shared by the config and specs that add flags of their own.
export const CHROMIUM = process.env.SAAKSHI_CHROMIUM ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
