/*
 * Draws the dashboard charts with Apache ECharts (served by the portal at /public/vendor/echarts.min.js).
 * No inline script: each chart's description is a <script type="application/json"> block named by the
 * chart element's data-chart attribute. All texts in it are already translated by the server.
 */
(function () {
  'use strict';
  if (!window.echarts) return;
  var zh = (document.documentElement.lang || 'zh-CN').toLowerCase().indexOf('zh') === 0;
  var palette = ['#0d5cab', '#2e9e6b', '#e0a100', '#b42318', '#7a4fb5', '#3aa3c4', '#8a6d3b'];

  function num(v) { return v === null || v === undefined || v === '' ? null : Number(v); }

  function cartesian(spec) {
    var axes = spec.axes && spec.axes.length ? spec.axes : [''];
    var marks = spec.marks || [];
    var series = spec.series.map(function (s, i) {
      var kind = s.kind || spec.kind;
      var out = { name: s.name, type: kind, data: s.data.map(num), yAxisIndex: s.yAxis || 0 };
      if (spec.stacked && kind === 'bar') out.stack = 'all';
      if (kind === 'line') { out.smooth = false; out.symbolSize = 7; out.connectNulls = true; }
      var own = marks.filter(function (m) { return m.between === undefined; });
      if (i === 0 && own.length) {
        out.markLine = { symbol: 'none', silent: true, label: { formatter: '{b}', position: 'insideEndTop' }, lineStyle: { type: 'dashed', color: '#b42318' },
          data: own.map(function (m) { return m.x !== undefined ? { xAxis: m.x, name: m.name } : { yAxis: m.y, name: m.name }; }) };
      }
      return out;
    });
    // lines between two categories (e.g. the 60 and 90 score lines of a histogram): a hidden value axis over the
    // category axis, one unit per category, carries them
    var between = marks.filter(function (m) { return m.between !== undefined; });
    // a few categories (roles, stages) all keep their label, wrapped if need be; long series (quarters, days) thin out
    var few = spec.categories.length <= 6;
    var xAxes = [{ type: 'category', data: spec.categories, axisLabel: few ? { interval: 0, width: 64, overflow: 'break' } : { hideOverlap: true } }];
    if (between.length) {
      xAxes.push({ type: 'value', min: 0, max: spec.categories.length, show: false });
      series.push({ type: 'line', xAxisIndex: 1, data: [], silent: true, tooltip: { show: false },
        markLine: { symbol: 'none', silent: true, label: { formatter: '{b}', position: 'end' }, lineStyle: { type: 'dashed', color: '#b42318', width: 2 },
          data: between.map(function (m) { return { xAxis: m.between, name: m.name }; }) } });
    }
    return {
      color: palette,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      // a named value axis (e.g. 元) puts its name above the plot: leave it a line below the legend
      grid: { left: 8, right: 16, bottom: 8, top: axes.some(function (a) { return !!a; }) ? 60 : 36, containLabel: true },
      xAxis: xAxes,
      yAxis: axes.map(function (name, i) { return { type: 'value', name: name, position: i ? 'right' : 'left', splitLine: { show: i === 0 },
        nameTextStyle: { align: i ? 'right' : 'left' } }; }),
      series: series,
    };
  }

  function heatmap(spec) {
    var max = 0;
    (spec.cells || []).forEach(function (c) { if (c[2] > max) max = c[2]; });
    return {
      tooltip: { position: 'top' },
      grid: { left: 8, right: 16, bottom: 56, top: 8, containLabel: true },
      xAxis: { type: 'category', data: spec.categories, splitArea: { show: true }, axisLabel: { rotate: 30 } },
      yAxis: { type: 'category', data: spec.yCategories || [], splitArea: { show: true } },
      visualMap: { min: 0, max: Math.max(1, max), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3f7fb', '#e0a100', '#b42318'] } },
      series: [{ name: spec.series[0] ? spec.series[0].name : '', type: 'heatmap', data: spec.cells || [], label: { show: true } }],
    };
  }

  function funnel(spec) {
    var s = spec.series[0] || { name: '', data: [] };
    return {
      color: palette,
      tooltip: { trigger: 'item' },
      series: [{ name: s.name, type: 'funnel', sort: 'none', left: '10%', width: '80%', label: { show: true, position: 'inside', formatter: '{b}: {c}' },
        data: spec.categories.map(function (c, i) { return { name: c, value: num(s.data[i]) }; }) }],
    };
  }

  var charts = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var block = document.getElementById(el.getAttribute('data-chart'));
    if (!block) return;
    var spec;
    try { spec = JSON.parse(block.textContent || '{}'); } catch (e) { return; }
    var option = spec.kind === 'heatmap' ? heatmap(spec) : spec.kind === 'funnel' ? funnel(spec) : cartesian(spec);
    // SVG keeps the text crisp and lets tests find the drawing; animation off so screenshots are complete at once
    var chart = window.echarts.init(el, null, { renderer: 'svg', locale: zh ? 'ZH' : 'EN' });
    option.animation = false;
    chart.setOption(option);
    el.setAttribute('data-drawn', 'true');
    charts.push(chart);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
