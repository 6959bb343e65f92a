import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue #16: one violation is the evidence of at most one exit proposal, whatever happens to that proposal. */
export class ExitProposalViolation1764880001000 implements MigrationInterface {
  name = 'ExitProposalViolation1764880001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exit_proposal_violation (
        violation_id integer PRIMARY KEY,
        proposal_id  integer NOT NULL REFERENCES exit_proposal(id)
      )`);
    // proposals made before this rule keep their claims (the earliest proposal wins)
    await q.query(`
      INSERT INTO exit_proposal_violation (violation_id, proposal_id)
      SELECT DISTINCT ON (v.id::int) v.id::int, x.id FROM exit_proposal x CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(x.evidence->'violationIds', '[]'::jsonb)) AS v(id)
       WHERE x.trigger = 'major_violation' ORDER BY v.id::int, x.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exit_proposal_violation`);
  }
}
