import type { z } from 'zod';

/** A contract method: its zod input schema and (phantom) result type. */
export interface MethodDef<I extends z.ZodType, R> {
  readonly input: I;
  readonly description: string;
  /** Type-only marker; never set at run time. */
  readonly _result?: R;
}

export function method<R>() {
  return <I extends z.ZodType>(input: I, description: string): MethodDef<I, R> => ({ input, description });
}

/** An error that crosses a transport intact: a code the UI can act on and a message for the person. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
