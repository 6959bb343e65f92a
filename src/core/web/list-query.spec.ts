import { buildPager, parseListQuery, sortState } from './list-query';

const spec = { sortable: { code: 'p.code', name: 'p.name' }, defaultSort: 'code', pageSize: 10, tieBreaker: 'p.id' };

describe('list-query', () => {
  it('uses only declared sort columns and ignores anything malformed', () => {
    expect(parseListQuery({ sort: 'name', dir: 'desc', page: '3' }, spec)).toMatchObject({ sort: 'name', dir: 'desc', page: 3, offset: 20, orderBy: 'p.name DESC NULLS LAST, p.id DESC' });
    for (const bad of [{ sort: 'constructor' }, { sort: ['x'] }, { sort: 'code; drop table x' }, { page: '-1' }, { page: 'abc' }, { dir: 'sideways' }, { page: ['2'] }]) {
      const q = parseListQuery(bad as Record<string, unknown>, spec);
      expect(q.orderBy).toMatch(/^p\.(code|name) (ASC|DESC) NULLS LAST, p\.id (ASC|DESC)$/);
      expect(q.page).toBe(1);
    }
  });
  it('builds numbered page links that keep filters and sort', () => {
    const list = parseListQuery({ page: '6', sort: 'name' }, spec);
    const pager = buildPager(200, list, '/partners', { page: '6', sort: 'name', q: '贵阳', evil: ['x'] });
    expect(pager.pages).toBe(20);
    expect(pager.links.map((l) => l.n)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pager.links.find((l) => l.current)?.n).toBe(6);
    expect(pager.nextHref).toBe('/partners?page=7&sort=name&q=%E8%B4%B5%E9%98%B3');
    expect(pager.xlsxHref).toContain('format=xlsx');
    expect(pager.xlsxHref).not.toContain('page=');
    expect([pager.from, pager.to]).toEqual([51, 60]);
  });
  it('a second click on the sorted column reverses it', () => {
    const list = parseListQuery({ sort: 'name', dir: 'asc' }, spec);
    expect(sortState(list, 'name', '/p', { sort: 'name', dir: 'asc' }).href).toBe('/p?sort=name&dir=desc');
    expect(sortState(list, 'code', '/p', { sort: 'name', dir: 'asc' })).toMatchObject({ active: false, href: '/p?sort=code&dir=asc' });
  });
});
