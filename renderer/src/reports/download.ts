/**
 * Downloads made in the page: the CSV the desk wrote, and the chart as a PNG. The chart is
 * recharts' SVG drawn onto a canvas (as a data: image, which the console's CSP allows) with a
 * title and the legend drawn next to it, since recharts' legend is HTML and would be lost.
 */

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(fileName: string, csv: string): void {
  // The BOM makes Excel read the file as UTF-8 (names with accents, emoji).
  downloadBlob(fileName, new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
}

export interface LegendEntry {
  label: string;
  colour: string;
}

const FONT = "13px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
const TITLE_FONT = "600 15px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    image.src = src;
  });
}

/** The chart inside `container` as a PNG with `title` above and `legend` below. */
export async function chartPng(container: HTMLElement, title: string, legend: readonly LegendEntry[]): Promise<Blob> {
  // The legend's icons are small recharts surfaces too: the chart is the largest one.
  let svg: SVGSVGElement | null = null;
  let area = 0;
  for (const candidate of container.querySelectorAll('svg.recharts-surface')) {
    const rect = candidate.getBoundingClientRect();
    if (candidate instanceof SVGSVGElement && rect.width * rect.height > area) {
      svg = candidate;
      area = rect.width * rect.height;
    }
  }
  if (svg === null) throw new Error('there is no chart to save yet');
  const box = svg.getBoundingClientRect();
  const chartWidth = Math.ceil(box.width);
  const height = Math.ceil(box.height);
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(chartWidth));
  copy.setAttribute('height', String(height));
  copy.setAttribute('font-family', 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif');
  const source = new XMLSerializer().serializeToString(copy);
  const image = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`);

  const scale = 2;
  const pad = 16;
  const titleHeight = 32;
  const measure = document.createElement('canvas').getContext('2d');
  if (measure === null) throw new Error('this browser cannot draw images');
  measure.font = TITLE_FONT;
  const width = Math.max(chartWidth, Math.ceil(measure.measureText(title).width));
  measure.font = FONT;
  // Lay the legend out in rows that fit the chart's width.
  const rows: Array<Array<{ entry: LegendEntry; x: number }>> = [[]];
  let x = 0;
  for (const entry of legend) {
    const itemWidth = 18 + measure.measureText(entry.label).width + 18;
    if (x > 0 && x + itemWidth > width) {
      rows.push([]);
      x = 0;
    }
    rows.at(-1)!.push({ entry, x });
    x += itemWidth;
  }
  const legendHeight = legend.length === 0 ? 0 : rows.length * 22 + 8;

  const canvas = document.createElement('canvas');
  canvas.width = (width + pad * 2) * scale;
  canvas.height = (height + titleHeight + legendHeight + pad * 2) * scale;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('this browser cannot draw images');
  context.scale(scale, scale);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width + pad * 2, height + titleHeight + legendHeight + pad * 2);
  context.fillStyle = '#18212f';
  context.font = TITLE_FONT;
  context.textBaseline = 'middle';
  context.fillText(title, pad, pad + titleHeight / 2 - 4);
  context.drawImage(image, pad, pad + titleHeight, chartWidth, height);
  context.font = FONT;
  rows.forEach((row, index) => {
    const y = pad + titleHeight + height + 8 + index * 22 + 11;
    for (const { entry, x: left } of row) {
      context.fillStyle = entry.colour;
      context.fillRect(pad + left, y - 6, 12, 12);
      context.fillStyle = '#3e4a5c';
      context.fillText(entry.label, pad + left + 18, y);
    }
  });
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart could not be saved as PNG'))), 'image/png'));
}
