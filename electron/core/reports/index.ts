/** Reports: buckets in the desk's zone, aggregation and CSV (pure; the SQL is in store/reports.ts). */
export * from './aggregate';
export * from './buckets';
export * from './csv';
