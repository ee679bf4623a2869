/**
 * A zod failure as one sentence for the person who sent the input: the first problem and where it is,
 * e.g. `layout.0.w: Too big: expected number to be <=12`.
 */
import type { z } from 'zod';

export function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
