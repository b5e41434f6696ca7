/** One input text and the name it is reported under (a path, or `<stdin>`). */
export interface Source {
  readonly name: string;
  readonly text: string;
}
