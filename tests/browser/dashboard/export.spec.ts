// Exports of a filtered set, downloaded through the dashboard's links: the ZIP holds
// each capture's media (named by, and hashing to, its SHA-256) and its JSON manifest;
// the CSV and GeoJSON hold exactly the filtered captures.
import crypto from 'node:crypto'
import fs from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { SEEDS, DEVICE_AREA } from './support/seed'
import { readZip } from './support/zip'

const chosen = SEEDS.filter((s) => DEVICE_AREA[s.device] === 'LKO-B1' && s.kind === 'photo')

async function download(page: Page, name: string): Promise<{ bytes: Buffer; file: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()])
  expect(await dl.failure()).toBeNull()
  const file = (await dl.path())!
  return { bytes: fs.readFileSync(file), file }
}

test('export a filtered ZIP, CSV and GeoJSON from the feed', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  await page.getByLabel('Area', { exact: true }).selectOption('LKO-B1')
  await page.getByLabel('Kind', { exact: true }).selectOption('photo')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.locator('.count')).toHaveAttribute('data-total', String(chosen.length))

  const zipFile = await download(page, 'ZIP (media + manifests)')
  const zip = readZip(zipFile.bytes)
  const names = [...zip.keys()].sort()
  const ids = chosen.map((s) => world.captures[s.key])
  expect(names.filter((n) => n.startsWith('manifests/')).sort()).toEqual(ids.map((c) => `manifests/${c.id}.json`).sort())
  const mediaNames = names.filter((n) => n.startsWith('media/'))
  expect(mediaNames).toHaveLength(ids.length)
  for (const c of ids) {
    const entry = mediaNames.find((n) => n.startsWith(`media/${c.sha256}.`))
    expect(entry, `media of ${c.key}`).toBeTruthy()
    // The bytes are the capture's: their hash is the name the device gave them.
    expect(crypto.createHash('sha256').update(zip.get(entry!)!).digest('hex')).toBe(c.sha256)
    const manifest = JSON.parse(zip.get(`manifests/${c.id}.json`)!.toString('utf8'))
    const text = JSON.stringify(manifest)
    expect(text).toContain(c.id)
    expect(text).toContain(c.sha256)
  }
  // Nothing else: no capture outside the filter, no stray file.
  expect(names.length).toBe(2 * ids.length)
  // And the field client proves it offline: every capture signed at capture, unchanged.
  const proof = await world.devices.vns1.json<{ proven: number; captures: unknown[] }>('verify', zipFile.file)
  expect(proof).toMatchObject({ proven: ids.length })
  expect(proof.captures).toHaveLength(ids.length)

  const csv = (await download(page, 'CSV')).bytes.toString('utf8').trim().split(/\r?\n/)
  expect(csv.length).toBe(1 + ids.length)
  expect(csv[0]).toContain('id')
  for (const c of ids) expect(csv.filter((l) => l.includes(c.id))).toHaveLength(1)

  const geo = JSON.parse((await download(page, 'GeoJSON')).bytes.toString('utf8'))
  expect(geo.type).toBe('FeatureCollection')
  // Every capture is a feature; one without a fix has no geometry (null, as GeoJSON allows).
  expect(geo.features).toHaveLength(chosen.length)
  for (const s of chosen) {
    const f = geo.features.find((x: { id: string }) => x.id === world.captures[s.key].id)
    expect(f, s.key).toBeTruthy()
    expect(f.geometry).toEqual(s.gps ? { type: 'Point', coordinates: [s.gps[1], s.gps[0]] } : null)
  }
})
