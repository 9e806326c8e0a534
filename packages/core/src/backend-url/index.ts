export {
  type BackendUrlFactory,
  backendFromUrl,
  backendPackageFor,
  importFromCoreOrCwd,
  type ModuleLoader,
} from './backend-from-url.js';
export { BackendNotInstalledError, InvalidBackendUrlError } from './errors.js';
export { redactUrl } from './redact.js';
export { BACKEND_SCHEMES } from './schemes.js';
