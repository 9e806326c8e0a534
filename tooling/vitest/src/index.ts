export { freePort } from './free-port.js';
export {
  type ServiceKind,
  type ResolvedService,
  resolveService,
  requireServices,
} from './services.js';
export { type IsolatedStore, isolatedStore } from './isolated-store.js';
