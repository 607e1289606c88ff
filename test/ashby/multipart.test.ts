import { FilePart, encodeMultipart } from '../../src/ashby/multipart.js';
import { parseMultipart } from '../../src/sandbox/http/multipart.js';

/** The client's multipart encoding reads back through the sandbox's parser: text fields, a binary file, quoting. */
describe('encodeMultipart', () => {
  it('round-trips text fields and a binary file part', () => {
    const bytes = Buffer.from([0, 1, 2, 0x0d, 0x0a, 0x2d, 0x2d, 255]);
    const { contentType, bytes: raw } = encodeMultipart({
      candidateId: 'c-1',
      file: new FilePart('Ada "CV".pdf', 'application/pdf', bytes),
      skipped: undefined,
    });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----ashby-kafka-[0-9a-f]{24}$/);
    const body = parseMultipart(raw, contentType);
    expect(body.candidateId).toBe('c-1');
    expect(body.file).toMatchObject({ filename: 'Ada "CV".pdf', contentType: 'application/pdf', size: bytes.length });
    expect(Object.keys(body)).toEqual(['candidateId', 'file']);
  });

  it('shows a file as its name and size in logs', () => {
    expect(JSON.stringify({ file: new FilePart('a.pdf', 'application/pdf', Buffer.alloc(5)) })).toBe(
      '{"file":{"filename":"a.pdf","contentType":"application/pdf","size":5}}',
    );
  });
});
