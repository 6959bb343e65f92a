import { EntityManager } from 'typeorm';

/** Printed by a run that holds its transaction open for a fault test. */
export const FAULT_HOLD_MARKER = 'fault-test: lines written, transaction held open';

/**
 * Fault-injection point for the kill test: with PORTAL_FAULT_HOLD_MS set (never in production) a settlement run
 * announces that its lines are written and keeps the transaction open that long, so a test can SIGKILL the process
 * at a known point inside the transaction instead of guessing by timing.
 */
export async function holdForFaultTest(m: EntityManager): Promise<void> {
  const ms = Number(process.env.PORTAL_FAULT_HOLD_MS ?? 0);
  if (!ms || process.env.NODE_ENV === 'production') return;
  // make sure the transaction really holds the written lines, then wait in the process (not in the database:
  // the embedded database runs one statement at a time, so a pg_sleep there would stall every other session)
  await m.query('SELECT 1');
  process.stdout.write(`${FAULT_HOLD_MARKER}\n`);
  await new Promise((resolve) => setTimeout(resolve, ms));
}
