import { Body, Controller, Get, NotFoundException, Param, Put, Query, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { SensorsService } from '@tiersight/telemetry';
import { RegisterSensorDto, SensorIdParam, SensorQuery } from './telemetry.dto';

@ApiTags('telemetry')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/sensors')
export class SensorsController {
  constructor(private readonly sensors: SensorsService) {}

  /** Registers or updates a sensor (idempotent). Its id is the resolved SenML name of its readings. */
  @Put(':id')
  async register(@Param() p: SensorIdParam, @Body() body: RegisterSensorDto, @CurrentCaller() caller: Caller) {
    const sensor = await this.sensors.register(caller, p.id, body);
    if (!sensor) throw new UnprocessableEntityException({ message: `site ${body.siteId} does not exist`, error: 'Unknown site' });
    return sensor;
  }

  /** The sensor, its latest value, its recent readings and the state of its rules. */
  @Get(':id')
  async get(@Param() p: SensorIdParam, @Query() q: SensorQuery) {
    const sensor = await this.sensors.get(p.id, q.recent);
    if (!sensor) throw new NotFoundException({ message: `sensor ${p.id} does not exist`, error: 'Not Found' });
    return sensor;
  }
}
