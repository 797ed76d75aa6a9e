import { cleanup, render } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import type { Experiment } from '../../../../src/shared/contract'
import { App } from '../../../../src/renderer/src/app/app'
import type { EraseStudio } from './erase-studio'
import { startEraseStudio, writeTinyModel } from './erase-studio'

/**
 * The lifecycle the experiment-page suites share: the tiny model written once per file, a
 * fresh in-process studio with it registered before each test, and after each test the DOM
 * cleaned up, the jobs drained and the studio closed. Call at the top of a test file; the
 * returned object reads the current test's studio.
 */
export function useEraseStudio(): EraseStudio {
  let tiny: { dir: string; remove: () => void } | null = null
  let current: EraseStudio | null = null
  beforeAll(async () => {
    tiny = await writeTinyModel()
  })
  afterAll(() => tiny?.remove())
  beforeEach(async () => {
    if (tiny === null) throw new Error('the tiny model was not written')
    current = await startEraseStudio(tiny.dir)
  })
  afterEach(async () => {
    cleanup()
    if (current === null) return
    await current.studio.services.jobs.idle()
    await current.studio.close()
    current = null
  })
  const now = (): EraseStudio => {
    if (current === null) throw new Error('no studio outside a test')
    return current
  }
  return {
    get studio() {
      return now().studio
    },
    get project() {
      return now().project
    },
    get model() {
      return now().model
    },
  }
}

/** The whole app, opened on one experiment's page, against the studio's real handlers. */
export function renderExperiment(s: EraseStudio, exp: Experiment): void {
  render(
    <App
      client={s.studio.client}
      mediaQuery="?token=t0k"
      initialRoute={{ page: 'experiment', projectId: s.project.id, experimentId: exp.id }}
    />,
  )
}
