/**
 * Guizhou's prefecture-level divisions and their counties (the reference list the portal starts with; admins edit it
 * afterwards). `prefix` is the two-or-three-letter code used in generated partner codes.
 */
export interface RegionSeed { name: string; nameEn: string; prefix: string; aliases: string[]; counties: [string, string][] }

export const GUIZHOU_REGIONS: RegionSeed[] = [
  { name: '贵阳市', nameEn: 'Guiyang', prefix: 'GY', aliases: ['贵阳', 'Guiyang City'], counties: [
    ['南明区', 'Nanming'], ['云岩区', 'Yunyan'], ['花溪区', 'Huaxi'], ['乌当区', 'Wudang'], ['白云区', 'Baiyun'], ['观山湖区', 'Guanshanhu'],
    ['开阳县', 'Kaiyang'], ['息烽县', 'Xifeng'], ['修文县', 'Xiuwen'], ['清镇市', 'Qingzhen']] },
  { name: '遵义市', nameEn: 'Zunyi', prefix: 'ZY', aliases: ['遵义', 'Zunyi City'], counties: [
    ['红花岗区', 'Honghuagang'], ['汇川区', 'Huichuan'], ['播州区', 'Bozhou'], ['桐梓县', 'Tongzi'], ['绥阳县', 'Suiyang'], ['正安县', "Zheng'an"],
    ['道真仡佬族苗族自治县', 'Daozhen'], ['务川仡佬族苗族自治县', 'Wuchuan'], ['凤冈县', 'Fenggang'], ['湄潭县', 'Meitan'], ['余庆县', 'Yuqing'],
    ['习水县', 'Xishui'], ['赤水市', 'Chishui'], ['仁怀市', 'Renhuai']] },
  { name: '六盘水市', nameEn: 'Liupanshui', prefix: 'LPS', aliases: ['六盘水', 'Liupanshui City'], counties: [
    ['钟山区', 'Zhongshan'], ['六枝特区', 'Liuzhi'], ['水城区', 'Shuicheng'], ['盘州市', 'Panzhou']] },
  { name: '安顺市', nameEn: 'Anshun', prefix: 'AS', aliases: ['安顺', 'Anshun City'], counties: [
    ['西秀区', 'Xixiu'], ['平坝区', 'Pingba'], ['普定县', 'Puding'], ['镇宁布依族苗族自治县', 'Zhenning'], ['关岭布依族苗族自治县', 'Guanling'],
    ['紫云苗族布依族自治县', 'Ziyun']] },
  { name: '毕节市', nameEn: 'Bijie', prefix: 'BJ', aliases: ['毕节', 'Bijie City'], counties: [
    ['七星关区', 'Qixingguan'], ['大方县', 'Dafang'], ['黔西市', 'Qianxi'], ['金沙县', 'Jinsha'], ['织金县', 'Zhijin'], ['纳雍县', 'Nayong'],
    ['威宁彝族回族苗族自治县', 'Weining'], ['赫章县', 'Hezhang']] },
  { name: '铜仁市', nameEn: 'Tongren', prefix: 'TR', aliases: ['铜仁', 'Tongren City'], counties: [
    ['碧江区', 'Bijiang'], ['万山区', 'Wanshan'], ['江口县', 'Jiangkou'], ['玉屏侗族自治县', 'Yuping'], ['石阡县', 'Shiqian'], ['思南县', 'Sinan'],
    ['印江土家族苗族自治县', 'Yinjiang'], ['德江县', 'Dejiang'], ['沿河土家族自治县', 'Yanhe'], ['松桃苗族自治县', 'Songtao']] },
  { name: '黔东南州', nameEn: 'Qiandongnan', prefix: 'QDN', aliases: ['黔东南苗族侗族自治州', '黔东南', 'Qiandongnan Prefecture'], counties: [
    ['凯里市', 'Kaili'], ['黄平县', 'Huangping'], ['施秉县', 'Shibing'], ['三穗县', 'Sansui'], ['镇远县', 'Zhenyuan'], ['岑巩县', 'Cengong'],
    ['天柱县', 'Tianzhu'], ['锦屏县', 'Jinping'], ['剑河县', 'Jianhe'], ['台江县', 'Taijiang'], ['黎平县', 'Liping'], ['榕江县', 'Rongjiang'],
    ['从江县', 'Congjiang'], ['雷山县', 'Leishan'], ['麻江县', 'Majiang'], ['丹寨县', 'Danzhai']] },
  { name: '黔南州', nameEn: 'Qiannan', prefix: 'QN', aliases: ['黔南布依族苗族自治州', '黔南', 'Qiannan Prefecture'], counties: [
    ['都匀市', 'Duyun'], ['福泉市', 'Fuquan'], ['荔波县', 'Libo'], ['贵定县', 'Guiding'], ['瓮安县', "Weng'an"], ['独山县', 'Dushan'],
    ['平塘县', 'Pingtang'], ['罗甸县', 'Luodian'], ['长顺县', 'Changshun'], ['龙里县', 'Longli'], ['惠水县', 'Huishui'], ['三都水族自治县', 'Sandu']] },
  { name: '黔西南州', nameEn: 'Qianxinan', prefix: 'QXN', aliases: ['黔西南布依族苗族自治州', '黔西南', 'Qianxinan Prefecture'], counties: [
    ['兴义市', 'Xingyi'], ['兴仁市', 'Xingren'], ['普安县', "Pu'an"], ['晴隆县', 'Qinglong'], ['贞丰县', 'Zhenfeng'], ['望谟县', 'Wangmo'],
    ['册亨县', 'Ceheng'], ['安龙县', 'Anlong']] },
];
