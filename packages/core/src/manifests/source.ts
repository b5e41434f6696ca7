/** One input text and the name it is reported under (a path, or `<stdin>`). */
export interface Source {
  readonly name: string;
  readonly text: string;
  /**
   * True when the user named this source directly (a file argument, or standard input) rather than
   * it being found while walking a directory. A named source without any Kubernetes object is then
   * an error; a stray file found in a directory (a package.json, Helm values) is skipped with a warning.
   */
  readonly explicit?: boolean;
}
