/** `ENOENT (no such file or directory)` rather than a Node error with a stack. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', ENOENT: 'no such file or directory',
    ENOTDIR: 'a part of the path is not a directory', EISDIR: 'is a directory', ELOOP: 'too many symbolic links',
    ENOSPC: 'no space left on device', EROFS: 'read-only file system', EEXIST: 'already exists', EMFILE: 'too many open files',
  };
  if (code) return reasons[code] ? `${code} (${reasons[code]})` : code;
  return error instanceof Error ? error.message : String(error);
}
