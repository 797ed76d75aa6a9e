import Chip from '@mui/material/Chip'
import Skeleton from '@mui/material/Skeleton'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import Box from '@mui/material/Box'
import { useEffect, useState } from 'react'
import type { AppInfo } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { ErrorAlert } from '../../components/error-alert'
import { FolderPath } from '../../components/folder-path'
import { SettingsSection } from './settings-section'

function Fact(props: { label: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {props.label}
      </Typography>
      <Box component="dd" sx={{ m: 0, minWidth: 0 }}>
        {props.children}
      </Box>
    </>
  )
}

function ProvidersTable(props: { info: AppInfo }): React.JSX.Element {
  return (
    <Table size="small" aria-label="Execution providers">
      <TableHead>
        <TableRow>
          <TableCell>Provider</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Note</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.info.providers.map((p) => (
          <TableRow key={p.name}>
            <TableCell sx={{ fontWeight: 600 }}>{p.name}</TableCell>
            <TableCell>
              <Chip
                size="small"
                variant="outlined"
                color={p.available ? 'success' : 'default'}
                label={p.available ? 'Available' : 'Not available'}
              />
            </TableCell>
            <TableCell sx={{ color: 'text.secondary' }}>{p.note}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

export function AboutSection(): React.JSX.Element {
  const client = useClient()
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    let live = true
    client.invoke('app.info', {}).then(
      (i) => {
        if (live) setInfo(i)
      },
      (err: unknown) => {
        if (live) setError(err)
      },
    )
    return () => {
      live = false
    }
  }, [client])

  return (
    <SettingsSection title="About">
      <ErrorAlert error={error} />
      {info ? (
        <>
          <Box
            component="dl"
            sx={{ display: 'grid', gridTemplateColumns: '140px 1fr', rowGap: 1, m: 0 }}
          >
            <Fact label="Version">
              <Typography variant="body2">RealEra Studio {info.version}</Typography>
            </Fact>
            <Fact label="Platform">
              <Typography variant="body2">
                {info.platform} ({info.arch}),{' '}
                {info.runtime === 'electron' ? 'desktop app' : 'Node.js host'}
              </Typography>
            </Fact>
            <Fact label="Data folder">
              <FolderPath path={info.dataDir} color="text.primary" />
            </Fact>
          </Box>
          <ProvidersTable info={info} />
        </>
      ) : error ? null : (
        <Skeleton variant="rounded" height={120} aria-label="Loading" />
      )}
    </SettingsSection>
  )
}
