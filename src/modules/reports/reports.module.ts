import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { AdminDashboard } from './dashboards/admin.dashboard';
import { FinanceDashboard } from './dashboards/finance.dashboard';
import { ManagerDashboard } from './dashboards/manager.dashboard';
import { PartnerDashboard } from './dashboards/partner.dashboard';
import { serveEcharts } from './echarts-asset';
import { ReportCommands } from './reports.commands';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Reports (filter, sort, pages, .xlsx/CSV), the quarter-end pack, and the role dashboards' charts on the home page. */
@Module({
  imports: [RegionsModule],
  controllers: [ReportsController],
  providers: [ReportsService, PartnerDashboard, ManagerDashboard, FinanceDashboard, AdminDashboard, ...ReportCommands],
  exports: [ReportsService],
})
export class ReportsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(serveEcharts).forRoutes({ path: 'public/vendor/echarts.min.js', method: RequestMethod.GET });
  }
}
