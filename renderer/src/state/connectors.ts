/**
 * The connectors' status, as getConnectors says and connectorChanged events update. Read again
 * when the event stream comes back, since changes sent while it was down are lost.
 */
import { useEffect, useRef, useState } from 'react';
import type { ConnectorName, ConnectorStatus } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from './hooks';

export type ConnectorsState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; connectors: readonly ConnectorStatus[] };

const order: readonly ConnectorName[] = ['x', 'facebook', 'messenger'];

function sorted(list: readonly ConnectorStatus[]): ConnectorStatus[] {
  return [...list].sort((a, b) => order.indexOf(a.connector) - order.indexOf(b.connector));
}

export function useConnectors(): ConnectorsState {
  const client = useDeskClient();
  const { connection } = useDeskSnapshot();
  const [state, setState] = useState<ConnectorsState>({ kind: 'loading' });
  const wasLive = useRef(connection === 'live');

  const load = useRef(() => {});
  load.current = () => {
    client.getConnectors({}).then(
      (result) => setState({ kind: 'ready', connectors: sorted(result.connectors) }),
      (error: unknown) =>
        setState((previous) =>
          previous.kind === 'ready'
            ? previous
            : { kind: 'failed', message: error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.' },
        ),
    );
  };

  useEffect(() => load.current(), [client]);

  useEffect(() => {
    if (connection === 'live' && !wasLive.current) load.current();
    wasLive.current = connection === 'live';
  }, [connection]);

  useDeskEvents((events) => {
    let latest: Map<ConnectorName, ConnectorStatus> | null = null;
    for (const event of events) {
      if (event.type !== 'connectorChanged') continue;
      latest ??= new Map();
      latest.set(event.payload.connector, event.payload);
    }
    if (latest === null) return;
    const changes = latest;
    setState((previous) => {
      const base = previous.kind === 'ready' ? previous.connectors : [];
      const merged = new Map(base.map((status) => [status.connector, status]));
      for (const [name, status] of changes) merged.set(name, status);
      return { kind: 'ready', connectors: sorted([...merged.values()]) };
    });
  });

  return state;
}
