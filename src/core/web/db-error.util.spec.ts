import { dbErrorAnswer } from './db-error.util';

describe('database refusals as answers', () => {
  it('names the field of a duplicate, never the constraint or the value', () => {
    const a = dbErrorAnswer({ code: '23505', detail: 'Key (reference)=(DEMO-ADJ-1) already exists.' })!;
    expect(a).toEqual({ statusCode: 409, error: 'CONFLICT', message: 'errors:db.duplicate', errors: [{ field: 'reference', message: 'errors:db.duplicateField', params: { field: 'fields:reference' } }] });
    expect(JSON.stringify(a)).not.toMatch(/DEMO-ADJ-1|_key|_uq/);
  });
  it('maps snake_case columns to the form field names', () => {
    expect(dbErrorAnswer({ code: '23503', detail: 'Key (partner_id)=(5) is not present in table "partner".' })!.errors![0].field).toBe('partnerId');
    expect(dbErrorAnswer({ code: '23502', column: 'contact_email' })!.errors![0]).toMatchObject({ field: 'contactEmail', message: 'errors:db.requiredField' });
  });
  it('answers type errors and conflicts without any database text', () => {
    expect(dbErrorAnswer({ code: '22P02', detail: 'invalid input syntax for type bigint: "x"' })).toEqual({ statusCode: 400, error: 'BAD_REQUEST', message: 'errors:db.invalidValue' });
    expect(dbErrorAnswer({ code: '40001' })!.statusCode).toBe(409);
    expect(dbErrorAnswer({ code: 'XX000' })).toBeNull();
  });
});
