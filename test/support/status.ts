import { diagnose, type PersonStatus, type VerbArgs } from '../../src/domain/index.js';

/** What `status` shows the actor about a person (themselves when no personId): the diagnosis's status part. */
export async function statusSeenBy(args: VerbArgs<{ personId?: number }>): Promise<PersonStatus> {
  return (await diagnose(args)).status;
}
