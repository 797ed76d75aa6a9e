import { benchAutodiff } from './autodiff'
import { benchClosedForm } from './closed-form'
import { benchGraphCleanup } from './graph-cleanup'
import { benchMap } from './map'
import { benchUnetStep } from './unet-step'

/**
 * `npm run bench [-- NAME…]`: every benchmark prints ratios against a baseline measured in the
 * same run, never absolute pass/fail thresholds.
 */
const benches: Record<string, () => Promise<void>> = {
  autodiff: benchAutodiff,
  'closed-form': benchClosedForm,
  'graph-cleanup': benchGraphCleanup,
  map: benchMap,
  'unet-step': benchUnetStep,
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2)
  const names = wanted.length > 0 ? wanted : Object.keys(benches)
  for (const name of names) {
    const bench = benches[name]
    if (!bench) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`)
    await bench()
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
