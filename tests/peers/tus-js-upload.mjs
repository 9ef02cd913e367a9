#!/usr/bin/env node
// Uploads one file with the official tus-js-client (Node), as a peer for
// Saakshi's own tus server in the Rust tests.
//
//   node tus-js-upload.mjs --endpoint URL --file PATH [--token T] [--chunk-size BYTES]
//        [--upload-url URL] [--stop-after BYTES] [--retries N] [--metadata key=value]...
//
// stderr: `UPLOAD_URL <url>` as soon as the upload URL is known (created or
//         resumed), so a test that kills this process can still resume.
// stdout: on success exactly one line `{"url": "...", "bytes": N}`, exit 0.
// --stop-after N: once the server has confirmed at least N bytes, prints
//         `{"url": "...", "bytes": CONFIRMED, "stopped": true}` on stdout and exits
//         at once with code 3, without aborting or terminating the upload
//         (a client killed mid-upload).
// Errors go to stderr with exit 1; bad arguments exit 2.
//
// With --upload-url the upload is resumed (HEAD, then PATCH from the returned
// offset) and --endpoint is optional and NOT handed to tus-js-client: given an
// endpoint, tus-js-client silently creates a brand-new upload when the HEAD
// fails, which would hide a broken resume.
import fs from 'node:fs'
import process from 'node:process'
import {parseArgs} from 'node:util'

import {Upload} from 'tus-js-client'

function usage(message) {
  if (message) fs.writeSync(2, `tus-js-upload: ${message}\n`)
  fs.writeSync(
    2,
    'usage: node tus-js-upload.mjs --endpoint URL --file PATH [--token T] [--chunk-size BYTES]\n' +
      '         [--upload-url URL] [--stop-after BYTES] [--retries N] [--metadata key=value]...\n',
  )
  process.exit(2)
}

let args
try {
  args = parseArgs({
    options: {
      endpoint: {type: 'string'},
      file: {type: 'string'},
      token: {type: 'string'},
      'chunk-size': {type: 'string'},
      'upload-url': {type: 'string'},
      'stop-after': {type: 'string'},
      retries: {type: 'string', default: '0'},
      metadata: {type: 'string', multiple: true, default: []},
      help: {type: 'boolean', default: false},
    },
    strict: true,
  }).values
} catch (err) {
  usage(err.message)
}
if (args.help) usage()
if (!args.file) usage('--file is required')
if (!args.endpoint && !args['upload-url']) usage('--endpoint is required (unless --upload-url)')

function positiveInt(name, min) {
  const raw = args[name]
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min) usage(`bad --${name} ${raw}`)
  return n
}
const chunkSize = positiveInt('chunk-size', 1)
const stopAfter = positiveInt('stop-after', 0)
const retries = positiveInt('retries', 0)

const metadata = {}
for (const pair of args.metadata) {
  const eq = pair.indexOf('=')
  if (eq <= 0) usage(`bad --metadata ${pair} (want key=value)`)
  metadata[pair.slice(0, eq)] = pair.slice(eq + 1)
}

let size
try {
  size = fs.statSync(args.file).size
} catch (err) {
  fs.writeSync(2, `tus-js-upload: ${err.message}\n`)
  process.exit(1)
}

// Same line as tuspy_upload.py prints (Python's json.dumps layout).
function resultLine(url, bytes, stopped) {
  return `{"url": ${JSON.stringify(url)}, "bytes": ${bytes}${stopped ? ', "stopped": true' : ''}}\n`
}

// tus-js-client 4.x reads an fs.ReadStream by its path (re-opened at any
// offset), so resuming and retrying work without buffering, and the size comes
// from the file itself: no uploadSize needed.
const input = fs.createReadStream(args.file)

const upload = new Upload(input, {
  ...(args['upload-url'] ? {uploadUrl: args['upload-url']} : {endpoint: args.endpoint}),
  ...(chunkSize ? {chunkSize} : {}),
  headers: args.token ? {Authorization: `Bearer ${args.token}`} : {},
  metadata,
  retryDelays: retries > 0 ? Array(retries).fill(1000) : null,
  // No URL storage: each run is independent, resuming only through --upload-url.
  storeFingerprintForResuming: false,
  onUploadUrlAvailable() {
    fs.writeSync(2, `UPLOAD_URL ${upload.url}\n`)
  },
  onChunkComplete(_chunk, bytesAccepted) {
    if (stopAfter !== undefined && bytesAccepted >= stopAfter) {
      // Synchronous writes: nothing may be lost to the abrupt exit.
      fs.writeSync(2, `UPLOAD_URL ${upload.url}\n`)
      fs.writeSync(1, resultLine(upload.url, bytesAccepted, true))
      process.exit(3)
    }
  },
  onSuccess(payload) {
    const offset = Number.parseInt(payload?.lastResponse?.getHeader('Upload-Offset'), 10)
    fs.writeSync(1, resultLine(upload.url, Number.isNaN(offset) ? size : offset, false))
    process.exit(0)
  },
  onError(err) {
    fs.writeSync(2, `tus-js-upload: ${err?.stack ?? err}\n`)
    process.exit(1)
  },
})

upload.start()
