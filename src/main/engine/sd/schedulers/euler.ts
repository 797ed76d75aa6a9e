/**
 * Euler (Karras et al. 2022, Algorithm 2 with s_churn = 0), transcribed from diffusers'
 * `scheduling_euler_discrete.py`. Deterministic: no noise is added between steps.
 *
 * With σ = sigmas[i] and σ_next = sigmas[i + 1] (0 after the last step):
 *   x0 from the model output (see SigmaSchedule.predictOriginal)
 *   d = (x − x0) / σ,   x_next = x + d·(σ_next − σ)
 * Timesteps are fractional under `linspace` spacing (e.g. 999, 978.6122…, … for SD at 50
 * steps); they are float32 values, which is what diffusers feeds the U-Net.
 */
import { assertSameLength } from './common'
import { SigmaScheduler } from './sigma-scheduler'
import type { SchedulerName } from './types'

export class EulerScheduler extends SigmaScheduler {
  readonly name: SchedulerName = 'euler'
  protected readonly label = 'Euler'

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    assertSameLength(modelOutput, sample, 'Euler step')
    const index = this.schedule.indexOf(timestep, 'Euler')
    const sigma = this.schedule.sigmaAt(index)
    const dt = this.schedule.sigmaAt(index + 1) - sigma
    const x0 = this.schedule.predictOriginal(modelOutput, sample, sigma)
    const out = new Float32Array(sample.length)
    for (let i = 0; i < out.length; i++) {
      const x = sample[i] ?? 0
      const derivative = (x - (x0[i] ?? 0)) / sigma
      out[i] = x + derivative * dt
    }
    return out
  }
}
