import { memo, type ReactElement } from 'react';
import type { GraphLayout } from './layout';

/** Faint wires between every pair: they show where messages can travel. Drawn once per layout. */
export const Edges = memo(function Edges({ layout }: { layout: GraphLayout }) {
  if (!layout.showEdges) return null;
  const { replicas, client } = layout;
  const lines: ReactElement[] = [];
  replicas.forEach((a, i) => {
    lines.push(<line key={`c-${i}`} className="edge edge-client" x1={client.x} y1={client.y} x2={a.x} y2={a.y} />);
    for (let j = i + 1; j < replicas.length; j++) {
      const b = replicas[j];
      lines.push(<line key={`${i}-${j}`} className="edge" x1={a.x} y1={a.y} x2={b.x} y2={b.y} />);
    }
  });
  return (
    <g className="edges" aria-hidden="true">
      {lines}
    </g>
  );
});
