import { inRegionScope, regionScope, ScopeRegion } from './region-scope.util';

const REGIONS: ScopeRegion[] = [
  { id: 1, name: '贵阳市', parentId: null }, { id: 2, name: '南明区', parentId: 1 }, { id: 3, name: '花溪区', parentId: 1 },
  { id: 4, name: '安顺市', parentId: null }, { id: 5, name: '西秀区', parentId: 4 }, { id: 6, name: '平坝区', parentId: 4 },
  { id: 7, name: '遵义市', parentId: null }, { id: 8, name: '汇川区', parentId: 7 },
];

describe('regionScope', () => {
  it('admins and finance see everything, whatever is assigned', () => {
    expect(regionScope('admin', [4], REGIONS)).toBeNull();
    expect(regionScope('finance', [4], REGIONS)).toBeNull();
  });

  it('a channel manager without regions is province-level (everything)', () => {
    expect(regionScope('channel_manager', [], REGIONS)).toBeNull();
  });

  it('an assigned prefecture covers its counties and nothing else', () => {
    expect(regionScope('channel_manager', [4], REGIONS)).toEqual(['安顺市', '平坝区', '西秀区'].sort());
  });

  it('two prefectures: both with their counties; a county alone covers only itself', () => {
    expect(regionScope('channel_manager', [4, 7], REGIONS)).toEqual(['安顺市', '平坝区', '西秀区', '遵义市', '汇川区'].sort());
    expect(regionScope('channel_manager', [2], REGIONS)).toEqual(['南明区']);
  });

  it('unknown ids narrow to nothing rather than widening to everything', () => {
    expect(regionScope('channel_manager', [999], REGIONS)).toEqual([]);
  });
});

describe('inRegionScope', () => {
  const scope = regionScope('channel_manager', [4], REGIONS);
  it('accepts regions in the scope and refuses others', () => {
    expect(inRegionScope(scope, '西秀区')).toBe(true);
    expect(inRegionScope(scope, ' 安顺市 ')).toBe(true);
    expect(inRegionScope(scope, '贵阳市')).toBe(false);
    expect(inRegionScope(scope, '南明区')).toBe(false);
  });
  it('a scoped manager never sees an object without a region; an unscoped user sees it', () => {
    expect(inRegionScope(scope, '')).toBe(false);
    expect(inRegionScope(scope, null)).toBe(false);
    expect(inRegionScope(null, null)).toBe(true);
    expect(inRegionScope(null, '贵阳市')).toBe(true);
  });
});
