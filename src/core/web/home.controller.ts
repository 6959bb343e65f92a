import { Controller, Get, Logger, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { DashboardPanel, ExtensionRegistry } from './discovery';

@ApiExcludeController()
@Controller()
export class HomeController {
  private readonly logger = new Logger('Home');
  constructor(private readonly registry: ExtensionRegistry) {}

  @Get()
  @AnyRole()
  @Render('home/index')
  async home(@CurrentUser() user: Actor) {
    const panels: DashboardPanel[] = [];
    for (const { instance, name } of this.registry.dashboardSections()) {
      try {
        const panel = await instance.sectionFor(user);
        if (panel) panels.push(panel);
      } catch (e) {
        // one broken panel must not take the home page down
        this.logger.error(`dashboard section ${name} failed: ${(e as Error).stack}`);
        panels.push({ title: name, items: [{ label: 'common:panelFailed', tone: 'bad' }] });
      }
    }
    return { title: 'common:nav.home', panels };
  }
}
