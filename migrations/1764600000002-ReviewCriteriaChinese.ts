import { MigrationInterface, QueryRunner } from 'typeorm';

/** The default review criteria were named in both languages in one text; they are data, named in Chinese as the reviewers use them. */
export class ReviewCriteriaChinese1764600000002 implements MigrationInterface {
  name = 'ReviewCriteriaChinese1764600000002';

  async up(q: QueryRunner): Promise<void> {
    for (const [from, to] of [['服务能力 Service capability', '服务能力'], ['销售能力 Sales capability', '销售能力'], ['资质 Qualifications', '资质'], ['区域覆盖 Regional coverage', '区域覆盖']]) {
      await q.query(`UPDATE review_criterion SET name = $2 WHERE name = $1 AND NOT EXISTS (SELECT 1 FROM review_criterion WHERE lower(name) = lower($2))`, [from, to]);
    }
  }

  async down(): Promise<void> {
    // names are data; nothing to undo
  }
}
