import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgentDeskNotifier } from '../agent-desk/Notifier';
import { AgentsPage } from '../agents/AgentsPage';
import { CalendarPage } from '../pages/CalendarPage';
import { AgentDeskPage } from '../pages/AgentDeskPage';
import { MonitorPage } from '../pages/MonitorPage';
import { ReportsPage } from '../pages/ReportsPage';
import { SettingsPage } from '../pages/SettingsPage';
import { QueuesPage } from '../queues/QueuesPage';
import { RulesPage } from '../rules/RulesPage';
import { useDeskSnapshot } from '../state/hooks';
import { ContactDrawer } from './ContactDrawer';
import { ContactDrawerContext, type ContactDrawerApi } from './contact-drawer';
import { FatalScreen } from './FatalScreen';
import { Header } from './Header';
import { useCurrentPage } from './routes';
import { Sidebar } from './Sidebar';

export function App() {
  const page = useCurrentPage();
  const { status, statusError, connection } = useDeskSnapshot();
  const [query, setQuery] = useState('');
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [selectedContact, setSelectedContact] = useState<number | null>(null);
  const [runNow, setRunNow] = useState(0);
  /** Where focus goes back to when the drawer closes: the feed row that opened it, or the search. */
  const returnFocus = useRef<HTMLElement | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const resultListRef = useRef<HTMLUListElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const firstPage = useRef(true);

  // After navigating, put focus on the new page's title (not on the first visit: the page just loaded).
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('#page-title')?.focus();
    window.scrollTo({ top: 0 });
  }, [page]);

  const closeDrawer = useCallback(() => {
    setDrawerOpen(false);
    const back = returnFocus.current;
    returnFocus.current = null;
    if (back !== null && back.isConnected) back.focus();
    else searchRef.current?.focus();
  }, []);

  const drawerApi = useMemo<ContactDrawerApi>(
    () => ({
      openContact(contactId) {
        returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setSelectedContact(contactId);
        setDrawerOpen(true);
      },
    }),
    [],
  );

  if (connection === 'unauthorized') {
    return (
      <FatalScreen title="This console link is no longer valid">
        The desk did not accept this window’s access token. That happens when the desk was restarted: each launch
        prints a new console address. Open the address it printed most recently.
      </FatalScreen>
    );
  }
  if (status === null && statusError !== null && statusError.code !== 'unavailable') {
    return (
      <FatalScreen title="The desk could not be read">
        {statusError.message}
      </FatalScreen>
    );
  }

  return (
    <div className="app">
      <Sidebar current={page} version={status?.version ?? null} />
      <div className="app-body">
        <Header
          search={{
            query,
            drawerOpen,
            inputRef: searchRef,
            onQueryChange(next) {
              setQuery(next);
              setSelectedContact(null);
              returnFocus.current = null;
              setDrawerOpen(next.trim() !== '' || drawerOpen);
            },
            onSubmit() {
              setDrawerOpen(true);
              setSelectedContact(null);
              setRunNow((n) => n + 1);
            },
            onEscape() {
              if (drawerOpen) setDrawerOpen(false);
              else setQuery('');
            },
            onArrowDown() {
              resultListRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
            },
          }}
        />
        <main id="main" ref={mainRef} className="main" aria-labelledby="page-title">
          <div className="main-inner">
            {status === null && statusError !== null && (
              <p className="inline-error" role="alert">
                The desk is not answering: {statusError.message} Retrying when the connection is back.
              </p>
            )}
            <ContactDrawerContext.Provider value={drawerApi}>
              {page === 'settings' ? (
                <SettingsPage />
              ) : page === 'monitor' ? (
                <MonitorPage />
              ) : page === 'calendar' ? (
                <CalendarPage />
              ) : page === 'queues' ? (
                <QueuesPage />
              ) : page === 'agents' ? (
                <AgentsPage />
              ) : page === 'rules' ? (
                <RulesPage />
              ) : page === 'agent-desk' ? (
                <AgentDeskPage />
              ) : (
                <ReportsPage />
              )}
            </ContactDrawerContext.Provider>
          </div>
        </main>
      </div>
      <ContactDrawer
        open={drawerOpen}
        query={query}
        runNow={runNow}
        selected={selectedContact}
        resultListRef={resultListRef}
        onSelect={setSelectedContact}
        onClose={closeDrawer}
      />
      <AgentDeskNotifier />
    </div>
  );
}
