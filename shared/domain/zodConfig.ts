import { z } from 'zod';

/**
 * zod 4 probes once whether `new Function` is allowed, to compile fast object parsers. Under the
 * server's Content Security Policy (no 'unsafe-eval', see server/http/securityHeaders.ts) the
 * browser blocks the probe and reports a `securitypolicyviolation`, although zod catches the
 * error. `jitless` skips the probe: parsing is interpreted, with identical results, on the client
 * and (for consistency) on the server. Imported for its effect by every module that defines a
 * schema, so it runs before the first parse whichever module is loaded first.
 */
z.config({ jitless: true });
