/** One feature's error messages in one language. */
export type Texts<Code extends string> = Record<Code, string>;
