import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveMediaPath } from '../../../src/main/services/media-path'

describe('media path resolution', () => {
  const root = '/data/projects/One'
  it('serves images inside the project folder', () => {
    expect(resolveMediaPath(root, 'images/a.png')).toBe(path.join(root, 'images/a.png'))
    expect(resolveMediaPath(root, 'images/with%20space.png')).toBe(path.join(root, 'images/with space.png'))
  })
  it.each([
    '../Two/images/a.png',
    '..%2FTwo%2Fa.png',
    'images/../../Two/a.png',
    '/etc/passwd.png',
    '%2Fetc%2Fpasswd.png',
    'images/a.png%00.txt',
    'realera.sqlite',
    'images/%E0%A4%A.png',
    'C:/x.png',
  ])('refuses %s', (rel) => {
    expect(resolveMediaPath(root, rel)).toBeNull()
  })
})
