export { type AuthOptions, Authenticator, hashToken, type TokenEntry } from './auth.js';
export { type Admin, type AdminOptions, createAdmin } from './create-admin.js';
export { openApiDocument } from './openapi.js';
export { errorResponse, STATUS_BY_CODE } from './status.js';
export { toNodeListener } from './node.js';
