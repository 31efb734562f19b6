import { useMemo } from 'react';
import { useLab, useLabActions } from '../../store/context';
import { CanvasMessageLayer } from './CanvasMessageLayer';
import { ClientNode } from './ClientNode';
import { Edges } from './Edges';
import { graphLayout } from './layout';
import { MessageLayer } from './MessageLayer';
import { ReplicaNode } from './ReplicaNode';
import { SelectedMessage } from './SelectedMessage';
import { TimerLayer, ViewBadge } from './TimerLayer';

/** Above this many messages in flight, SVG elements per message cost more than a frame; paint them instead. */
export const SVG_MESSAGE_LIMIT = 300;

/** The ring of replicas, the client, and the messages between them. */
export function ReplicaGraph() {
  const n = useLab((s) => s.timeline.n);
  const replicas = useLab((s) => s.timeline.replicas);
  const accepted = useLab((s) => s.timeline.stats?.committed ?? 0);
  const crowded = useLab((s) => s.timeline.inFlight.size > SVG_MESSAGE_LIMIT);
  const selected = useLab((s) => s.selection.replica);
  const offenders = useLab((s) => s.timeline.stats?.violations[0]?.replicas);
  const { toggleMalicious, selectReplica } = useLabActions();
  const layout = useMemo(() => graphLayout(n), [n]);
  const painted = layout.detail !== 'full' || crowded;

  return (
    <div className="graph-frame">
      {painted && <CanvasMessageLayer layout={layout} />}
      <svg
        className="graph"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={`${n} replicas and the client`}
      >
        <ViewBadge />
        <Edges layout={layout} />
        <SelectedMessage layout={layout} />
        {/* Messages pass under the nodes, so they visibly leave and enter them. */}
        {!painted && <MessageLayer layout={layout} />}
        <ClientNode position={layout.client} accepted={accepted} />
        <g className="replicas">
          {replicas.map((r) => {
            const position = layout.replicas[r.id];
            if (!position) return null;
            return (
              <ReplicaNode
                key={r.id}
                replica={r}
                position={position}
                radius={layout.nodeRadius}
                detail={layout.detail}
                selected={selected === r.id}
                offending={offenders?.includes(r.id) ?? false}
                onToggleMalicious={toggleMalicious}
                onSelect={selectReplica}
              />
            );
          })}
        </g>
        <TimerLayer layout={layout} />
      </svg>
    </div>
  );
}
