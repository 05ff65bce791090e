import { useEffect } from 'react';
import type { PageInfo } from './catalog';

/** The page title. App focuses it (by id) after navigation so screen-reader users hear where they arrived. */
export function PageHeader({ page }: { page: PageInfo }) {
  useEffect(() => {
    document.title = `${page.title} · Social Care Desk`;
  }, [page.title]);
  return (
    <div className="page-header">
      <h1 tabIndex={-1} className="page-title" id="page-title">
        {page.title}
      </h1>
      <p className="page-description">{page.description}</p>
    </div>
  );
}
