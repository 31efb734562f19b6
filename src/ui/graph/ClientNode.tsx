import { memo } from 'react';
import type { NodePosition } from './layout';

/** The client sits outside the ring: it is not a replica and takes no part in agreement. */
export const ClientNode = memo(function ClientNode({ position, accepted }: { position: NodePosition; accepted: number }) {
  return (
    <g className="client" transform={`translate(${position.x},${position.y})`} role="img" aria-label={`Client, ${accepted} accepted`}>
      <rect x={-62} y={-36} width={124} height={72} rx={14} />
      <text className="client-label" dy="0.35em">
        Client
      </text>
      <text className="client-sub" y={62} aria-hidden="true">
        {accepted} accepted
      </text>
    </g>
  );
});
