import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';

/**
 * Extension points found by discovery, so a module adds itself without editing core files:
 * - @DemoSeed(order): a provider with `seed(ctx)` that adds the module's demo data (seed-demo runs them by order);
 * - @DashboardSection(order): a provider with `sectionFor(actor, ctx)` that adds panels (lines, or a chart with its table)
 *   to the home page; see docs/dashboards.md.
 */
export const DEMO_SEED = 'portal:demo-seed';
export const DASHBOARD_SECTION = 'portal:dashboard-section';
export const DemoSeed = (order: number) => SetMetadata(DEMO_SEED, order);
export const DashboardSection = (order: number) => SetMetadata(DASHBOARD_SECTION, order);

export interface DemoSeedContext {
  manager: EntityManager;
  actor: Actor;
  /** demo logins created so far, printed at the end: username -> role/partner */
  logins: { username: string; password: string; role: string; note?: string }[];
  /** a shared bag modules may use to pass ids to later seeders (e.g. partner codes by state) */
  bag: Record<string, unknown>;
  log(message: string): void;
}
export interface DemoSeeder { seed(ctx: DemoSeedContext): Promise<void> }

/**
 * A chart drawn in the browser by /public/charts.js (Apache ECharts). Every text in it is already translated (the
 * context's `t`): the page sends it as a JSON data block, never as script. Numbers may be decimal strings.
 */
export interface DashboardChart {
  kind: 'bar' | 'line' | 'heatmap' | 'funnel';
  /** bars of the series stacked */
  stacked?: boolean;
  /** x axis (bar/line/heatmap) or the funnel's steps */
  categories: string[];
  series: { name: string; data: (number | string | null)[]; kind?: 'bar' | 'line'; yAxis?: 0 | 1 }[];
  /** names of the value axes (a second one for a line over bars) */
  axes?: string[];
  /** heat map: y categories and [x index, y index, value] cells */
  yCategories?: string[];
  cells?: [number, number, number][];
  /** reference lines: at a category (x), a value (y), or between categories (`between: 1` = after the first) */
  marks?: { x?: string; y?: number; between?: number; name: string }[];
}
/** The chart's numbers as an accessible table beside it (cells: catalogue keys or plain text; money as decimal strings). */
export interface DashboardTable {
  columns: { label: string; num?: boolean }[];
  rows: { cells: (string | number | null)[]; href?: string }[];
}
/** Texts are catalogue keys (or plain data such as names), with params for their placeholders. */
export interface DashboardPanel {
  title: string;
  titleParams?: Record<string, unknown>;
  /** short lines with an optional link and a tone for colour */
  items: { label: string; labelParams?: Record<string, unknown>; value?: string | number; valueParams?: Record<string, unknown>; href?: string; tone?: 'ok' | 'warn' | 'bad' }[];
  emptyText?: string;
  chart?: DashboardChart;
  table?: DashboardTable;
  /** a wide panel takes a whole row (charts with many bars) */
  wide?: boolean;
}
/** What the home page was asked for: the period filter (`?period=2026Q3`, default the current quarter) and the reader's language. */
export interface DashboardContext {
  period: string;
  /** translates a key into the reader's language (chart texts are sent translated) */
  t(key: string, params?: Record<string, unknown>): string;
}
export interface DashboardContributor {
  sectionFor(actor: Actor, ctx: DashboardContext): Promise<DashboardPanel | DashboardPanel[] | null>;
}

@Injectable()
export class ExtensionRegistry {
  constructor(private readonly discovery: DiscoveryService) {}

  private find<T>(key: string): { order: number; instance: T; name: string }[] {
    return this.discovery.getProviders()
      .filter((w) => w.metatype && w.instance && Reflect.getMetadata(key, w.metatype) !== undefined)
      .map((w) => ({ order: Reflect.getMetadata(key, w.metatype!) as number, instance: w.instance as T, name: String(w.name) }))
      .sort((a, b) => a.order - b.order);
  }

  demoSeeders() { return this.find<DemoSeeder>(DEMO_SEED); }
  dashboardSections() { return this.find<DashboardContributor>(DASHBOARD_SECTION); }
}
