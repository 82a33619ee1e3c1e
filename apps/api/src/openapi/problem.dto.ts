import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Problem as ProblemBody } from '../http/problem';

/** One row-level problem: which row (by index, or by line of a CSV file), which field, what is wrong. */
export class ProblemRowError {
  @ApiPropertyOptional({ description: 'the entity of the row (suppliers, sites, links, …)' })
  entity?: string;

  @ApiPropertyOptional({ description: 'index of the row in its list (0-based)' })
  index?: number;

  @ApiPropertyOptional({ description: 'row number in an uploaded file' })
  row?: number;

  @ApiPropertyOptional({ description: 'line of an uploaded CSV file' })
  line?: number;

  @ApiPropertyOptional()
  field?: string;

  @ApiPropertyOptional({
    description: 'JSON pointer (RFC 6901) to the failing place of a JSON document (an EPCIS capture)',
    example: '/epcisBody/eventList/3/bizStep',
  })
  pointer?: string;

  @ApiPropertyOptional({ description: 'index of the event in the document, when the problem is in one' })
  eventIndex?: number;

  @ApiProperty()
  message: string;
}

/** Every answer other than 2xx: application/problem+json (RFC 9457), as the problem filter writes it. */
export class Problem implements ProblemBody {
  @ApiProperty({ description: 'a stable URI per kind of problem', example: 'https://tiersight.dev/problems/not-found' })
  type: string;

  @ApiProperty({ example: 'Not found' })
  title: string;

  @ApiProperty({ example: 404 })
  status: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ description: 'the request path' })
  instance?: string;

  @ApiPropertyOptional()
  requestId?: string;

  @ApiPropertyOptional({ description: 'with a 5xx: the id under which the error was logged' })
  errorId?: string;

  @ApiPropertyOptional({ type: [ProblemRowError], description: 'row-level problems (validation, imports, disclosures)' })
  errors?: ProblemRowError[];
}
