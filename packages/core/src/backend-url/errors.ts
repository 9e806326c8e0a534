import { MqError } from '../errors.js';

/** The text given as a backend URL is not a URL, or its scheme names no backend. */
export class InvalidBackendUrlError extends MqError {
  constructor(
    /** The URL as given, with secrets redacted. */
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('MQ_INVALID_BACKEND_URL', `Invalid backend URL ${url}: ${reason}`, options);
    this.name = 'InvalidBackendUrlError';
  }
}

/** The URL names a backend whose package is not installed beside @mq/core. */
export class BackendNotInstalledError extends MqError {
  constructor(
    /** The package to install, e.g. `@mq/redis`. */
    readonly packageName: string,
    scheme: string,
    options?: { cause?: unknown },
  ) {
    super(
      'MQ_BACKEND_NOT_INSTALLED',
      `The backend URL scheme ${scheme} needs ${packageName}: install ${packageName} (e.g. \`pnpm add ${packageName}\`) beside @mq/core.`,
      options,
    );
    this.name = 'BackendNotInstalledError';
  }
}
