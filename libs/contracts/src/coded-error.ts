/** One bad field of a request. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The base of every library's domain error: a stable code from the library's
 * own enum (callers map codes, never messages), the message, and optional
 * details such as the rows or fields a request was refused for. The name is
 * the class's own, so logs tell the libraries' errors apart.
 */
export class CodedError<C extends string, D = undefined> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: D,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
