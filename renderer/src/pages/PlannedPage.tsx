import { useDeskSnapshot } from '../state/hooks';
import { pageInfo, type PageInfo } from './catalog';
import { DeskGlance } from './DeskGlance';
import { PageHeader } from './PageHeader';
import { PlannedCard } from './PlannedCard';
import type { PageId } from '../app/routes';

/** Pages on the roadmap. Calendar also shows the live desk state, which exists today. */
const showsGlance: ReadonlySet<PageId> = new Set<PageId>(['calendar']);

export function PlannedPage({ id }: { id: PageId }) {
  const page: PageInfo = pageInfo(id);
  const { status } = useDeskSnapshot();
  return (
    <>
      <PageHeader page={page} />
      {showsGlance.has(id) && status !== null && <DeskGlance status={status} />}
      {page.planned !== null && <PlannedCard page={page} planned={page.planned} />}
    </>
  );
}
