import { pageInfo, type PageInfo } from './catalog';
import { PageHeader } from './PageHeader';
import { PlannedCard } from './PlannedCard';
import type { PageId } from '../app/routes';

/** Pages on the roadmap: what they will do, plainly. */
export function PlannedPage({ id }: { id: PageId }) {
  const page: PageInfo = pageInfo(id);
  return (
    <>
      <PageHeader page={page} />
      {page.planned !== null && <PlannedCard page={page} planned={page.planned} />}
    </>
  );
}
