#!/usr/bin/env node
// The official tus 1.0 server (@tus/server with @tus/file-store) on 127.0.0.1,
// as a peer for Saakshi's own tus client in the Rust tests.
//
//   node tus-node-server.mjs --port P --dir DIR [--path /files] [--host 127.0.0.1]
//        [--expire-ms MS] [--max-size BYTES] [--log-requests]
//
// Prints `LISTENING <port>` on stdout once it accepts connections (so --port 0
// works), then serves until SIGTERM or SIGINT, on which it closes and exits 0.
// Uploads are stored as DIR/<id> (the bytes) and DIR/<id>.json (their info).
// With --log-requests every request line and its headers go to stderr as one
// JSON object per request.
import http from 'node:http'
import path from 'node:path'
import process from 'node:process'
import {parseArgs} from 'node:util'

import {FileStore} from '@tus/file-store'
import {Server} from '@tus/server'

function usage(message) {
  if (message) process.stderr.write(`tus-node-server: ${message}\n`)
  process.stderr.write(
    'usage: node tus-node-server.mjs --port P --dir DIR [--path /files] [--host 127.0.0.1]\n' +
      '         [--expire-ms MS] [--max-size BYTES] [--log-requests]\n',
  )
  process.exit(2)
}

let args
try {
  args = parseArgs({
    options: {
      port: {type: 'string'},
      dir: {type: 'string'},
      path: {type: 'string', default: '/files'},
      host: {type: 'string', default: '127.0.0.1'},
      // The file store always lists the expiration extension, but only acts on
      // it (Upload-Expires headers, 410 Gone for expired uploads) with a period
      // above 0. One day: enabled, and never in the way of a test.
      'expire-ms': {type: 'string', default: String(24 * 60 * 60 * 1000)},
      'max-size': {type: 'string'},
      'log-requests': {type: 'boolean', default: false},
      help: {type: 'boolean', default: false},
    },
    strict: true,
  }).values
} catch (err) {
  usage(err.message)
}
if (args.help) usage()
if (args.port === undefined) usage('--port is required (0 picks a free port)')
if (!args.dir) usage('--dir is required')

const port = Number(args.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`bad --port ${args.port}`)
const expireMs = Number(args['expire-ms'])
if (!Number.isInteger(expireMs) || expireMs < 0) usage(`bad --expire-ms ${args['expire-ms']}`)
let maxSize
if (args['max-size'] !== undefined) {
  maxSize = Number(args['max-size'])
  if (!Number.isInteger(maxSize) || maxSize <= 0) usage(`bad --max-size ${args['max-size']}`)
}
// @tus/server builds upload URLs as `${path}/${id}`: no trailing slash here.
const routePath = `/${args.path.replace(/^\/+|\/+$/g, '')}`

const tus = new Server({
  path: routePath,
  datastore: new FileStore({
    directory: path.resolve(args.dir),
    expirationPeriodInMilliseconds: expireMs,
  }),
  ...(maxSize ? {maxSize} : {}),
})

const httpServer = http.createServer((req, res) => {
  if (args['log-requests']) {
    const headers = {}
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers[req.rawHeaders[i]] = req.rawHeaders[i + 1]
    }
    process.stderr.write(`${JSON.stringify({method: req.method, url: req.url, headers})}\n`)
  }
  tus.handle(req, res).catch((err) => {
    process.stderr.write(`tus-node-server: request failed: ${err?.stack ?? err}\n`)
    if (!res.headersSent) res.writeHead(500)
    res.end()
  })
})

httpServer.on('error', (err) => {
  process.stderr.write(`tus-node-server: ${err.message}\n`)
  process.exit(1)
})

httpServer.listen(port, args.host, () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`)
})

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  httpServer.close(() => process.exit(0))
  // Don't wait for idle keep-alive connections or a client stuck mid-PATCH.
  httpServer.closeAllConnections()
  setTimeout(() => process.exit(0), 2000).unref()
  process.stderr.write(`tus-node-server: ${signal}, stopping\n`)
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
