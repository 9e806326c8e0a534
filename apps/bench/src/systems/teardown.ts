/**
 * Runs every cleanup step even when an earlier one fails (a stuck worker must not leave
 * its namespace behind), then throws the first failure, if any.
 */
export async function runAllSteps(steps: (() => unknown)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
}
