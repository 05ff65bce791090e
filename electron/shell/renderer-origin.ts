/**
 * Where the console page lives inside the Electron app.
 *
 * The page is served from a custom `app://desk/` origin instead of `file://`: a file URL would
 * give the page a file-system-wide opaque origin (and, unless the grantFileProtocolExtraPrivileges
 * fuse is off, extra privileges such as fetch over file://), while a privileged standard scheme
 * gives it one origin of its own that only our handler answers. Navigation checks, the IPC sender
 * check and the CSP header all key off this one origin.
 */
export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'desk';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY_URL = `${RENDERER_ORIGIN}/index.html`;

/** True when `url` is a page or resource of our own console origin (and nothing else). */
export function isRendererUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Compared part by part: Node's URL reports origin "null" for non-special schemes, and a
  // prefix test would let `app://desk.evil/` or `app://desk@evil/` through.
  return (
    parsed.protocol === `${RENDERER_SCHEME}:` &&
    parsed.hostname === RENDERER_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
