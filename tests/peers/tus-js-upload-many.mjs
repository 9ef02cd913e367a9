#!/usr/bin/env node
// Uploads several files with the official tus-js-client (Node) from one process, one
// after another, as a client would that sends a phone's photos: the baseline of
// Saakshi's `sync-vs-tus` benchmark.
//
//   node tus-js-upload-many.mjs --endpoint URL [--chunk-size BYTES] [--parallel N] FILE...
//
// Each upload is created with the file's name in Upload-Metadata and sent with the
// client's defaults (one PATCH per file unless --chunk-size). --parallel N keeps N
// uploads going at once (default 1: one after another).
// stdout: on success exactly one line `{"uploads": N, "bytes": TOTAL, "urls": [...]}`,
// exit 0. Errors go to stderr with exit 1; bad arguments exit 2.
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import {parseArgs} from 'node:util'

import {Upload} from 'tus-js-client'

function usage(message) {
  if (message) fs.writeSync(2, `tus-js-upload-many: ${message}\n`)
  fs.writeSync(
    2,
    'usage: node tus-js-upload-many.mjs --endpoint URL [--chunk-size BYTES] [--parallel N] FILE...\n',
  )
  process.exit(2)
}

let parsed
try {
  parsed = parseArgs({
    options: {
      endpoint: {type: 'string'},
      'chunk-size': {type: 'string'},
      parallel: {type: 'string', default: '1'},
    },
    allowPositionals: true,
    strict: true,
  })
} catch (err) {
  usage(err.message)
}
const args = parsed.values
const files = parsed.positionals
if (!args.endpoint) usage('--endpoint is required')
if (files.length === 0) usage('no files')
const chunkSize = args['chunk-size'] === undefined ? undefined : Number(args['chunk-size'])
if (chunkSize !== undefined && !(Number.isSafeInteger(chunkSize) && chunkSize > 0)) {
  usage(`bad --chunk-size ${args['chunk-size']}`)
}
const parallel = Number(args.parallel)
if (!(Number.isSafeInteger(parallel) && parallel > 0)) usage(`bad --parallel ${args.parallel}`)

function uploadOne(file) {
  return new Promise((resolve, reject) => {
    const size = fs.statSync(file).size
    const upload = new Upload(fs.createReadStream(file), {
      endpoint: args.endpoint,
      ...(chunkSize ? {chunkSize} : {}),
      metadata: {filename: path.basename(file)},
      retryDelays: null,
      storeFingerprintForResuming: false,
      onSuccess() {
        resolve({url: upload.url, bytes: size})
      },
      onError: reject,
    })
    upload.start()
  })
}

const urls = []
let bytes = 0
let next = 0
async function worker() {
  while (next < files.length) {
    const file = files[next++]
    const done = await uploadOne(file)
    urls.push(done.url)
    bytes += done.bytes
  }
}

try {
  await Promise.all(Array.from({length: Math.min(parallel, files.length)}, worker))
} catch (err) {
  fs.writeSync(2, `tus-js-upload-many: ${err?.stack ?? err}\n`)
  process.exit(1)
}
fs.writeSync(1, `${JSON.stringify({uploads: urls.length, bytes, urls})}\n`)
process.exit(0)
