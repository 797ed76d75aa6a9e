/**
 * State-based routing: a route is a plain value, the shell keeps the current one in state, and
 * `page-outlet.tsx` maps each route to its page. A new page adds a variant here, an entry in
 * `navItems` if it belongs in the left navigation, and a case in the outlet (the switch there is
 * exhaustive, so a missing case is a type error).
 */
export type Route =
  | { readonly page: 'projects' }
  | { readonly page: 'project'; readonly projectId: string }
  /** Text to image in a project; `modelId` preselects a model (from a model card). */
  | { readonly page: 'generate'; readonly projectId: string; readonly modelId?: string }
  /** A new RealEra experiment; `duplicateOf` pre-fills the form from an earlier experiment. */
  | { readonly page: 'new-experiment'; readonly projectId: string; readonly duplicateOf?: string }
  /** One experiment, running or finished: by id, or by its erase job right after Start. */
  | {
      readonly page: 'experiment'
      readonly projectId: string
      readonly experimentId?: string
      readonly jobId?: string
    }
  /** Experiments of a project side by side: parameters, results, and (for two) galleries. */
  | {
      readonly page: 'compare'
      readonly projectId: string
      readonly experimentIds: readonly string[]
    }
  | { readonly page: 'settings' }

export type NavId = 'projects' | 'settings'

export interface NavItem {
  readonly id: NavId
  readonly label: string
  readonly route: Route
}

export const navItems: readonly NavItem[] = [
  { id: 'projects', label: 'Projects', route: { page: 'projects' } },
  { id: 'settings', label: 'Settings', route: { page: 'settings' } },
]

export const homeRoute: Route = { page: 'projects' }

/** Which navigation entry is highlighted for a route (a project's pages live under Projects). */
export function navIdFor(route: Route): NavId {
  switch (route.page) {
    case 'projects':
    case 'project':
    case 'generate':
    case 'new-experiment':
    case 'experiment':
    case 'compare':
      return 'projects'
    case 'settings':
      return 'settings'
  }
}
