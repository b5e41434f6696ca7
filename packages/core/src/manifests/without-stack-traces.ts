/**
 * Runs a YAML reader with no stack traces on the errors created inside it. Both readers create an
 * Error per broken document (js-yaml throws it; the yaml package collects it), and capturing stacks
 * was most of the cost of a file of 150,000 broken documents: their messages and positions are all
 * a diagnostic uses. Restored however `read` ends; only the library calls are wrapped, so an error
 * of netdiagram's own code keeps its stack for --debug.
 */
export function withoutStackTraces<T>(read: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
