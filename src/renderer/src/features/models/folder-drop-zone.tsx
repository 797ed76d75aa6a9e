import DropIcon from '@mui/icons-material/DriveFolderUploadOutlined'
import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { alpha } from '@mui/material/styles'
import { useState } from 'react'
import type { ReactNode } from 'react'
import { droppedFolder } from './model'

/**
 * Accepts a folder dropped anywhere on its children. Electron gives the dropped item's path
 * (`window.studio.pathForFile`); a browser never does, so there a drop only earns a hint.
 */
export function FolderDropZone(props: {
  pathForFile: ((file: File) => string) | undefined
  onPath: (path: string) => void
  onNoPath: () => void
  disabled?: boolean
  children: ReactNode
}): React.JSX.Element {
  const [over, setOver] = useState(false)
  const canDrop = props.pathForFile !== undefined && !props.disabled
  return (
    <Box
      onDragOver={(e) => {
        e.preventDefault()
        e.dataTransfer.dropEffect = canDrop ? 'link' : 'none'
        if (canDrop) setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        if (props.disabled) return
        const result = droppedFolder(Array.from(e.dataTransfer.files), props.pathForFile)
        if (result.kind === 'path') props.onPath(result.path)
        else if (result.kind === 'no-path') props.onNoPath()
      }}
    >
      {props.pathForFile !== undefined ? (
        <Box
          sx={(theme) => ({
            mb: 2,
            py: 2.5,
            px: 2,
            border: 2,
            borderStyle: 'dashed',
            borderRadius: 2,
            borderColor: over ? 'primary.main' : 'divider',
            bgcolor: over ? alpha(theme.palette.primary.main, 0.08) : 'transparent',
            color: over ? 'primary.main' : 'text.secondary',
            textAlign: 'center',
            transition: 'background-color 120ms, border-color 120ms',
          })}
        >
          <DropIcon aria-hidden />
          <Typography variant="body2">Drop the model folder here, or choose it below.</Typography>
        </Box>
      ) : null}
      {props.children}
    </Box>
  )
}
