/** Skills-based routing (R8, R13, R17): see README.md. */
export { Router, DEFAULT_ACCEPT_TIMEOUT_MS, realRoutingTimers, manualRoutingTimers, type RouterOptions, type RoutingTimers, type TickResult } from './router';
export * from './schema';
export { overflowSteps, stepAfter } from './select';
export { formatDuration } from './explain';
