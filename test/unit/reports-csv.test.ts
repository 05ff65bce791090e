/** The CSV writer: RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../electron/core/reports/csv';

describe('CSV cells', () => {
  it('are written as they are when nothing in them needs quoting', () => {
    expect(csvCell('Resolved')).toBe('Resolved');
    expect(csvCell('Zoë Martín 😡')).toBe('Zoë Martín 😡');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('are quoted when they hold a comma, a quote or a line break, with quotes doubled', () => {
    expect(csvCell('Ek, Björn')).toBe('"Ek, Björn"');
    expect(csvCell('said "thanks"')).toBe('"said ""thanks"""');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('line one\r\nline two')).toBe('"line one\r\nline two"');
  });

  it('get an apostrophe when text starts like a formula (= + - @, tab, carriage return)', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 6 12 34 56 78')).toBe("'+33 6 12 34 56 78");
    expect(csvCell('-2 stars')).toBe("'-2 stars");
    expect(csvCell('@acme help')).toBe("'@acme help");
    expect(csvCell('\t=cmd')).toBe("'\t=cmd");
    expect(csvCell('\r=cmd')).toBe('"\'\r=cmd"');
    // Both at once: the apostrophe goes inside the quotes.
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe('"\'=HYPERLINK(""http://evil.example"",""click"")"');
    // Only at the start: an equals sign inside a sentence is just text.
    expect(csvCell('a = b')).toBe('a = b');
  });

  it('keep numbers as numbers, negative ones included', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(300)).toBe('300');
    expect(csvCell(Number.NaN)).toBe('');
  });
});

describe('a CSV file', () => {
  it('has the header, one record per row, CRLF between records and at the end', () => {
    expect(toCsv(['id', 'contact'], [[1, 'Ana'], [2, 'Ek, Björn']])).toBe('id,contact\r\n1,Ana\r\n2,"Ek, Björn"\r\n');
    expect(toCsv(['id'], [])).toBe('id\r\n');
  });
});
