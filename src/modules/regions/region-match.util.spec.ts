import { GUIZHOU_REGIONS } from './guizhou-regions';
import { matchRegion, RegionName, regionCovers } from './region-match.util';

const REGIONS: RegionName[] = GUIZHOU_REGIONS.flatMap((p) => [
  { name: p.name, nameEn: p.nameEn, aliases: p.aliases, parent: null },
  ...p.counties.map(([name, en]) => ({ name, nameEn: en, aliases: [], parent: p.name })),
]);

describe('region matching', () => {
  it('has the nine prefecture-level divisions and their 88 counties', () => {
    expect(GUIZHOU_REGIONS.map((r) => r.name)).toEqual(['贵阳市', '遵义市', '六盘水市', '安顺市', '毕节市', '铜仁市', '黔东南州', '黔南州', '黔西南州']);
    expect(GUIZHOU_REGIONS.reduce((n, r) => n + r.counties.length, 0)).toBe(88);
  });
  it('maps known spellings to the list name', () => {
    expect(matchRegion('Anshun', REGIONS)).toBe('安顺市');
    expect(matchRegion(' anshun city ', REGIONS)).toBe('安顺市');
    expect(matchRegion('安顺', REGIONS)).toBe('安顺市');
    expect(matchRegion('黔东南苗族侗族自治州', REGIONS)).toBe('黔东南州');
    expect(matchRegion('Huaxi', REGIONS)).toBe('花溪区');
    expect(matchRegion('Atlantis', REGIONS)).toBeNull();
    expect(matchRegion('', REGIONS)).toBeNull();
  });
  it('a partner covers customers of its regions and of their counties', () => {
    expect(regionCovers('遵义市, 贵阳市', 'Guiyang', REGIONS)).toBe(true);
    expect(regionCovers('遵义市', '贵阳市', REGIONS)).toBe(false);
    expect(regionCovers('贵阳市', '花溪区', REGIONS)).toBe(true);
    expect(regionCovers('Anshun', '安顺市', REGIONS)).toBe(true);
  });
});
