// Cost cases of output: what is written grows with what the input asks for.
export const cases = [];
