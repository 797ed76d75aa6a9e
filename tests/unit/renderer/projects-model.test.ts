// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import {
  customDirError,
  parentDirFor,
  previewProjectDir,
  validateProjectName,
} from '../../../src/renderer/src/features/projects/model'

describe('validateProjectName', () => {
  it('accepts ordinary names', () => {
    expect(validateProjectName('Portraits 2024')).toBeNull()
    expect(validateProjectName('  padded  ')).toBeNull()
    expect(validateProjectName('Émile’s café')).toBeNull()
  })

  it("gives the contract's message for each kind of bad name", () => {
    expect(validateProjectName('')).toBe('Give the project a name.')
    expect(validateProjectName('   ')).toBe('Give the project a name.')
    expect(validateProjectName('x'.repeat(81))).toBe('Keep the name under 80 characters.')
    expect(validateProjectName('a/b')).toBe(
      'A project name cannot contain / or \\: it becomes a folder name.',
    )
    expect(validateProjectName('a\\b')).toBe(
      'A project name cannot contain / or \\: it becomes a folder name.',
    )
    expect(validateProjectName('what?')).toBe(
      'A project name cannot contain < > : " | ? * or control characters.',
    )
    expect(validateProjectName('..')).toBe('A project name cannot be . or ..')
  })
})

describe('project location', () => {
  it('previews the folder with the separator the parent uses', () => {
    expect(previewProjectDir('/home/me/Projects', 'Cats')).toBe('/home/me/Projects/Cats')
    expect(previewProjectDir('/home/me/Projects/', ' Cats ')).toBe('/home/me/Projects/Cats')
    expect(previewProjectDir('C:\\Users\\me', 'Cats')).toBe('C:\\Users\\me\\Cats')
    expect(previewProjectDir('/tmp', '')).toBe('/tmp')
  })

  it('sends a parent folder only when another folder is chosen', () => {
    expect(parentDirFor({ name: 'x', location: 'default', customDir: '/ignored' })).toBeUndefined()
    expect(parentDirFor({ name: 'x', location: 'custom', customDir: ' /data ' })).toBe('/data')
    expect(customDirError({ name: 'x', location: 'custom', customDir: '  ' })).toBe(
      'Enter the folder to create the project in.',
    )
    expect(customDirError({ name: 'x', location: 'default', customDir: '' })).toBeNull()
  })
})
