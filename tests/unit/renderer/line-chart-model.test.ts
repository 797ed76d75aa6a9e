import { describe, expect, it } from 'vitest'
import {
  extentOf,
  formatTick,
  layoutAxes,
  linearScale,
  linearTicks,
  linePath,
  logScale,
  logTicks,
  padExtent,
  suggestsLog,
} from '../../../src/renderer/src/components/line-chart-model'

describe('line chart geometry', () => {
  it('finds the extent of finite values (positive only for a log axis)', () => {
    expect(extentOf([3, NaN, -1, 7, Infinity])).toEqual({ min: -1, max: 7 })
    expect(extentOf([0, -2, 0.5, 4], true)).toEqual({ min: 0.5, max: 4 })
    expect(extentOf([])).toBeNull()
    expect(extentOf([0, -1], true)).toBeNull()
    expect(padExtent({ min: 2, max: 2 }, false)).toEqual({ min: 1, max: 3 })
    expect(padExtent({ min: 0.1, max: 0.1 }, true)).toEqual({ min: 0.05, max: 0.2 })
  })

  it('maps linearly and by log10, with a reversed range for y', () => {
    const x = linearScale({ min: 0, max: 10 }, { min: 50, max: 150 })
    expect(x(0)).toBe(50)
    expect(x(5)).toBe(100)
    const y = logScale({ min: 0.01, max: 1 }, { min: 200, max: 0 })
    expect(y(0.01)).toBe(200)
    expect(y(0.1)).toBeCloseTo(100)
    expect(y(1)).toBe(0)
    expect(y(0)).toBeNaN()
  })

  it('picks round ticks', () => {
    expect(linearTicks({ min: 0, max: 20 }, 5)).toEqual([0, 5, 10, 15, 20])
    expect(linearTicks({ min: 0.03, max: 0.31 }, 4)).toEqual([0.1, 0.2, 0.3])
    expect(linearTicks({ min: 1, max: 200 }, 6)).toEqual([50, 100, 150, 200])
    // Decades when the values span several; 1-2-5 when they span about one.
    expect(logTicks({ min: 0.0004, max: 2 })).toEqual([0.001, 0.01, 0.1, 1])
    expect(logTicks({ min: 0.03, max: 0.4 })).toEqual([0.05, 0.1, 0.2])
    expect(logTicks({ min: 0.31, max: 0.38 })).toEqual(linearTicks({ min: 0.31, max: 0.38 }, 3))
    expect(logTicks({ min: 1e-6, max: 1e6 }).length).toBeLessThanOrEqual(8)
  })

  it('labels ticks briefly', () => {
    expect(formatTick(0)).toBe('0')
    expect(formatTick(0.05)).toBe('0.05')
    expect(formatTick(0.30000000000000004)).toBe('0.3')
    expect(formatTick(250)).toBe('250')
    expect(formatTick(0.0001)).toBe('1e-4')
    expect(formatTick(200000)).toBe('2e+5')
  })

  it('builds path data and breaks it at points a log axis cannot place', () => {
    const x = linearScale({ min: 0, max: 2 }, { min: 0, max: 100 })
    const y = logScale({ min: 0.1, max: 10 }, { min: 100, max: 0 })
    expect(
      linePath(
        [
          [0, 1],
          [1, 10],
        ],
        x,
        y,
      ),
    ).toBe('M0 50L50 0')
    expect(
      linePath(
        [
          [0, 1],
          [1, 0],
          [2, 0.1],
        ],
        x,
        y,
      ),
    ).toBe('M0 50 M100 100')
    expect(linePath([], x, y)).toBe('')
  })

  it('suggests a log axis for losses spanning decades', () => {
    expect(suggestsLog({ min: 0.001, max: 0.5 })).toBe(true)
    expect(suggestsLog({ min: 0.1, max: 0.5 })).toBe(false)
    expect(suggestsLog(null)).toBe(false)
  })

  it('lays out both axes over every series', () => {
    const layout = layoutAxes({
      series: [
        [
          [1, 0.5],
          [20, 0.01],
        ],
        [[0, 0.2]],
      ],
      width: 640,
      height: 240,
      logY: true,
    })
    expect(layout.x(0)).toBe(layout.plot.left)
    expect(layout.x(20)).toBe(layout.plot.right)
    expect(layout.y(0.5)).toBeCloseTo(layout.plot.top)
    expect(layout.y(0.01)).toBeCloseTo(layout.plot.bottom)
    expect(layout.xTicks).toEqual([0, 5, 10, 15, 20])
    expect(layout.yTicks).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5])
  })
})
