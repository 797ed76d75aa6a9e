import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StudioWeb } from '../../helpers/studio-web'
import { startStudioWeb } from '../../helpers/studio-web'

const ARTIFACTS = path.resolve('test-artifacts/e2e')
const FILES = 20

let web: StudioWeb
let page: Page

/** Screenshots wait for MUI's transitions (drawers, dialogs, chips: at most 300 ms) to end. */
const shot = async (name: string): Promise<void> => {
  await page.waitForTimeout(350)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

const projectFolders = (): string[] =>
  existsSync(web.projectsDir) ? readdirSync(web.projectsDir).sort() : []

async function openCreateDialog(): Promise<Locator> {
  await page.getByRole('button', { name: 'New project' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New project' })
  await dialog.waitFor()
  return dialog
}

async function closeDialog(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached' })
}

const ariaValue = async (bar: Locator): Promise<number> =>
  Number((await bar.getAttribute('aria-valuenow')) ?? 'NaN')

async function waitForValueAbove(bar: Locator, floor: number, timeoutMs = 10_000): Promise<number> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await ariaValue(bar)
    if (value > floor) return value
    if (Date.now() > until) throw new Error(`progress stayed at ${value} (wanted > ${floor})`)
    await page.waitForTimeout(100)
  }
}

describe('studio in a browser, against the real host over the bridge', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    web = await startStudioWeb({ demoStepMs: 400, colorScheme: 'light' })
    page = web.page
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await web?.close()
  })

  it('creates a project, keeps it across a reload, and refuses bad input clearly', async () => {
    await page.goto(web.url)
    await page.getByText('No projects yet').waitFor()
    await shot('01-empty')

    const dialog = await openCreateDialog()
    await dialog.getByLabel('Project name').fill('Alpha')
    await expect.poll(() => dialog.getByText(path.join(web.projectsDir, 'Alpha')).count()).toBe(1)
    await shot('02-create-dialog')
    await dialog.getByRole('button', { name: 'Create project' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByRole('row', { name: 'Alpha' }).waitFor()
    expect(projectFolders()).toEqual(['Alpha'])
    await shot('03-project-listed')

    await page.reload()
    await page.getByRole('row', { name: 'Alpha' }).waitFor()

    // A duplicate name: the host refuses it and says so.
    let bad = await openCreateDialog()
    await bad.getByLabel('Project name').fill('alpha')
    await bad.getByRole('button', { name: 'Create project' }).click()
    await bad
      .getByRole('alert')
      .filter({ hasText: 'A project named "alpha" already exists. Choose another name.' })
      .waitFor()
    await shot('04-duplicate-name')
    expect(projectFolders()).toEqual(['Alpha'])

    // A name with a slash: explained while typing, and Create stays disabled.
    await bad.getByLabel('Project name').fill('a/b')
    await bad
      .getByText('A project name cannot contain / or \\: it becomes a folder name.')
      .waitFor()
    expect(await bad.getByRole('button', { name: 'Create project' }).isDisabled()).toBe(true)
    await shot('05-slash-in-name')
    await closeDialog(bad)

    // A parent folder nobody can write to.
    bad = await openCreateDialog()
    await bad.getByLabel('Project name').fill('Beta')
    await bad.getByLabel('Another folder').check()
    await bad.getByLabel('Parent folder').fill('/proc/realera-x')
    await bad.getByRole('button', { name: 'Create project' }).click()
    await bad
      .getByRole('alert')
      .filter({ hasText: 'The folder /proc/realera-x is not writable.' })
      .waitFor()
    await shot('06-not-writable')
    await closeDialog(bad)

    expect(projectFolders()).toEqual(['Alpha'])
    expect(existsSync('/proc/realera-x')).toBe(false)
    expect(await page.getByRole('row').count()).toBe(2) // header + Alpha
    expect(web.problems).toEqual([])
  })

  it('runs the verify job with live progress in the jobs drawer, and cancels it', async () => {
    await page.getByRole('button', { name: 'Open Alpha' }).click()
    await page.getByRole('heading', { level: 1, name: 'Alpha' }).waitFor()
    const dir = path.join(web.projectsDir, 'Alpha')
    for (let i = 0; i < FILES; i++) {
      writeFileSync(path.join(dir, `sample-${String(i).padStart(2, '0')}.txt`), `sample ${i}\n`)
    }
    await shot('07-project-page')

    await page.getByRole('button', { name: 'Verify project folder' }).click()
    await page.getByRole('button', { name: 'Jobs (1 active)' }).click()
    const drawer = page.getByRole('dialog', { name: 'Jobs' })
    const item = drawer.getByRole('listitem', { name: 'Verify "Alpha"' })
    const bar = item.getByRole('progressbar', { name: 'Progress of Verify "Alpha"' })
    await bar.waitFor()

    const first = await waitForValueAbove(bar, 0)
    const later = await waitForValueAbove(bar, first)
    expect(later).toBeGreaterThan(first)
    await item.getByText(/^Checking files · \d+ \/ \d+ · about \d+ s left$/).waitFor()
    await shot('08-job-progress')

    await item.getByRole('button', { name: 'Cancel Verify "Alpha"' }).click()
    await item.getByText('Cancelled', { exact: true }).waitFor()
    await item.getByText(/^Cancelled at step \d+ of \d+\.$/).waitFor()
    expect(await item.getByRole('progressbar').count()).toBe(0)
    await drawer.getByText('Nothing running').waitFor()
    await page
      .getByRole('button', { name: 'Jobs', exact: true, includeHidden: true })
      .waitFor({ state: 'attached' })
    await shot('09-job-cancelled')
    expect(web.problems).toEqual([])
  })

  it('reattaches to the ended job after a reload and switches to the dark theme', async () => {
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor()
    await page.getByRole('button', { name: 'Jobs', exact: true }).click()
    const drawer = page.getByRole('dialog', { name: 'Jobs' })
    await drawer
      .getByRole('listitem', { name: 'Verify "Alpha"' })
      .getByText('Cancelled', { exact: true })
      .waitFor()
    await drawer.getByRole('button', { name: 'Close jobs' }).click()
    await drawer.waitFor({ state: 'detached' })

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    await page.getByRole('button', { name: 'Dark' }).click()
    await expect
      .poll(() => page.evaluate('getComputedStyle(document.body).backgroundColor'))
      .toBe('rgb(18, 20, 24)')
    await shot('10-settings-dark')
    await page.getByRole('table', { name: 'Execution providers' }).scrollIntoViewIfNeeded()
    await shot('11-about-dark')

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Projects' })
      .click()
    await page.getByRole('row', { name: 'Alpha' }).waitFor()
    await shot('12-projects-dark')
    await page.getByRole('button', { name: 'Jobs', exact: true }).click()
    await page.getByRole('dialog', { name: 'Jobs' }).waitFor()
    await shot('13-jobs-dark')
    expect(web.problems).toEqual([])
  })
})
