/** The agent desk's rules (R9-R11, R18): see README.md. The handlers are in ../handlers/agent-desk.ts. */
export * from './channels';
export * from './reactions';
export * from './canned';
export { agentTimeFormatter } from './time';
