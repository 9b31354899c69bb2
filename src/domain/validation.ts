import { z } from 'zod';

/** Input shapes shared by every entry point. Emails keep their exact case. */
export const emailSchema = z.string().trim().pipe(z.email());

export function parseEmail(raw: string): string | null {
  const r = emailSchema.safeParse(raw);
  return r.success ? r.data : null;
}

export const licenseNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the license a name.')
  .max(80, 'License names are at most 80 characters.');

export const seatCountSchema = z.coerce
  .number({ error: 'The number of seats must be a whole number.' })
  .int('The number of seats must be a whole number.')
  .min(1, 'A license needs at least 1 seat.')
  .max(100_000, 'A license can have at most 100,000 seats.');

export const invitationIdSchema = z.coerce.number().int().positive();
