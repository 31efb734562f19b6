/** Writing SVG as text: escaped, self-contained, no style sheet (every colour and size is an attribute). */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type Attrs = Record<string, string | number | undefined | null>;

function attributes(attrs: Attrs): string {
  let out = '';
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === '') continue;
    out += ` ${key}="${escapeXml(typeof value === 'number' ? String(round(value)) : value)}"`;
  }
  return out;
}

/** Numbers to at most two decimals: the file stays small and diffs stay stable. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** One element: `children` are already SVG text; a string child of a text element is escaped by `text()`. */
export function tag(name: string, attrs: Attrs, ...children: string[]): string {
  const inner = children.join('');
  return inner ? `<${name}${attributes(attrs)}>${inner}</${name}>` : `<${name}${attributes(attrs)}/>`;
}

export function text(attrs: Attrs, content: string): string {
  return `<text${attributes(attrs)}>${escapeXml(content)}</text>`;
}

export const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const SVG_NS = 'http://www.w3.org/2000/svg';
