import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Role } from '../../src/core/auth/actor';
import { PUBLIC_KEY, ROLES_KEY, SERVICE_SCOPE_KEY } from '../../src/core/auth/roles.decorator';

export interface RouteInfo {
  /** "GET /partners/:id" */
  key: string;
  method: string;
  path: string;
  /** what the code declares: 'public', or the roles */
  declared: 'public' | 'service' | Role[] | 'none';
}

/** Every route of the running app, read from Nest's controller metadata (so a new route cannot be forgotten). */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    if (!wrapper.instance || !wrapper.metatype) continue;
    const ctrl = wrapper.metatype;
    const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '');
    const proto = Object.getPrototypeOf(wrapper.instance);
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const paths = Reflect.getMetadata(PATH_METADATA, handler);
      if (paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, ctrl]);
      const roles = reflector.getAllAndOverride<Role[]>(ROLES_KEY, [handler, ctrl]);
      const service = !!reflector.getAllAndOverride<string[]>(SERVICE_SCOPE_KEY, [handler, ctrl]);
      for (const base of bases) {
        for (const p of ([] as string[]).concat(paths)) {
          const path = ('/' + [base, p].map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')).replace(/\/+/g, '/');
          routes.push({ key: `${method} ${path}`, method, path, declared: isPublic ? 'public' : service ? 'service' : roles ? [...roles].sort() : 'none' });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** Fills path parameters with values that exist nowhere (so allowed roles get 404/400, never data). */
export function concretePath(path: string): string {
  return path
    .replace(/:period\b/g, '2099Q1')
    .replace(/:[A-Za-z]*[iI]d\b/g, '987654')
    .replace(/:code\b/g, 'NO-SUCH-CODE')
    .replace(/:[A-Za-z]+/g, 'x');
}
