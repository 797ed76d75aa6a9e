/**
 * How much each latent channel counts in the training loss. The latents are PCA coefficients
 * divided by their standard deviation (model-pca.ts), so a unit error in channel 0 (a patch's
 * brightness, σ ≈ 9.5) moves the decoded pixels about 60 times as much as a unit error in
 * channel 31 (σ ≈ 0.15). A plain MSE on v spends the model's capacity on every channel alike,
 * and the first run's samples showed it: shapes right, but every background patch off in
 * brightness and tint, and neighbouring palette colours confused.
 * - 'uniform': the plain MSE (the first runs);
 * - 'pixel-scale': channel c weighted by σ_c / mean(σ), halfway (in log scale) between the
 *   latent MSE and the pixel MSE (σ_c²), which would leave the edge-carrying channels almost
 *   no weight at all.
 */
import type { PatchPca } from './model-pca'

export type LossWeighting = 'uniform' | 'pixel-scale'

export const LOSS_WEIGHTINGS: readonly LossWeighting[] = ['uniform', 'pixel-scale']

/** One weight per latent channel, mean 1. */
export function channelLossWeights(pca: PatchPca, weighting: LossWeighting): Float32Array {
  const out = new Float32Array(pca.k).fill(1)
  if (weighting === 'uniform') return out
  let sum = 0
  for (let c = 0; c < pca.k; c++) sum += pca.scales[c]!
  const mean = sum / pca.k
  for (let c = 0; c < pca.k; c++) out[c] = pca.scales[c]! / mean
  return out
}

/** The weights spread over a [batch, channels, h, w] latent, as the loss's weight input. */
export function latentLossWeightTensor(
  weights: Float32Array,
  batch: number,
  side: number,
): Float32Array {
  const plane = side * side
  const out = new Float32Array(batch * weights.length * plane)
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < weights.length; c++) {
      const base = (b * weights.length + c) * plane
      out.fill(weights[c]!, base, base + plane)
    }
  return out
}
