/**
 * Concat, Split and Slice gradients against central finite differences in float64 (the three
 * ops and the Slice/Concat/Pad/Expand their rules emit all have double kernels), every element
 * checked, plus the refusal of strided slices.
 */
import { describe, expect, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Build = (g: GraphBuilder, v: Readonly<Record<string, string>>) => string

async function check(
  inputs: Readonly<Record<string, readonly number[]>>,
  wrt: readonly string[],
  build: Build,
  opset: number,
  seed: number,
): Promise<void> {
  const model = testModel('float64', inputs, build, { opset })
  await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, seed),
    wrt,
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    samples: 200,
  })
}

const ints = (g: GraphBuilder, values: readonly number[]): string =>
  g.initializer(BigInt64Array.from(values, BigInt), [values.length])

const named = (v: Readonly<Record<string, string>>, k: string): string => v[k] ?? ''

describe('Concat gradient', () => {
  it('three inputs on the last axis (negative axis), one not differentiated', async () => {
    const inputs = { a: [2, 3], b: [2, 1], c: [2, 4] }
    const build: Build = (g, v) =>
      g.op('Concat', [named(v, 'a'), named(v, 'b'), named(v, 'c')], {
        attrs: { axis: attr.int(-1) },
      })
    await check(inputs, ['a', 'c'], build, 14, 1)
  })

  it('on the leading axis, the same input twice (fan-out)', async () => {
    const inputs = { a: [1, 3, 2], b: [2, 3, 2] }
    const build: Build = (g, v) =>
      g.op('Concat', [named(v, 'a'), named(v, 'b'), named(v, 'a')], {
        attrs: { axis: attr.int(0) },
      })
    await check(inputs, ['a', 'b'], build, 14, 2)
  })
})

describe('Split gradient', () => {
  /** Splits x [2, 6] on axis 1 into 1, 2, 3 columns and uses only pieces 0 and 2. */
  const usesTwoOfThree =
    (split: (g: GraphBuilder, x: string) => string[]): Build =>
    (g, v) => {
      const [p0 = '', , p2 = ''] = split(g, named(v, 'x'))
      return g.op('Concat', [p2, p0], { attrs: { axis: attr.int(1) } })
    }

  it('sizes as an input (opset 13); the unused piece gets zeros', async () => {
    const build = usesTwoOfThree((g, x) =>
      g.node('Split', [x, ints(g, [1, 2, 3])], { outputs: 3, attrs: { axis: attr.int(1) } }),
    )
    await check({ x: [2, 6] }, ['x'], build, 13, 3)
  })

  it('sizes as an attribute (opset 11)', async () => {
    const build = usesTwoOfThree((g, x) =>
      g.node('Split', [x], {
        outputs: 3,
        attrs: { axis: attr.int(-1), split: attr.ints([1, 2, 3]) },
      }),
    )
    await check({ x: [2, 6] }, ['x'], build, 11, 4)
  })

  it('equal pieces by num_outputs (opset 18), all used', async () => {
    const build: Build = (g, v) => {
      const [a = '', b = ''] = g.node('Split', [named(v, 'x')], {
        outputs: 2,
        attrs: { axis: attr.int(0), num_outputs: attr.int(2) },
      })
      return g.op('Mul', [a, b])
    }
    await check({ x: [4, 3] }, ['x'], build, 18, 5)
  })
})

describe('Slice gradient', () => {
  it('negative starts, out-of-range ends, negative axes (opset 14)', async () => {
    const build: Build = (g, v) =>
      g.op('Slice', [named(v, 'x'), ints(g, [-3, 1]), ints(g, [100, -1]), ints(g, [-1, 0])])
    await check({ x: [4, 6] }, ['x'], build, 14, 6)
  })

  it('clamped negative starts, default axes, explicit unit steps', async () => {
    const build: Build = (g, v) =>
      g.op('Slice', [
        named(v, 'x'),
        ints(g, [-10, 1, 0]),
        ints(g, [2, 3, -2]),
        '',
        ints(g, [1, 1, 1]),
      ])
    await check({ x: [3, 4, 5] }, ['x'], build, 13, 7)
  })

  it('GEGLU-style halves of the last axis', async () => {
    const build: Build = (g, v) => {
      const x = named(v, 'x')
      const first = g.op('Slice', [x, ints(g, [0]), ints(g, [3]), ints(g, [-1])])
      const second = g.op('Slice', [x, ints(g, [3]), ints(g, [6]), ints(g, [-1])])
      return g.op('Mul', [first, second])
    }
    await check({ x: [2, 6] }, ['x'], build, 14, 8)
  })

  it('refuses steps other than 1, naming the node', async () => {
    const build: Build = (g, v) =>
      g.op('Slice', [named(v, 'x'), ints(g, [0]), ints(g, [4]), ints(g, [1]), ints(g, [2])], {
        name: 'strided',
      })
    await expect(check({ x: [2, 4] }, ['x'], build, 14, 10)).rejects.toThrow(
      /Slice node strided: .*step 2/,
    )
  })
})
