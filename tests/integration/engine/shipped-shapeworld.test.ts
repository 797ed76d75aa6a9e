/**
 * The ShapeWorld model the studio ships (resources/shapeworld, issue #8): it opens like any
 * diffusers ONNX folder, and it draws what it is asked. Accuracy is measured as
 * `npm run eval:shapeworld` measures it (held-out noise seeds from 100, DDIM 20, guidance 5,
 * 64×64), on 30 captions per kind, against issue #8's targets (ACCURACY_TARGETS: plain ≥ 90 %,
 * synonyms ≥ 80 %, associated ≥ 70 %, colour and shape both right) and against a colour floor.
 * Measured on the shipped model's first 30 captions per kind: both right 100 / 100 / 96.7 %,
 * colour right 100 % for every kind (60 per kind: 100 / 100 / 98.3 %). The run is
 * deterministic on a machine (fixed seeds, CPU); the targets leave 3, 6 and 9 images of room
 * for other machines' float rounding, and a regressed model (the previous one scored 83.3 /
 * 83.3 / 66.7 % here) fails them.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ACCURACY_TARGETS,
  measureCaptionAccuracy,
} from '../../../src/main/engine/eval/caption-accuracy'
import type { AccuracyReport } from '../../../src/main/engine/eval/caption-accuracy'
import { shapeWorldClassifier } from '../../../src/main/engine/eval/shapeworld-classifier'
import type { SdModel } from '../../../src/main/engine/sd/sd-model'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import { bundledShapeWorld } from '../../../src/main/services/bundled-models'
import { drawRgb } from '../../../src/main/services/erased-model'

const shipped = bundledShapeWorld({})
let model: SdModel
let report: AccuracyReport

beforeAll(async () => {
  if (!shipped.installed) {
    throw new Error(
      `No model in ${shipped.dir}: the trained ShapeWorld model is part of the repository.`,
    )
  }
  model = await loadSdModel(shipped.dir, { provider: 'cpu', threads: 0 })
  const signal = new AbortController().signal
  report = await measureCaptionAccuracy({
    generate: (prompt, seed) =>
      drawRgb(
        model,
        { prompt, seed, steps: 20, guidance: 5, scheduler: 'ddim', width: 64, height: 64 },
        {},
        signal,
      ),
    classifier: shapeWorldClassifier,
    count: 30,
    seeds: Array.from({ length: 30 }, (_, i) => 100 + i),
  })
}, 180_000)
afterAll(async () => {
  await model?.dispose()
})

describe('the shipped ShapeWorld model', () => {
  it('is a trained export small enough to ship', () => {
    const info = JSON.parse(readFileSync(path.join(shipped.dir, 'shapeworld.json'), 'utf8')) as {
      training: { step: number; totalSteps: number }
    }
    expect(info.training.step).toBe(info.training.totalSteps)
    expect(info.training.step).toBeGreaterThan(0)
    const unet = path.join(shipped.dir, 'unet', 'model.onnx')
    expect(existsSync(unet)).toBe(true)
  })

  it("meets issue #8's accuracy targets for plain, synonym and associated captions", () => {
    expect(report.kinds.map((k) => k.kind)).toEqual(['plain', 'synonym', 'associated'])
    for (const kind of report.kinds) {
      expect(kind.color, `${kind.kind}: colour right`).toBeGreaterThanOrEqual(0.9)
      expect(kind.both, `${kind.kind}: colour and shape both right`).toBeGreaterThanOrEqual(
        ACCURACY_TARGETS[kind.kind],
      )
    }
  })
})
