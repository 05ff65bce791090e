/**
 * What the Agent desk reads from the desk, kept fresh by events:
 *   - the routing view (agents to pick from, queues, groups, for transfers);
 *   - this agent's work (listMyWork), read again when routing says something changed for them;
 *   - one conversation (getConversation), with the customer's new messages (feedAppended) and the
 *     delivery state of what the desk sends (outboxChanged) folded in while it is open;
 *   - canned responses and disposition codes.
 * Every read keeps its last good value on a failure and says what failed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Agent, CannedResponse, ConversationView, DispositionCode, OutboxItem, RoutingView, WorkItem } from '../../../electron/core/contract';
import { DeskCallError, type DeskClient } from '../client/desk-client';
import { useDeskClient, useDeskEvents } from '../state/hooks';

export function errorText(error: unknown): string {
  if (error instanceof DeskCallError) return error.message.replace(/^./, (c) => c.toUpperCase());
  return 'Something went wrong while asking the desk.';
}

/**
 * Runs `read` now, and again after it finishes when asked meanwhile: bursts of events become at
 * most one read in flight and one after it.
 */
function useSerialRefresh(read: () => Promise<void>): () => void {
  const latest = useRef(read);
  latest.current = read;
  const state = useRef({ running: false, again: false });
  return useCallback(() => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    const run = (): void => {
      s.again = false;
      void latest
        .current()
        .catch(() => undefined)
        .finally(() => {
          if (s.again) run();
          else s.running = false;
        });
    };
    run();
  }, []);
}

/** Reads again when the event stream comes back after a drop (events were missed meanwhile). */
function useOnReconnect(client: DeskClient, refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    let previous = client.connection();
    return client.onConnection((state) => {
      if (state === 'live' && previous !== 'live') latest.current();
      previous = state;
    });
  }, [client]);
}

// ---------------------------------------------------------------------------------------------
// Routing view: who can be picked, where work can be transferred

export interface RoutingState {
  view: RoutingView | null;
  error: string | null;
}

export function useRoutingView(): RoutingState & { refresh: () => void } {
  const client = useDeskClient();
  const [state, setState] = useState<RoutingState>({ view: null, error: null });
  const refresh = useSerialRefresh(async () => {
    try {
      const view = await client.getRouting({});
      setState({ view, error: null });
    } catch (error) {
      setState((current) => ({ ...current, error: errorText(error) }));
    }
  });
  useEffect(() => refresh(), [refresh]);
  useOnReconnect(client, refresh);
  const agentsRef = useRef<readonly Agent[]>([]);
  agentsRef.current = state.view?.agents ?? [];
  useDeskEvents((events) => {
    let again = false;
    for (const event of events) {
      if (event.type !== 'routingChanged') continue;
      const change = event.payload;
      if (change.type === 'agent') {
        if (!agentsRef.current.some((agent) => agent.id === change.agent.id)) {
          again = true;
          continue;
        }
        setState((current) =>
          current.view === null ? current : { ...current, view: { ...current.view, agents: current.view.agents.map((agent) => (agent.id === change.agent.id ? change.agent : agent)) } },
        );
      } else if (change.type === 'queue') {
        again = true;
      }
    }
    if (again) refresh();
  });
  return { ...state, refresh };
}

// ---------------------------------------------------------------------------------------------
// This agent's work

export interface WorkState {
  agentId: number | null;
  agent: Agent | null;
  items: WorkItem[];
  loaded: boolean;
  error: string | null;
}

const noWork: WorkState = { agentId: null, agent: null, items: [], loaded: false, error: null };

export function useMyWork(agentId: number | null): WorkState & { refresh: () => void; setAgent: (agent: Agent) => void } {
  const client = useDeskClient();
  const [state, setState] = useState<WorkState>({ ...noWork, agentId });
  const itemsRef = useRef<WorkItem[]>([]);
  itemsRef.current = state.items;

  const refresh = useSerialRefresh(async () => {
    if (agentId === null) return;
    try {
      const result = await client.listMyWork({ agentId });
      setState((current) => (current.agentId !== agentId ? current : { agentId, agent: result.agent, items: result.items, loaded: true, error: null }));
    } catch (error) {
      setState((current) => (current.agentId !== agentId ? current : { ...current, loaded: true, error: errorText(error) }));
    }
  });

  useEffect(() => {
    setState({ ...noWork, agentId });
    if (agentId !== null) refresh();
  }, [agentId, refresh]);
  useOnReconnect(client, refresh);

  useDeskEvents((events) => {
    if (agentId === null) return;
    const held = new Set(itemsRef.current.map((item) => item.interactionId));
    let again = false;
    for (const event of events) {
      if (event.type === 'routingChanged') {
        const change = event.payload;
        if (change.type === 'assignment') again ||= change.assignment.agentId === agentId || held.has(change.assignment.interactionId);
        else if (change.type === 'left') again ||= held.has(change.interactionId);
        else if (change.type === 'waiting') again ||= held.has(change.entry.interactionId);
        else if (change.type === 'agent' && change.agent.id === agentId) {
          const agent = change.agent;
          setState((current) => (current.agentId === agentId ? { ...current, agent } : current));
        }
      } else if (event.type === 'interactionsChanged') {
        again ||= event.payload.changes.some((change) => held.has(change.interactionId));
      }
    }
    if (again) refresh();
  });

  const setAgent = useCallback(
    (agent: Agent) => setState((current) => (current.agentId === agent.id ? { ...current, agent } : current)),
    [],
  );
  return { ...state, refresh, setAgent };
}

