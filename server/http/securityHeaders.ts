import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers (helmet) with a Content Security Policy the built client satisfies (checked
 * in Chromium by tests/e2e/csp.test.ts):
 *
 * - scripts, styles, fonts and fetches only from our own origin; no inline or eval'd script,
 *   so an injected <script> or on* attribute does not run;
 * - `style-src 'unsafe-inline'`: Tiptap injects its base stylesheet as a <style> element and the
 *   collaboration carets colour themselves with style="" attributes. Inline styles cannot run
 *   code; the residual risk (CSS-based exfiltration from injected markup) is small next to
 *   breaking the editor, and a nonce would need the client to thread it through Tiptap;
 * - `connect-src 'self'` plus the ws:/wss: form of every allowed origin, for the collaboration
 *   socket (older browsers do not let 'self' cover WebSockets);
 * - `img-src data:` for the inline SVG favicon; `frame-ancestors 'none'` against click-jacking.
 *
 * HSTS and upgrade-insecure-requests only when the server is configured for HTTPS: on plain
 * HTTP they would break access by any name other than localhost.
 */
export function securityHeaders(options: { origins: string[]; https: boolean }): RequestHandler {
  // CSP host sources cannot be IPv6 literals ([::1]); 'self' covers the page's own origin anyway.
  const socketOrigins = options.origins.filter((origin) => !origin.includes('[')).map((origin) => origin.replace(/^http/, 'ws'));
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...socketOrigins],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600 } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}
