import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createClient } from './api/client'
import { pickTransport } from './api/pick-transport'
import { App } from './app/app'

const choice = pickTransport(window)
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root).render(
  <StrictMode>
    <App client={createClient(choice.transport)} mediaQuery={choice.mediaQuery} />
  </StrictMode>,
)
