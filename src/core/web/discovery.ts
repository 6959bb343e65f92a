import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';

/**
 * Extension points found by discovery, so a module adds itself without editing core files:
 * - @DemoSeed(order): a provider with `seed(ctx)` that adds the module's demo data (seed-demo runs them by order);
 * - @DashboardSection(order): a provider with `sectionFor(actor)` that adds a panel to the home page.
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

/** Texts are catalogue keys (or plain data such as names), with params for their placeholders. */
export interface DashboardPanel {
  title: string;
  titleParams?: Record<string, unknown>;
  /** short lines with an optional link and a tone for colour */
  items: { label: string; labelParams?: Record<string, unknown>; value?: string | number; valueParams?: Record<string, unknown>; href?: string; tone?: 'ok' | 'warn' | 'bad' }[];
  emptyText?: string;
}
export interface DashboardContributor { sectionFor(actor: Actor): Promise<DashboardPanel | null> }

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
