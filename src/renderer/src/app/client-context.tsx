import { createContext, useContext } from 'react'
import type { StudioClient } from '../api/client'

const ClientContext = createContext<StudioClient | null>(null)

/** Makes the contract client available to every feature below it. */
export const ClientProvider = ClientContext.Provider

export function useClient(): StudioClient {
  const client = useContext(ClientContext)
  if (!client) throw new Error('useClient must be used inside <ClientProvider>.')
  return client
}
