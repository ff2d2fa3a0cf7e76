/** One entry of the error table: the HTTP status a code maps to and a default message. */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

/** Declares a feature's error codes; keeps literal keys so `ErrorCode` stays a union. */
export const defineErrors = <T extends Record<string, ErrorSpec>>(table: T): T => table;
