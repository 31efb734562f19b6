/**
 * The network's faults as the graph draws them at the moment on screen: the two groups of a partition shaded, the
 * cut marked across every wire it separates (where held messages wait), slow and lossy links drawn apart and
 * labelled. What stands at a moment is derived from the run's interventions (networkKeyOnScreen); the geometry is
 * cutGeometry's.
 */
import { useMemo } from 'react';
import { useLab } from '../../store/context';
import { networkKeyOnScreen, type NetworkOnScreen } from '../../store/partitionSlice';
import { CLIENT, type NodeId } from '../../sim/types';
import { cutMark, cutWires, groupHull, groupsOf, positionOf, type Point } from './cutGeometry';
import { CLIENT_HALF, type GraphLayout } from './layout';
import { linkName, linkState, partitionSentence } from './networkWords';

export function useNetworkOnScreen(): NetworkOnScreen {
  const key = useLab(networkKeyOnScreen);
  return useMemo(() => JSON.parse(key) as NetworkOnScreen, [key]);
}

/** How far a group's shading reaches beyond its nodes' centres. */
const shadePad = (layout: GraphLayout) => layout.nodeRadius + 26;

function hullPath(points: readonly Point[]): string {
  return `M${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('L')}Z`;
}

/** One group's shading: its hull drawn with a round stroke as wide as the padding, and a halo round each node. */
function Group({ layout, ids, others, tone }: { layout: GraphLayout; ids: readonly NodeId[]; others: readonly NodeId[]; tone: 'near' | 'far' }) {
  const pad = shadePad(layout);
  const hull = groupHull(layout, ids, others);
  return (
    <g className={`group group-${tone}`}>
      {hull && hull.length > 1 && <path className="group-hull" d={hullPath(hull)} strokeWidth={pad * 2} />}
      {ids.map((id) => {
        const at = positionOf(layout, id);
        return id === CLIENT ? (
          <rect key={id} className="group-halo" x={at.x - CLIENT_HALF.x - 18} y={at.y - CLIENT_HALF.y - 18} width={2 * CLIENT_HALF.x + 36} height={2 * CLIENT_HALF.y + 36} rx={26} />
        ) : (
          <circle key={id} className="group-halo" cx={at.x} cy={at.y} r={pad} />
        );
      })}
    </g>
  );
}

/** Under the wires: the groups of a partition standing at the moment on screen. */
export function PartitionShading({ layout, network }: { layout: GraphLayout; network: NetworkOnScreen }) {
  const n = layout.replicas.length;
  if (!network.partition) return null;
  const { withClient, without } = groupsOf(n, network.partition.side);
  return (
    <g className="partition-shading" role="img" aria-label={`Partition: ${partitionSentence(n, network.partition.side, network.partition.rule)}`}>
      <Group layout={layout} ids={withClient} others={without} tone="near" />
      <Group layout={layout} ids={without} others={withClient} tone="far" />
    </g>
  );
}

/** Over the wires: the cut across each wire it separates, and the slow and lossy links. */
export function NetworkMarks({ layout, network }: { layout: GraphLayout; network: NetworkOnScreen }) {
  const n = layout.replicas.length;
  const half = Math.max(14, layout.dotRadius * 1.6);
  return (
    <>
      {network.links.length > 0 && (
        <g className="link-faults" role="list" aria-label="Faulty links">
          {network.links.map((l) => {
            if (l.a >= n || l.b >= n) return null;
            const a = positionOf(layout, l.a);
            const b = positionOf(layout, l.b);
            const slow = l.extraDelayMs > 0;
            const lossy = l.dropRate > 0;
            // The label sits beside the wire's middle, clear of the nodes at its ends (a label is wider than a node).
            const angle = Math.atan2(b.y - a.y, b.x - a.x);
            const at = { x: (a.x + b.x) / 2 + Math.sin(angle) * 26, y: (a.y + b.y) / 2 - Math.cos(angle) * 26 };
            const text = linkState(l);
            return (
              <g key={`${l.a}-${l.b}`} className={`link-fault${slow ? ' link-slow' : ''}${lossy ? ' link-lossy' : ''}`} role="listitem" aria-label={`Link ${linkName(l.a, l.b)}: ${text}`}>
                <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
                <text x={at.x} y={at.y} dy="0.35em" aria-hidden="true">
                  {text}
                </text>
              </g>
            );
          })}
        </g>
      )}
      {network.partition && layout.showEdges && (
        <g className="cut-marks" aria-hidden="true">
          {cutWires(n, network.partition.side).map((w) => {
            const { at, angle } = cutMark(layout, w.a, w.b);
            const dx = -Math.sin(angle) * half;
            const dy = Math.cos(angle) * half;
            return <line key={`${w.a}-${w.b}`} className="cut-mark" x1={at.x - dx} y1={at.y - dy} x2={at.x + dx} y2={at.y + dy} />;
          })}
        </g>
      )}
    </>
  );
}
