import { describe, expect, it } from 'vitest'
import { adamStep, defaultAdam, initAdam } from '../../../../src/main/engine/erasure/lora/adam'
import { effectiveWeight, initLora, loraDelta, loraGradients, loraScale } from '../../../../src/main/engine/erasure/lora/lora-params'
import { createNoiseSource } from '../../../../src/main/engine/sd/noise'

const d = 6
const c = 5
const rank = 2
const proj = [{ path: 'x.attn2.to_k', initializer: 'w', width: c, contextDim: d }]

/** L(B_eff) = Σ target·B_eff + ½Σ B_eff², a smooth loss with a known gradient G = target + B_eff. */
function loss(bEff: Float32Array, target: Float32Array): { l: number; g: Float32Array } {
  let l = 0
  const g = new Float32Array(bEff.length)
  for (let i = 0; i < bEff.length; i++) {
    l += target[i]! * bEff[i]! + 0.5 * bEff[i]! ** 2
    g[i] = target[i]! + bEff[i]!
  }
  return { l, g }
}

describe('LoRA factors', () => {
  const rng = createNoiseSource(9)
  const base = rng.normal(d * c)
  const target = rng.normal(d * c)

  it('start at the closed-form weights (B = 0)', () => {
    const set = initLora(proj, rank, 1, 1)
    expect(Array.from(effectiveWeight(set.layers[0]!, base, rank, loraScale(set)))).toEqual(Array.from(base))
  })

  it('chain-rule gradients match central finite differences for A and B', () => {
    const set = initLora(proj, rank, 2, 3)
    const layer = set.layers[0]!
    layer.b.set(rng.normal(c * rank))
    const s = loraScale(set)
    const { g } = loss(effectiveWeight(layer, base, rank, s), target)
    const { da, db } = loraGradients(layer, g, rank, s)
    const h = 1e-3
    for (const [name, arr, grad] of [['A', layer.a, da], ['B', layer.b, db]] as const) {
      for (let i = 0; i < arr.length; i++) {
        const keep = arr[i]!
        arr[i] = keep + h
        const up = loss(effectiveWeight(layer, base, rank, s), target).l
        arr[i] = keep - h
        const down = loss(effectiveWeight(layer, base, rank, s), target).l
        arr[i] = keep
        const numeric = (up - down) / (2 * h)
        expect(Math.abs(numeric - grad[i]!), `${name}[${i}]`).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)))
      }
    }
  })

  it('the torch-layout delta is the transpose of the ONNX-layout change', () => {
    const set = initLora(proj, rank, 4, 2)
    const layer = set.layers[0]!
    layer.b.set(rng.normal(c * rank))
    const s = loraScale(set)
    const eff = effectiveWeight(layer, base, rank, s)
    const delta = loraDelta(layer, rank, s)
    for (let k = 0; k < d; k++) for (let j = 0; j < c; j++) expect(delta[j * d + k]).toBeCloseTo(eff[k * c + j]! - base[k * c + j]!, 5)
  })

  it('Adam with clipping lowers the loss', () => {
    const set = initLora(proj, rank, 1, 5)
    const layer = set.layers[0]!
    const s = loraScale(set)
    const state = initAdam([layer.a, layer.b])
    const first = loss(effectiveWeight(layer, base, rank, s), target).l
    let last = first
    for (let i = 0; i < 200; i++) {
      const { l, g } = loss(effectiveWeight(layer, base, rank, s), target)
      last = l
      const { da, db } = loraGradients(layer, g, rank, s)
      adamStep([layer.a, layer.b], [da, db], state, defaultAdam(0.05))
    }
    expect(last).toBeLessThan(first - 1)
  })
})
