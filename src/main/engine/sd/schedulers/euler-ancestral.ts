/**
 * Euler ancestral, transcribed from diffusers' `scheduling_euler_ancestral_discrete.py`. Each
 * step goes down to σ_down with an Euler step, then adds fresh noise back up to σ_next:
 *   σ_up   = √(σ_next² · (σ² − σ_next²) / σ²),   σ_down = √(σ_next² − σ_up²)
 *   d = (x − x0) / σ,   x_next = x + d·(σ_down − σ) + σ_up·z,   z ~ N(0, 1)
 * so it needs a noise source in every step (the last step has σ_next = 0, hence σ_up = 0, but
 * noise is still drawn, as diffusers does, so the stream stays aligned with the step count).
 */
import type { NoiseSource } from '../noise'
import { assertSameLength } from './common'
import { SigmaScheduler } from './sigma-scheduler'
import type { SchedulerName } from './types'

export class EulerAncestralScheduler extends SigmaScheduler {
  readonly name: SchedulerName = 'euler-a'
  protected readonly label = 'Euler ancestral'

  step(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
    noise?: NoiseSource,
  ): Float32Array {
    assertSameLength(modelOutput, sample, 'Euler ancestral step')
    if (noise === undefined) throw new Error('Euler ancestral needs a noise source in step.')
    const index = this.schedule.indexOf(timestep, 'Euler ancestral')
    const sigma = this.schedule.sigmaAt(index)
    const sigmaNext = this.schedule.sigmaAt(index + 1)
    const sigmaUp = Math.sqrt((sigmaNext ** 2 * (sigma ** 2 - sigmaNext ** 2)) / sigma ** 2)
    const sigmaDown = Math.sqrt(sigmaNext ** 2 - sigmaUp ** 2)
    const dt = sigmaDown - sigma
    const x0 = this.schedule.predictOriginal(modelOutput, sample, sigma)
    const z = noise.normal(sample.length)
    const out = new Float32Array(sample.length)
    for (let i = 0; i < out.length; i++) {
      const x = sample[i] ?? 0
      const derivative = (x - (x0[i] ?? 0)) / sigma
      out[i] = x + derivative * dt + (z[i] ?? 0) * sigmaUp
    }
    return out
  }
}