// ---------------------------------------------------------------------------------------------
// One conversation

export interface ConversationState {
  interactionId: number | null;
  view: ConversationView | null;
  error: string | null;
  /** Customer messages that arrived while it was open (for the live region), newest last. */
  arrivals: number;
}

function mergeOutbox(list: readonly OutboxItem[], item: OutboxItem): OutboxItem[] {
  const index = list.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [...list, item];
  const next = [...list];
  next[index] = item;
  return next;
}

export function useConversation(interactionId: number | null): ConversationState & { refresh: () => void; addOutbox: (item: OutboxItem) => void } {
  const client = useDeskClient();
  const [state, setState] = useState<ConversationState>({ interactionId, view: null, error: null, arrivals: 0 });
  const viewRef = useRef<ConversationView | null>(null);
  viewRef.current = state.interactionId === interactionId ? state.view : null;

  const refresh = useSerialRefresh(async () => {
    if (interactionId === null) return;
    try {
      const view = await client.getConversation({ interactionId });
      setState((current) => (current.interactionId !== interactionId ? current : { ...current, view, error: null }));
    } catch (error) {
      setState((current) => (current.interactionId !== interactionId ? current : { ...current, error: errorText(error) }));
    }
  });

  useEffect(() => {
    setState({ interactionId, view: null, error: null, arrivals: 0 });
    if (interactionId !== null) refresh();
  }, [interactionId, refresh]);
  useOnReconnect(client, refresh);

  const addOutbox = useCallback((item: OutboxItem) => {
    setState((current) => (current.view === null || current.view.contact.id !== item.contactId ? current : { ...current, view: { ...current.view, outbox: mergeOutbox(current.view.outbox, item) } }));
  }, []);

  useDeskEvents((events) => {
    const view = viewRef.current;
    if (view === null || interactionId === null) return;
    const contactId = view.contact.id;
    const known = new Set(view.messages.map((message) => message.id));
    let again = false;
    let arrived = 0;
    for (const event of events) {
      if (event.type === 'feedAppended') {
        for (const item of event.payload.items) {
          if (item.contactId !== contactId || known.has(item.messageId)) continue;
          again = true;
          if (item.direction === 'inbound') arrived += 1;
        }
      } else if (event.type === 'outboxChanged' && event.payload.contactId === contactId) {
        addOutbox(event.payload);
        // Sent: its message is in the history now; the windows may have moved too.
        if (event.payload.messageId !== null && !known.has(event.payload.messageId)) again = true;
        if (event.payload.state === 'sent' && event.payload.messageId === null) again = true;
      } else if (event.type === 'interactionsChanged') {
        again ||= event.payload.changes.some((change) => change.interactionId === interactionId);
      } else if (event.type === 'contactsMerged') {
        again ||= event.payload.mergedContactId === contactId || event.payload.kept.id === contactId;
      }
    }
    if (arrived > 0) setState((current) => ({ ...current, arrivals: current.arrivals + arrived }));
    if (again) refresh();
  });

  return { ...(state.interactionId === interactionId ? state : { interactionId, view: null, error: null, arrivals: 0 }), refresh, addOutbox };
}

// ---------------------------------------------------------------------------------------------
// Canned responses and disposition codes

export function useCannedResponses(): { items: CannedResponse[] | null; error: string | null; replace: (items: CannedResponse[]) => void; refresh: () => void } {
  const client = useDeskClient();
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useSerialRefresh(async () => {
    try {
      setItems((await client.getCannedResponses({})).items);
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    }
  });
  useEffect(() => refresh(), [refresh]);
  return { items, error, replace: setItems, refresh };
}

export function useDispositionCodes(): { codes: DispositionCode[] | null; error: string | null; refresh: () => void } {
  const client = useDeskClient();
  const [codes, setCodes] = useState<DispositionCode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useSerialRefresh(async () => {
    try {
      setCodes((await client.listDispositionCodes({})).codes);
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    }
  });
  useEffect(() => refresh(), [refresh]);
  useDeskEvents((events) => {
    for (const event of events) if (event.type === 'dispositionCodesChanged') setCodes(event.payload.codes);
  });
  return { codes: codes === null ? null : codes.filter((code) => !code.retired), error, refresh };
}
