import { englishWordsOnPage, rawKeys, visibleText } from './page-text';

describe('page text checks (used by the every-page i18n test)', () => {
  it('reads visible text and tooltip attributes, not scripts, codes or form values', () => {
    const html = '<html><head><style>.a{}</style></head><body><h1 title="合作伙伴列表">合作伙伴</h1><script>var x="Partner"</script>'
      + '<code>partner.suspend</code><input name="q" value="Guiyang" placeholder="编码或名称"><p>共 3 条</p></body></html>';
    expect(visibleText(html)).toBe('合作伙伴 共 3 条 合作伙伴列表 编码或名称');
  });
  it('finds raw keys', () => {
    expect(rawKeys('合作伙伴 partners:list.title 共 3 条 https://x.y/a')).toEqual(['partners:list.title']);
  });
  it('finds English UI words but lets data, codes and abbreviations through', () => {
    const data = new Set(['guiyang', 'bigdata']);
    expect(englishWordsOnPage('合作伙伴 Partners 状态 Active 导出 Excel CSV GY-P-0001 Guiyang wang@example.com 合同.pdf', data)).toEqual(['Partners', 'Active']);
    expect(englishWordsOnPage('中文 Huangguoshu 合作伙伴 P 1.000000 Y 92.50', data)).toEqual([]);
  });
});
