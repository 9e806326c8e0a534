export { collectMetrics, METRICS_CONTENT_TYPE } from './collect.js';
export {
  createWorkerMetrics,
  DEFAULT_BUCKETS,
  WorkerMetrics,
  type WorkerMetricsOptions,
} from './worker-metrics.js';
