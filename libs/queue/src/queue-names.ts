/** The four pipeline stages (DESIGN.md "Shape"). Payloads carry ids only; state lives in PostgreSQL. */
export const QueueName = {
  poll: 'poll',
  ingest: 'ingest',
  screen: 'screen',
  notify: 'notify',
  lookup: 'lookup',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/** poll: fetch one source's export and stage its rows. */
export interface PollJob {
  sourceId: string;
}
/** ingest: diff a staged snapshot against the last applied one and apply it. */
export interface IngestJob {
  snapshotId: string;
}
/** screen: match what changed against watched suppliers, or one supplier against current entries. */
export type ScreenJob = { target: 'snapshot'; snapshotId: string } | { target: 'supplier'; supplierId: string };
/** lookup: look one supplier up on a per-company lookup source. */
export interface LookupJob {
  sourceId: string;
  uscc: string;
}
/** notify: send one delivery (alert x subscription); `relay` re-enqueues undelivered outbox rows. */
export type NotifyJob = { deliveryId: string } | Record<string, never>;

export const JobName = {
  poll: 'poll',
  ingest: 'ingest',
  screenSnapshot: 'screen-snapshot',
  screenSupplier: 'screen-supplier',
  deliver: 'deliver',
  outboxRelay: 'outbox-relay',
  lookup: 'lookup',
} as const;

/**
 * Job ids make enqueueing idempotent: adding a job whose id is already waiting, delayed or active
 * is a no-op in BullMQ. BullMQ forbids ':' in custom ids, hence the dashes.
 */
export const jobId = {
  ingest: (snapshotId: string) => `ingest-${snapshotId}`,
  screenSnapshot: (snapshotId: string) => `screen-snapshot-${snapshotId}`,
  deliver: (deliveryId: string) => `deliver-${deliveryId}`,
  pollScheduler: (sourceId: string) => `poll-source-${sourceId}`,
  lookup: (sourceId: string, uscc: string) => `lookup-${sourceId}-${uscc}`,
};
