import { Controller, Get, Logger, Query, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { Actor } from '../auth/actor';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { periodOfDate, previousPeriod, todayIso } from '../period/period.util';
import { DashboardContext, DashboardPanel, ExtensionRegistry } from './discovery';

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The period filter's choices: the current quarter and the eleven before it. */
export function recentPeriods(count = 12, today = todayIso()): string[] {
  const out = [periodOfDate(today).code];
  while (out.length < count) out.push(previousPeriod(out[out.length - 1]).code);
  return out;
}

@ApiExcludeController()
@Controller()
export class HomeController {
  private readonly logger = new Logger('Home');
  constructor(private readonly registry: ExtensionRegistry) {}

  @Get()
  @AnyRole()
  @Render('home/index')
  async home(@CurrentUser() user: Actor, @Query('period') periodParam: unknown, @Req() req: Request) {
    const periods = recentPeriods();
    // anything else in the query string is ignored: the dashboard never fails on a hand-edited URL
    const period = typeof periodParam === 'string' && periods.includes(periodParam) ? periodParam : periods[0];
    const ctx: DashboardContext = { period, t: (key, params) => req.t(key, params) };
    const panels: (DashboardPanel & { chartJson?: string; chartId?: string })[] = [];
    for (const { instance, name } of this.registry.dashboardSections()) {
      try {
        const found = await instance.sectionFor(user, ctx);
        for (const panel of Array.isArray(found) ? found : found ? [found] : []) panels.push(panel);
      } catch (e) {
        // one broken panel must not take the home page down
        this.logger.error(`dashboard section ${name} failed: ${(e as Error).stack}`);
        panels.push({ title: name, items: [{ label: 'common:panelFailed', tone: 'bad' }] });
      }
    }
    panels.forEach((p, i) => {
      if (p.chart) { p.chartId = `chart-${i + 1}`; p.chartJson = jsonForScript(p.chart); }
    });
    const charts = panels.filter((p) => p.chart);
    return { title: 'common:nav.home', panels: panels.filter((p) => !p.chart), charts, periods, period, hasCharts: charts.length > 0 };
  }
}
