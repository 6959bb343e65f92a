import { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../core/paths';

/** ECharts from its npm package, served by the portal itself (the CSP allows scripts from 'self' only: no CDN). */
export const ECHARTS_FILE = join(PROJECT_ROOT, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
export const ECHARTS_PATH = '/public/vendor/echarts.min.js';

export function serveEcharts(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  res.sendFile(ECHARTS_FILE, { maxAge: '1d', headers: { 'Content-Type': 'application/javascript; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } }, (err) => (err ? next(err) : undefined));
}
