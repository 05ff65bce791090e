/**
 * The Content-Security-Policy the shell sends with every console response.
 *
 * The renderer's index.html carries its own meta CSP; this header is the second layer. When both
 * are present the browser enforces each of them, so the page gets the stricter of the two and a
 * mistake in one file does not open the door. The header can also say what a meta tag cannot
 * (frame-ancestors).
 *
 * In Electron the console talks to the desk over IPC only, so nothing here allows a remote host:
 * no remote scripts, no remote images (customer avatars would double as tracking pixels), no
 * inline script or eval.
 */
const directives: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'manifest-src': "'self'",
  'worker-src': "'none'",
  'frame-src': "'none'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

export const CONTENT_SECURITY_POLICY = Object.entries(directives)
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');
