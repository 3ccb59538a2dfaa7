// Preloaded (node --require) into Electron's own install script by scripts/start.ts. It changes
// nothing about the download; it only reports on it, on stderr, in lines start.ts reads:
//   @poster-catalogue progress <bytes> <total bytes or 0>
//   @poster-catalogue failed <url> <error code, else message>
// The install script itself prints only a stack trace ("fetch failed") that hides the cause.
'use strict';

const original = globalThis.fetch;
const report = (line) => process.stderr.write(`@poster-catalogue ${line}\n`);

globalThis.fetch = async function reportingFetch(input, init) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  let response;
  try {
    response = await original(input, init);
  } catch (error) {
    const cause = error && error.cause;
    report(`failed ${url} ${(cause && (cause.code || cause.message)) || (error && error.message) || 'unknown error'}`);
    throw error;
  }
  if (!response.ok || !response.body) return response;
  const total = Number(response.headers.get('content-length')) || 0;
  let bytes = 0;
  let last = 0;
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (Date.now() - last > 500) {
          last = Date.now();
          report(`progress ${bytes} ${total}`);
        }
        controller.enqueue(chunk);
      },
      flush() {
        report(`progress ${bytes} ${total}`);
      },
    }),
  );
  const wrapped = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(wrapped, 'url', { value: response.url });
  return wrapped;
};
