import { pages } from '../pages/catalog';
import { LogoMark } from './icons';
import { hrefFor, type PageId } from './routes';

export function Sidebar({ current, version }: { current: PageId; version: string | null }) {
  return (
    // The column carries the dark background the full height of the page; the nav inside stays put.
    <div className="sidebar-column">
      <nav className="sidebar" aria-label="Pages">
        <div className="sidebar-brand">
          <LogoMark />
          <span className="sidebar-brand-text">
            <span className="sidebar-brand-name">Social Care Desk</span>
            <span className="sidebar-brand-sub">Console</span>
          </span>
        </div>
        <ul className="sidebar-list">
          {pages.map((page) => {
            const Icon = page.icon;
            const active = page.id === current;
            return (
              <li key={page.id}>
                <a className="sidebar-link" href={hrefFor(page.id)} title={page.title} aria-current={active ? 'page' : undefined}>
                  <Icon size={18} />
                  <span>{page.title}</span>
                </a>
              </li>
            );
          })}
        </ul>
        <p className="sidebar-footer">{version === null ? '\u00a0' : `Desk version ${version}`}</p>
      </nav>
    </div>
  );
}
