import { CheckIcon, InfoIcon } from '../app/icons';
import type { PageInfo, PlannedWork } from './catalog';

/** A finished-looking, honest empty state: this page is not built yet, and here is what it will do. */
export function PlannedCard({ page, planned }: { page: PageInfo; planned: PlannedWork }) {
  const Icon = page.icon;
  return (
    <section className="card planned" aria-labelledby={`planned-${page.id}`} data-testid="planned-card">
      <div className="planned-main">
        <div className="planned-icon" aria-hidden="true">
          <Icon size={28} />
        </div>
        <span className="badge badge-neutral">Not built yet</span>
        <h2 id={`planned-${page.id}`} className="planned-title">
          {planned.headline}
        </h2>
        <p className="planned-summary">{planned.summary}</p>
        {planned.meanwhile !== undefined && (
          <p className="planned-meanwhile">
            <InfoIcon size={16} />
            <span>{planned.meanwhile}</span>
          </p>
        )}
      </div>
      <div className="planned-side">
        <h3 className="planned-subtitle">What this page will show</h3>
        <ul className="planned-list">
          {planned.willShow.map((item) => (
            <li key={item}>
              <CheckIcon size={16} />
              <span>{item}</span>
            </li>
          ))}
        </ul>
      </div>
      <p className="planned-refs">
        <span>Design requirements</span>
        {planned.requirements.map((requirement) => (
          <span key={requirement} className="chip">
            {requirement}
          </span>
        ))}
      </p>
    </section>
  );
}
