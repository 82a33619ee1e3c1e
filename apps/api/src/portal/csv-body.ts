import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/** Reads a `text/csv` request body (the JSON parser leaves other types unread), refusing more than `maxBytes`. */
export async function readCsvBody(req: Request, maxBytes: number): Promise<string> {
  if (!req.is('text/csv')) throw new UnsupportedMediaTypeException('send the file as text/csv');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeException(`a CSV file may be at most ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.unpipe?.();
      throw new PayloadTooLargeException(`a CSV file may be at most ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
