#!/usr/bin/env node
// The `realera` command: the built CLI when present, else the TypeScript source through tsx.
const path = require('node:path')
const fs = require('node:fs')
const built = path.join(__dirname, '..', 'out', 'main', 'cli.js')
if (fs.existsSync(built)) {
  require(built)
} else {
  require('tsx/cjs')
  require(path.join(__dirname, '..', 'src', 'main', 'cli.ts'))
}
