import { terminalText } from './escape.js';

/**
 * Bad usage (a wrong option value, an output file that cannot be written): printed as one line,
 * exit code 2. The message may quote user input, so its control characters are escaped.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(message: string) {
    super(terminalText(message));
  }
}
