import { CodedError } from './coded-error';

enum SampleCode {
  Refused = 'SAMPLE_REFUSED',
}

class SampleError extends CodedError<SampleCode, { errors?: { field: string; message: string }[] }> {}
class NarrowerError extends SampleError {}

describe('CodedError', () => {
  it('keeps the code, message and details, and takes the name of the class thrown', () => {
    const error = new NarrowerError(SampleCode.Refused, 'no', { errors: [{ field: 'url', message: 'bad' }] });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SampleError);
    expect(error).toBeInstanceOf(NarrowerError);
    expect(error.name).toBe('NarrowerError');
    expect(error.code).toBe('SAMPLE_REFUSED');
    expect(error.message).toBe('no');
    expect(error.details?.errors).toEqual([{ field: 'url', message: 'bad' }]);
    expect(new SampleError(SampleCode.Refused, 'no').name).toBe('SampleError');
  });
});
