/** Under the chart: each code's completions in the range, its share, and per channel. */
import type { DispositionReport } from '../../../electron/core/contract';
import { formatCount } from '../app/format';
import { codeColour, codeKey } from './model';

export function BreakdownTable({ report }: { report: DispositionReport }) {
  return (
    <div className="table-scroll">
      <table className="table breakdown-table" data-testid="breakdown-table">
        <caption className="visually-hidden">
          Completions per disposition code from {report.from} to {report.to}
        </caption>
        <thead>
          <tr>
            <th scope="col">Disposition</th>
            <th scope="col" className="numeric">
              Completed
            </th>
            <th scope="col" className="numeric">
              Share
            </th>
            <th scope="col" className="numeric">
              X
            </th>
            <th scope="col" className="numeric">
              Facebook
            </th>
            <th scope="col" className="numeric">
              Messenger
            </th>
          </tr>
        </thead>
        <tbody>
          {report.breakdown.map((row) => (
            <tr key={codeKey(row.code)} data-testid="breakdown-row">
              <th scope="row">
                <span className="breakdown-code">
                  <span className="swatch" style={{ background: codeColour(row.code) }} aria-hidden="true" />
                  <span>{row.code.name}</span>
                  {row.code.retired && <span className="badge badge-neutral">Retired</span>}
                </span>
              </th>
              <td className="numeric">{formatCount(row.total)}</td>
              <td className="numeric">{row.percent.toFixed(1)}%</td>
              <td className="numeric">{formatCount(row.byChannel.x)}</td>
              <td className="numeric">{formatCount(row.byChannel.facebook)}</td>
              <td className="numeric">{formatCount(row.byChannel.messenger)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="numeric" data-testid="breakdown-total">
              {formatCount(report.total)}
            </td>
            <td className="numeric">{report.total === 0 ? '—' : '100%'}</td>
            <td className="numeric">{formatCount(report.breakdown.reduce((n, row) => n + row.byChannel.x, 0))}</td>
            <td className="numeric">{formatCount(report.breakdown.reduce((n, row) => n + row.byChannel.facebook, 0))}</td>
            <td className="numeric">{formatCount(report.breakdown.reduce((n, row) => n + row.byChannel.messenger, 0))}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
