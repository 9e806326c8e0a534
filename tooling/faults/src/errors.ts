/** The errors of the fault suite, each with a code and a message saying what to do. */
import { MqError } from '@mq/core';

/** A private server of the suite could not be started, restarted or reached. */
export class FaultServerError extends MqError {
  constructor(server: string, detail: string, options?: { cause?: unknown }) {
    super(
      'MQ_FAULT_SERVER',
      `The suite's private ${server} failed: ${detail}. Check that the binaries are installed (tooling/services/provision.sh) and that the port is free.`,
      options,
    );
    this.name = 'FaultServerError';
  }
}

/** A child process (worker or producer) did not become ready in time. */
export class FaultChildError extends MqError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'MQ_FAULT_CHILD',
      `A child process of the suite failed: ${detail}. Run \`pnpm faults\` again with --verbose to see its output.`,
      options,
    );
    this.name = 'FaultChildError';
  }
}

/** A command-line argument of the suite is invalid. */
export class FaultOptionError extends MqError {
  constructor(option: string, rule: string) {
    super('MQ_FAULT_OPTION', `Invalid option ${option}: ${rule}. Run with --help for the usage.`);
    this.name = 'FaultOptionError';
  }
}
