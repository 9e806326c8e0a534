export {
  type ServiceKind,
  type ResolvedService,
  resolveService,
  requireServices,
} from './services.js';
