/** The platform connectors: X, the Facebook Page, Messenger, and the "test connection" checks. */
export { createXConnector, type XConnector, type XConnectorOptions } from './x';
export { createFacebookConnector, type FacebookConnectorOptions } from './facebook';
export { createMessengerConnector, type MessengerConnector, type MessengerConnectorOptions } from './messenger';
export { testFacebookConnection, testXConnection, type ConnectionTest } from './whoami';
export { realTimers, type Timers } from './scheduler';
export type { Connector, ConnectorHost } from './types';
