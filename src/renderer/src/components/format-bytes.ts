const units = ['KB', 'MB', 'GB', 'TB'] as const

/**
 * A file size in decimal units (1 MB = 1,000,000 bytes, as file managers on macOS and Linux
 * show it): "812 KB", "9.5 MB", "1.72 GB". Three significant digits at most.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(bytes || 0))} B`
  let value = bytes
  let unit: (typeof units)[number] = 'KB'
  for (const u of units) {
    value /= 1000
    unit = u
    if (value < 999.5) break
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0
  return `${Number(value.toFixed(digits))} ${unit}`
}
