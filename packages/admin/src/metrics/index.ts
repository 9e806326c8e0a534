export { collectMetrics, METRICS_CONTENT_TYPE } from './collect.js';
