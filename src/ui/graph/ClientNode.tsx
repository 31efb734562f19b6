import { memo } from 'react';
import { CLIENT_HALF, type NodePosition } from './layout';

/** The client sits outside the ring: it is not a replica and takes no part in agreement. */
export const ClientNode = memo(function ClientNode({ position, accepted }: { position: NodePosition; accepted: number }) {
  return (
    <g className="client" transform={`translate(${position.x},${position.y})`} role="img" aria-label={`Client, ${accepted} accepted`}>
      <rect x={-CLIENT_HALF.x} y={-CLIENT_HALF.y} width={2 * CLIENT_HALF.x} height={2 * CLIENT_HALF.y} rx={14} />
      <text className="client-label" dy="0.35em">
        Client
      </text>
      <text className="client-sub" y={62} aria-hidden="true">
        {accepted} accepted
      </text>
    </g>
  );
});
