import { parseListQuery } from '../../core/web/list-query';
import { escapeLike, PARTNER_LIST, parsePartnerListFilter, partnerFilterSql, partnerNumberedPageSql, partnerPageSql, toPage } from './partner-list.util';

describe('partner list filters', () => {
  it('keeps known filter values and drops unknown ones', () => {
    expect(parsePartnerListFilter({ status: 'active', tier: 'Z', type: 'sales', q: ' 贵阳 ', limit: '500' }))
      .toEqual({ status: 'active', tier: undefined, type: 'sales', region: undefined, q: '贵阳', after: undefined, before: undefined, limit: 200 });
  });

  it('builds parameterised conditions only for the given filters', () => {
    expect(partnerFilterSql({})).toEqual({ where: 'TRUE', params: [] });
    const { where, params } = partnerFilterSql({ status: 'active', region: 'Guiyang', q: 'gy-p' });
    expect(where).toBe("p.status = $1 AND p.region = $2 AND (p.code LIKE $3 OR p.credit_code LIKE $3 OR lower(p.name) LIKE $4)");
    expect(params).toEqual(['active', 'Guiyang', 'GY-P%', '%gy-p%']);
  });

  it('escapes LIKE wildcards in the search text', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(partnerFilterSql({ q: '%' }).params).toEqual(['\\%%', '%\\%%']);
  });

  it('pages forward and backward on the code', () => {
    const fwd = partnerPageSql({ after: 'GZ-P-00050', limit: 50 }, 'p.id, p.code');
    expect(fwd.sql).toBe('SELECT p.id, p.code FROM partner p WHERE TRUE AND p.code > $1 ORDER BY p.code ASC LIMIT $2');
    expect(fwd.params).toEqual(['GZ-P-00050', 51]);
    const back = partnerPageSql({ before: 'GZ-P-00051', tier: 'A', limit: 50 }, 'p.code');
    expect(back.sql).toContain('p.code < $2 ORDER BY p.code DESC');
    expect(back.reversed).toBe(true);
  });

  it('derives the next and previous links', () => {
    const rows = ['a', 'b', 'c'].map((code) => ({ code }));
    expect(toPage(rows, { limit: 2 })).toEqual({ items: [{ code: 'a' }, { code: 'b' }], nextAfter: 'b', prevBefore: null });
    expect(toPage(rows.slice(0, 2), { limit: 2, after: 'x' })).toEqual({ items: [{ code: 'a' }, { code: 'b' }], nextAfter: null, prevBefore: 'a' });
    // backward: rows arrive newest-first and are put back in order
    expect(toPage([{ code: 'c' }, { code: 'b' }, { code: 'a' }], { limit: 2, before: 'd' })).toEqual({ items: [{ code: 'b' }, { code: 'c' }], nextAfter: 'c', prevBefore: 'b' });
  });

  it('builds a numbered page with a declared sort only, and ignores unknown sorts and pages', () => {
    const list = parseListQuery({ sort: 'name', dir: 'desc', page: '3' }, PARTNER_LIST);
    const q = partnerNumberedPageSql({ status: 'active', regionIn: ['遵义市', '红花岗区'] }, 'p.code', list);
    expect(q.sql).toBe('SELECT p.code FROM partner p WHERE p.status = $1 AND p.region = ANY($2::text[]) ORDER BY lower(p.name) DESC NULLS LAST, p.code DESC LIMIT $3 OFFSET $4');
    expect(q.params).toEqual(['active', ['遵义市', '红花岗区'], 50, 100]);
    const junk = parseListQuery({ sort: 'p.code; DROP TABLE partner', page: '-1' }, PARTNER_LIST);
    expect(partnerNumberedPageSql({}, 'p.code', junk).sql).toBe('SELECT p.code FROM partner p WHERE TRUE ORDER BY p.code ASC NULLS LAST, p.code ASC LIMIT $1 OFFSET $2');
  });
});
