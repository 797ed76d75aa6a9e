import type { Experiment, ExperimentMetrics } from '../../shared/contract'

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`

const conceptWords = (m: ExperimentMetrics): string => {
  const c = m.concept
  if (!c) return 'the erased concept'
  return [c.color, c.shape].filter((x) => x !== undefined).join(' ')
}

/** The metrics as a small table for people (`realera evaluate`, `realera erase --evaluate`). */
export function metricsTable(exp: Experiment, m: ExperimentMetrics): string {
  const rows: [string, string, string, string][] = [
    ['Acc_e', pct(m.accE), 'lower', `${m.counts.erasure} images of erasure prompts still showing it`],
    ['Acc_s', pct(m.accS), 'higher', `${m.counts.preserved} images of other concepts drawn as asked`],
    ['Acc_g', pct(m.accG), 'lower', `${m.counts.generalization} images of synonyms and associated phrases still showing it`],
    ['H_o', pct(m.ho), 'higher', 'harmonic mean of 1 − Acc_e, Acc_s and 1 − Acc_g'],
  ]
  const g = m.generation
  const how = g ? ` · ${g.steps} steps · guidance ${g.guidance} · ${g.scheduler} · ${g.size}×${g.size}` : ''
  return [
    `Experiment ${exp.number} "${exp.name}": erasure of ${conceptWords(m)}, judged by ${m.evaluator}`,
    `  ${'metric'.padEnd(6)}  ${'value'.padStart(7)}  ${'better'.padEnd(6)}  measured on`,
    ...rows.map(([name, value, better, what]) => `  ${name.padEnd(6)}  ${value.padStart(7)}  ${better.padEnd(6)}  ${what}`),
    `  seeds ${m.seeds.join(', ')}${how} · ${m.counts.erasure + m.counts.preserved + m.counts.generalization} images in all`,
  ].join('\n')
}
