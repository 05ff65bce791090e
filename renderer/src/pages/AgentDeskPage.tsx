/**
 * Agent desk: the agent's workspace (R9-R11, R18). Who is at this workstation and whether they
 * take work; their work, newest assigned first; one conversation with the contact's whole
 * history, why it was routed here, reactions and the reply composer; completion with a
 * disposition code, and transfer. Usable from the keyboard alone (see SHORTCUTS).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MoveTarget, OutboxItem, WorkItem } from '../../../electron/core/contract';
import { zoneFormatOf } from '../app/format';
import { AgentBar } from '../agent-desk/AgentBar';
import { CannedEditor } from '../agent-desk/CannedEditor';
import { forgetDraft } from '../agent-desk/Composer';
import { Conversation } from '../agent-desk/Conversation';
import { errorText, useCannedResponses, useConversation, useDispositionCodes, useMyWork, useRoutingView } from '../agent-desk/data';
import { CompleteDialog, ShortcutHelp, TransferDialog } from '../agent-desk/Dialogs';
import { KeyboardIcon, ListIcon } from '../agent-desk/icons';
import { takePendingOpen, useAgentId, usePendingOpen } from '../agent-desk/session';
import { useDeskMinute } from '../agent-desk/time';
import { WorkList } from '../agent-desk/WorkList';
import '../agent-desk/agent-desk.css';
import { useDeskClient, useDeskSnapshot } from '../state/hooks';
import { pageInfo } from './catalog';
import { PageHeader } from './PageHeader';

type DialogName = 'complete' | 'transfer' | 'help' | 'canned' | null;

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

export function AgentDeskPage() {
  const client = useDeskClient();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const zone = zoneFormatOf(status);
  const now = useDeskMinute(Math.round(clockOffsetMs / 1000) * 1000);
  const agentId = useAgentId();
  const routing = useRoutingView();
  const work = useMyWork(agentId);
  const canned = useCannedResponses();
  const codes = useDispositionCodes();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const conversation = useConversation(selectedId);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [accepting, setAccepting] = useState<number | null>(null);
  const [openError, setOpenError] = useState<{ interactionId: number; message: string } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const itemRefs = useRef(new Map<number, HTMLButtonElement>());
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const wanted = useRef<number | null>(null);
  const { refresh: refreshWork } = work;
  const { refresh: refreshConversation, addOutbox } = conversation;

  const agent = work.agent ?? routing.view?.agents.find((candidate) => candidate.id === agentId) ?? null;
  const selected = work.items.find((item) => item.interactionId === selectedId) ?? null;
  const held = selectedId !== null && (!work.loaded || selected !== null);
  const offered = selected !== null && selected.assignment.acceptedAt === null;
  const deskName = status?.deskName ?? 'Social Care Desk';

  // Another agent chosen at this workstation: start from a clean desk.
  useEffect(() => {
    setSelectedId(null);
    setDialog(null);
    setOpenError(null);
  }, [agentId]);

  const register = useCallback((interactionId: number, element: HTMLButtonElement | null) => {
    if (element === null) itemRefs.current.delete(interactionId);
    else itemRefs.current.set(interactionId, element);
  }, []);

  const accept = useCallback(
    async (interactionId: number) => {
      if (agentId === null) return;
      setAccepting(interactionId);
      setOpenError(null);
      try {
        await client.acceptInteraction({ interactionId, agentId });
        setAnnouncement('Accepted. The conversation is open.');
      } catch (error) {
        setOpenError({ interactionId, message: `Could not accept it: ${errorText(error)}` });
      } finally {
        setAccepting(null);
        refreshWork();
        refreshConversation();
      }
    },
    [agentId, client, refreshWork, refreshConversation],
  );

  const open = useCallback(
    (item: WorkItem) => {
      setSelectedId(item.interactionId);
      setOpenError(null);
      if (item.assignment.acceptedAt === null) void accept(item.interactionId);
    },
    [accept],
  );

  const step = useCallback(
    (delta: 1 | -1) => {
      const items = work.items;
      if (items.length === 0) {
        setAnnouncement('Nothing on your desk.');
        return;
      }
      const index = items.findIndex((item) => item.interactionId === selectedId);
      const nextIndex = index === -1 ? (delta === 1 ? 0 : items.length - 1) : index + delta;
      const next = items[nextIndex];
      if (next === undefined) {
        setAnnouncement(delta === 1 ? 'That was the last one in your list.' : 'That was the first one in your list.');
        return;
      }
      open(next);
      itemRefs.current.get(next.interactionId)?.focus();
    },
    [work.items, selectedId, open],
  );

  // A notification's "Open": take it once the work list has it.
  const pending = usePendingOpen();
  useEffect(() => {
    if (pending === null || agentId === null) return;
    wanted.current = takePendingOpen();
    refreshWork();
  }, [pending, agentId, refreshWork]);
  useEffect(() => {
    const id = wanted.current;
    if (id === null || !work.loaded) return;
    const item = work.items.find((candidate) => candidate.interactionId === id);
    if (item === undefined) return;
    wanted.current = null;
    open(item);
    requestAnimationFrame(() => itemRefs.current.get(id)?.focus());
  }, [work.items, work.loaded, open]);

  // The customer wrote while the conversation is open (live chat).
  const arrivals = conversation.arrivals;
  useEffect(() => {
    if (arrivals > 0 && conversation.view !== null) setAnnouncement(`New message from ${conversation.view.contact.displayName}.`);
    // Only a new arrival should speak.
  }, [arrivals]);

  const working = selectedId !== null && held && conversation.view !== null && conversation.view.interaction.state !== 'completed';

  // Keyboard shortcuts (see SHORTCUTS in Dialogs.tsx).
  const keys = useRef({ step, working, openDialog: setDialog, composerRef });
  keys.current = { step, working, openDialog: setDialog, composerRef };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      if (document.querySelector('dialog[open]') !== null) return;
      const k = keys.current;
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const actions: Record<string, (() => void) | undefined> = {
          KeyN: () => k.step(1),
          KeyP: () => k.step(-1),
          KeyC: k.working ? () => k.openDialog('complete') : undefined,
          KeyT: k.working ? () => k.openDialog('transfer') : undefined,
        };
        const action = actions[event.code];
        if (action !== undefined) {
          event.preventDefault();
          action();
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === 'j' || event.key === 'J') {
        event.preventDefault();
        k.step(1);
      } else if (event.key === 'k' || event.key === 'K') {
        event.preventDefault();
        k.step(-1);
      } else if ((event.key === 'r' || event.key === 'R') && k.composerRef.current !== null) {
        event.preventDefault();
        k.composerRef.current.focus();
      } else if (event.key === '?') {
        event.preventDefault();
        k.openDialog('help');
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const onSent = useCallback(
    (items: OutboxItem[], what: string) => {
      for (const item of items) addOutbox(item);
      setAnnouncement(what);
    },
    [addOutbox],
  );

  /** After the open interaction leaves the desk: focus the next one in the list, or the list. */
  const focusAfterLeave = useRef<number | 'list' | null>(null);
  const leave = (interactionId: number, what: string): void => {
    const items = work.items;
    const index = items.findIndex((item) => item.interactionId === interactionId);
    const next = items[index + 1] ?? items[index - 1] ?? null;
    forgetDraft(interactionId);
    focusAfterLeave.current = next?.interactionId ?? 'list';
    setDialog(null);
    setSelectedId(null);
    setAnnouncement(what);
    refreshWork();
  };
  // Runs after the dialog's own effect has closed it (children's effects run first), so closing
  // the modal does not take the focus back from where it is put here.
  useEffect(() => {
    const target = focusAfterLeave.current;
    if (dialog !== null || target === null) return;
    focusAfterLeave.current = null;
    const element = target === 'list' ? undefined : itemRefs.current.get(target);
    if (element !== undefined) element.focus();
    else document.getElementById('work-title')?.focus();
  }, [dialog, selectedId]);

  const complete = async (dispositionCodeId: number, note: string): Promise<string | null> => {
    if (selectedId === null || agentId === null) return 'Nothing is open.';
    try {
      await client.completeInteraction({ interactionId: selectedId, agentId, dispositionCodeId, ...(note !== '' ? { note } : {}) });
      const name = codes.codes?.find((code) => code.id === dispositionCodeId)?.name ?? 'the code';
      leave(selectedId, `Completed with “${name}”.`);
      return null;
    } catch (error) {
      return errorText(error);
    }
  };

  const transfer = async (to: MoveTarget, label: string): Promise<string | null> => {
    if (selectedId === null || agentId === null) return 'Nothing is open.';
    try {
      await client.transferInteraction({ interactionId: selectedId, agentId, to });
      leave(selectedId, `Transferred to ${label}.`);
      return null;
    } catch (error) {
      return errorText(error);
    }
  };

  const identity = conversation.view?.contact.identities.find((candidate) => candidate.platform === conversation.view?.interaction.message.platform);
  const sample = {
    contact_name: conversation.view?.contact.displayName ?? 'Dana Lee',
    handle: identity?.handle ? `@${identity.handle.replace(/^@/, '')}` : '@dana',
    agent_name: agent?.name ?? 'you',
    desk_name: deskName,
  };

  return (
    <>
      <PageHeader page={pageInfo('agent-desk')} />
      <AgentBar
        agents={routing.view?.agents ?? null}
        agentsError={routing.error}
        agentId={agentId}
        agent={agent}
        onAgentChanged={(changed) => {
          work.setAgent(changed);
          routing.refresh();
        }}
        onShowShortcuts={() => setDialog('help')}
        zone={zone}
        now={now}
      />
      <p className="visually-hidden" aria-live="polite" data-testid="agent-desk-announce">
        {announcement}
      </p>
      <div className="desk-layout">
        <WorkList
          items={work.items}
          loaded={work.loaded}
          error={work.error}
          selectedId={selectedId}
          accepting={accepting}
          openError={openError}
          onOpen={open}
          register={register}
          agentChosen={agentId !== null}
          ready={agent?.state.state === 'ready'}
        />
        {selectedId === null || agentId === null ? (
          <section className="card conversation conversation-empty" aria-label="Conversation" data-testid="conversation-empty">
            <ListIcon size={32} />
            <h2 className="conversation-empty-title">No conversation open</h2>
            <p className="muted">
              {work.items.length > 0 ? 'Open an interaction from your list: a new offer is accepted when you open it.' : 'When work is assigned to you it appears in your list, with a notice.'}
            </p>
            <p className="muted conversation-empty-keys">
              <KeyboardIcon size={16} /> <kbd>J</kbd> opens the next, <kbd>R</kbd> writes a reply, <kbd>Ctrl</kbd>+<kbd>Enter</kbd> sends, <kbd>Alt</kbd>+<kbd>C</kbd> completes.
            </p>
          </section>
        ) : (
          <Conversation
            view={conversation.view}
            error={conversation.error}
            agent={agent}
            agentId={agentId}
            deskName={deskName}
            zone={zone}
            now={now}
            queues={routing.view?.queues ?? []}
            canned={canned.items}
            cannedError={canned.error}
            held={held}
            offered={offered}
            accepting={accepting === selectedId}
            composerRef={composerRef}
            titleRef={titleRef}
            onAccept={() => selectedId !== null && void accept(selectedId)}
            onSent={onSent}
            onComplete={() => setDialog('complete')}
            onTransfer={() => setDialog('transfer')}
            onManageCanned={() => setDialog('canned')}
          />
        )}
      </div>

      <CompleteDialog
        open={dialog === 'complete'}
        contactName={conversation.view?.contact.displayName ?? 'the customer'}
        codes={codes.codes}
        codesError={codes.error}
        onRetryCodes={codes.refresh}
        onClose={() => setDialog(null)}
        onComplete={complete}
      />
      {agentId !== null && (
        <TransferDialog open={dialog === 'transfer'} routing={routing.view} routingError={routing.error} agentId={agentId} onClose={() => setDialog(null)} onTransfer={transfer} />
      )}
      <ShortcutHelp open={dialog === 'help'} onClose={() => setDialog(null)} />
      <CannedEditor open={dialog === 'canned'} items={canned.items} sample={sample} onClose={() => setDialog(null)} onSaved={canned.replace} />
    </>
  );
}
