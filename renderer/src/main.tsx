import './zod-csp';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { FatalScreen } from './app/FatalScreen';
import { connectToDesk } from './client/connect';
import { createDeskStore } from './state/desk-store';
import { FeedStore } from './state/feed-store';
import { DeskContext } from './state/hooks';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
const root = createRoot(container);

// Connecting first also takes the token out of the URL fragment before the router reads it.
const connection = connectToDesk();

if (!connection.ok) {
  root.render(
    <StrictMode>
      <FatalScreen title="Open the console from the desk’s link">
        This page needs the access token the desk prints when it starts in server mode (an address ending in
        #token=…). Open that address; the token is then kept for this tab only.
      </FatalScreen>
    </StrictMode>,
  );
} else {
  const client = connection.client;
  const store = createDeskStore(client);
  const feed = new FeedStore(client);
  root.render(
    <StrictMode>
      <DeskContext.Provider value={{ client, store, feed }}>
        <App />
      </DeskContext.Provider>
    </StrictMode>,
  );
}
