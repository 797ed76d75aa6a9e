import type { NoiseSource } from '../noise'
import { SigmaSchedule } from './sigmas'
import type { Scheduler, SchedulerConfig, SchedulerName } from './types'

/**
 * What the Euler family shares: the σ schedule and everything that only reads it. Subclasses
 * implement `step`; `label` names the scheduler in error messages.
 */
export abstract class SigmaScheduler implements Scheduler {
  abstract readonly name: SchedulerName
  protected abstract readonly label: string
  protected readonly schedule: SigmaSchedule

  constructor(readonly config: SchedulerConfig) {
    this.schedule = new SigmaSchedule(config)
  }

  get initNoiseSigma(): number {
    return this.schedule.initNoiseSigma
  }

  get timesteps(): readonly number[] {
    return this.schedule.timesteps
  }

  /** σ per step plus the final 0 (length steps + 1). */
  get sigmas(): readonly number[] {
    return this.schedule.sigmas
  }

  setTimesteps(steps: number): void {
    this.schedule.setTimesteps(steps)
  }

  scaleModelInput(sample: Float32Array, timestep: number): Float32Array {
    return this.schedule.scaleModelInput(sample, timestep, this.label)
  }

  abstract step(modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: NoiseSource): Float32Array

  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    return this.schedule.addNoise(original, noise, timestep)
  }
}
