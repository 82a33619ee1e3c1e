import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@tiersight/access';

/** GET /v1/me: who the key in the Authorization header stands for. */
export class KeyIdentity {
  @ApiProperty({ type: String })
  keyId: string;

  @ApiProperty({ type: String, enum: ROLES })
  role: Role;

  @ApiProperty({ type: String, nullable: true, description: 'the supplier a supplier key is bound to; null for other roles' })
  supplierId: string | null;
}
