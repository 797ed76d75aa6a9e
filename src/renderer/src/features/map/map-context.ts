import { createContext, useContext } from 'react'
import type { MapBounds, MapPoint } from './map-model'

/** What the charts' tooltip needs and the chart slots cannot pass: the points behind the ids. */
export interface MapData {
  readonly points: readonly MapPoint[]
  readonly bounds: MapBounds
}

export const MapDataContext = createContext<MapData | null>(null)

export const useMapData = (): MapData | null => useContext(MapDataContext)
