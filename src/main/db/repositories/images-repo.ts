import type { GenerationParams, ImageInfo } from '../../../shared/contract'
import type { Db } from '../connection'

interface Raw {
  id: string
  model_id: string | null
  path: string
  params: string
  provider: string
  duration_ms: number
  created_at: number
}

const toInfo = (r: Raw): ImageInfo => ({
  id: r.id,
  modelId: r.model_id,
  path: r.path,
  params: JSON.parse(r.params) as GenerationParams,
  provider: r.provider,
  durationMs: r.duration_ms,
  createdAt: r.created_at,
})

/** Generated images: the PNG lives in the project folder, the row records how it was made. */
export class ImagesRepo {
  constructor(private readonly db: Db) {}

  /** `editExperimentId`: the experiment whose edit produced the image (null: the original model). */
  insert(image: ImageInfo, editExperimentId: string | null = null): void {
    this.db
      .prepare(
        'INSERT INTO images (id, model_id, path, params, provider, duration_ms, created_at, edit_experiment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(image.id, image.modelId, image.path, JSON.stringify(image.params), image.provider, image.durationMs, image.createdAt, editExperimentId)
  }

  /** An image the original model already made with exactly these parameters, for reuse. */
  findOriginal(modelId: string, params: GenerationParams): ImageInfo | undefined {
    const r = this.db
      .prepare('SELECT * FROM images WHERE model_id = ? AND edit_experiment_id IS NULL AND params = ? ORDER BY created_at LIMIT 1')
      .get(modelId, JSON.stringify(params)) as Raw | undefined
    return r && toInfo(r)
  }

  list(modelId: string | undefined, limit: number): ImageInfo[] {
    const rows = (
      modelId === undefined
        ? this.db.prepare('SELECT * FROM images WHERE edit_experiment_id IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM images WHERE model_id = ? AND edit_experiment_id IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?')
            .all(modelId, limit)
    ) as Raw[]
    return rows.map(toInfo)
  }
}
