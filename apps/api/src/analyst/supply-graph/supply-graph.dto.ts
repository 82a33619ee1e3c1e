export { PageQuery } from '../../http/pagination.dto';
export { IdParam } from '../../http/property-rules';
import { OptionalInteger } from '../../http/property-rules';

export class DepthQuery {
  @OptionalInteger({ minimum: 1, maximum: 10, default: 3 })
  depth = 3;
}
