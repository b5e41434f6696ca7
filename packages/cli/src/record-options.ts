import type { Command } from 'commander';
import { UsageError } from './usage-error.js';

/** Who made and approved a record, and when it is due for review (PCI DSS 1.2.3 good practice, 12.5.2). */
export interface RecordCliOptions {
  readonly preparedBy?: string;
  readonly approvedBy?: string;
  readonly reviewDate?: string;
  /** Set by options-file.ts when an options file filled options in: the record names it. */
  readonly optionsFile?: string;
}

/** Adds `--prepared-by`, `--approved-by` and `--review-date`. */
export function addRecordOptions(command: Command): Command {
  return command
    .option('--prepared-by <names>', 'who made the diagram or record (title block, metadata): PCI DSS 1.2.3 asks for the names of the people who made and approved it')
    .option('--approved-by <names>', 'who approved it (title block, metadata)')
    .option('--review-date <date>', 'when it is next reviewed, YYYY-MM-DD (title block, metadata; 12.5.2 asks at least every 12 months)');
}

/** The record facts as the title block and metadata take them; a bad --review-date is refused. */
export function recordInfo(options: RecordCliOptions): { preparedBy?: string; approvedBy?: string; reviewDate?: string; optionsFile?: string } {
  const clean = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    // eslint-disable-next-line no-control-regex
    if (text.trim() === '' || /[\u0000-\u001f\u007f-\u009f]/.test(text)) throw new UsageError(`${flag} needs text without control characters`);
    return text.trim();
  };
  const review = options.reviewDate;
  if (review !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(review);
    const parsed = new Date(`${review}T00:00:00Z`);
    const valid = m !== null && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(review);
    if (!valid) throw new UsageError(`--review-date "${review}" is not a date (YYYY-MM-DD)`);
  }
  const preparedBy = clean('--prepared-by', options.preparedBy);
  const approvedBy = clean('--approved-by', options.approvedBy);
  return {
    ...(preparedBy !== undefined ? { preparedBy } : {}),
    ...(approvedBy !== undefined ? { approvedBy } : {}),
    ...(review !== undefined ? { reviewDate: review } : {}),
    ...(options.optionsFile !== undefined ? { optionsFile: options.optionsFile } : {}),
  };
}
