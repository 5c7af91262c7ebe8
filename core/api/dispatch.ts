import { ApiError } from './define.js';
import { CONTRACT, isMethodName, type Handlers, type MethodName } from './contract.js';

/**
 * Validate and run one call. Every transport (IPC, HTTP, CLI) goes through here, so input validation lives once.
 * Throws ApiError('unknown_method' | 'invalid_input' | <handler's code>).
 */
export async function dispatch(handlers: Handlers, name: string, rawInput: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw new ApiError('unknown_method', `unknown method '${name}'`);
  const parsed = CONTRACT[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw new ApiError('invalid_input', `${name}: ${issues}`);
  }
  const handler = handlers[name as MethodName] as (input: unknown) => unknown;
  return await handler(parsed.data);
}

export function toErrorBody(err: unknown): { error: { code: string; message: string } } {
  if (err instanceof ApiError) return { error: { code: err.code, message: err.message } };
  return { error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
}
