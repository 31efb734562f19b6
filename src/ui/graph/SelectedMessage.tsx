import { CLIENT } from '../../sim/types';
import { nodeName, typeLabel } from '../../store/describe';
import { useLab } from '../../store/context';
import { wirePoint, type GraphLayout } from './layout';
import { nodeAt } from './MessageLayer';
import { colourClass } from './palette';

/**
 * The message picked in the space-time diagram, drawn over its wire in the graph: the two views point at the same
 * thing, whether it is still flying or long delivered.
 */
export function SelectedMessage({ layout }: { layout: GraphLayout }) {
  const id = useLab((s) => s.selection.message);
  const record = useLab((s) => (id === null ? null : (s.run.messageById.get(id) ?? null)));
  if (!record) return null;
  const from = nodeAt(layout, record.from);
  const to = nodeAt(layout, record.to);
  if (!from || !to) return null;
  const a = wirePoint(layout, from, to, 0, record.from === CLIENT, record.to === CLIENT);
  const b = wirePoint(layout, from, to, 1, record.from === CLIENT, record.to === CLIENT);
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  return (
    <g className={`selected-message ${colourClass(record.type)}`} aria-label={`Selected: ${typeLabel(record.type)} from ${nodeName(record.from)} to ${nodeName(record.to)}`} role="img">
      <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="selected-wire-halo" />
      <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className={`selected-wire ${record.lost ? 'lost' : ''}`} />
      <text x={mid.x} y={mid.y - 12} className="selected-label">
        {typeLabel(record.type)}
        {record.lost ? ' ✕' : ''}
      </text>
    </g>
  );
}
