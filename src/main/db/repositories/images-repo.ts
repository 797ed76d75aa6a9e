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

  insert(image: ImageInfo): void {
    this.db
      .prepare(
        'INSERT INTO images (id, model_id, path, params, provider, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(image.id, image.modelId, image.path, JSON.stringify(image.params), image.provider, image.durationMs, image.createdAt)
  }

  list(modelId: string | undefined, limit: number): ImageInfo[] {
    const rows = (
      modelId === undefined
        ? this.db.prepare('SELECT * FROM images ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM images WHERE model_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
            .all(modelId, limit)
    ) as Raw[]
    return rows.map(toInfo)
  }
}
