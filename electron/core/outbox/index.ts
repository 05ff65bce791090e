/**
 * The outbox: every outbound action, durable, retried until its deadline, sent at most once.
 * See README.md beside this file.
 */
export * from './actions';
export { enqueue, rowToItem, type EnqueueOptions } from './enqueue';
export { OutboxSendError, type SendErrorClass, type SendErrorInit } from './errors';
export {
  DEFAULT_BACKOFF,
  DEFAULT_DEADLINES,
  DEFAULT_KIND_DEADLINES,
  DEFAULT_ORIGIN_DEADLINES,
  backoffDelay,
  backoffPolicy,
  deadlineMs,
  deadlinePolicy,
  type BackoffPolicy,
  type DeadlineOverrides,
  type DeadlinePolicy,
} from './policy';
export { createOutbox, manualOutboxTimers, realOutboxTimers, type Outbox, type OutboxOptions, type OutboxTimers } from './runner';
export type { FindRequest, SendResult, Sender } from './senders/types';
export { createXSender, classifyXSendError, type XSenderOptions } from './senders/x';
export { createGraphSender, classifyGraphSendError, parseGraphUsage, type GraphSenderOptions } from './senders/graph';
