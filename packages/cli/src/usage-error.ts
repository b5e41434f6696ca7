/** Bad usage (a wrong option value): printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
