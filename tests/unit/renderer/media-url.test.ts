import { describe, expect, it } from 'vitest'
import { mediaUrl } from '../../../src/renderer/src/components/media-url'

const id = '0b6f0c1e-2f7c-4a51-9d3e-6c1f3a5b7e90'

describe('mediaUrl', () => {
  it('builds the bridge URL with the token query in a browser', () => {
    const loc = { mediaBase: 'http://127.0.0.1:4321/media', mediaQuery: '?token=abc' }
    expect(mediaUrl(loc, id, 'images/x.png')).toBe(
      `http://127.0.0.1:4321/media/${id}/images/x.png?token=abc`,
    )
  })

  it('builds media://<projectId>/<path> in Electron', () => {
    const loc = { mediaBase: 'media://', mediaQuery: '' }
    expect(mediaUrl(loc, id, 'images/x.png')).toBe(`media://${id}/images/x.png`)
  })

  it('tolerates a trailing slash on the base and stray separators in the path', () => {
    const loc = { mediaBase: 'http://127.0.0.1:1/media/', mediaQuery: '' }
    expect(mediaUrl(loc, 'p', '/images//a.png')).toBe('http://127.0.0.1:1/media/p/images/a.png')
    expect(mediaUrl(loc, 'p', 'images\\a.png')).toBe('http://127.0.0.1:1/media/p/images/a.png')
  })

  it('encodes each path segment but keeps the separators', () => {
    const loc = { mediaBase: 'media://', mediaQuery: '' }
    expect(mediaUrl(loc, 'p', 'images/a b#1?.png')).toBe('media://p/images/a%20b%231%3F.png')
  })

  it('is null until the shell has said where media is served', () => {
    expect(mediaUrl({ mediaBase: '', mediaQuery: '?token=abc' }, id, 'images/x.png')).toBeNull()
  })
})
