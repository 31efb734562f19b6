import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import { protocolOf } from '../../sim/protocols';
import type { ReplicaSummary, SlotPhase } from '../../sim/types';
import type { Detail, NodePosition } from './layout';

interface ReplicaNodeProps {
  replica: ReplicaSummary;
  position: NodePosition;
  radius: number;
  detail: Detail;
  /** Chosen for the inspector. */
  selected: boolean;
  /** Named in the safety checker's evidence. */
  offending: boolean;
  /** A click (or Enter) inspects instead of toggling malicious: the Inspect mode, for touch screens without Shift. */
  clickInspects: boolean;
  onToggleMalicious(id: number): void;
  onSelect(id: number): void;
  /** The run's protocol's words for each phase (one object per protocol, so memoisation still holds). */
  phaseNames?: Readonly<Record<SlotPhase, string>>;
}

const PBFT_PHASE_NAMES = protocolOf('pbft').phaseNames;

/** Phase as a ring pattern as well as a colour: dotted → dashed → solid → double, so it reads without colour. */
export const PHASE_RING: Record<SlotPhase, { dash: string; width: number }> = {
  'pre-prepared': { dash: '3 7', width: 4 },
  prepared: { dash: '14 6', width: 5 },
  committed: { dash: '', width: 6 },
  executed: { dash: '', width: 6 },
};

/** A phase as the replica's protocol names it (HotStuff's "prepared" is where it locks); executed carries a tick. */
function phaseText(phase: SlotPhase, names: Readonly<Record<SlotPhase, string>>): string {
  return phase === 'executed' ? `✓ ${names.executed}` : names[phase];
}

export function replicaAccessibleName(r: ReplicaSummary, names: Readonly<Record<SlotPhase, string>> = PBFT_PHASE_NAMES): string {
  const parts = [`Replica ${r.id}`];
  if (r.isPrimary) parts.push('primary');
  if (r.behaviour) parts.push(`malicious (${r.behaviour.kind})`);
  if (r.viewChanging) parts.push(`changing to view ${r.view}`);
  parts.push(r.phase ? names[r.phase] : 'idle');
  if (r.timer) parts.push(`timer fires at t=${r.timer.deadline.toFixed(1)}`);
  return parts.join(', ');
}

/**
 * One replica: a focusable toggle. Memoised on its (structurally shared) summary, so with n = 100 only the
 * replicas whose state changed re-render in a frame.
 */
export const ReplicaNode = memo(function ReplicaNode({ replica, position, radius, detail, selected, offending, clickInspects, onToggleMalicious, onSelect, phaseNames = PBFT_PHASE_NAMES }: ReplicaNodeProps) {
  const { id, phase, behaviour, isPrimary, viewChanging } = replica;
  const malicious = behaviour !== null;
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      // The page's shortcuts must not also see this key (Space would play).
      e.stopPropagation();
      if (e.shiftKey || clickInspects) onSelect(id);
      else onToggleMalicious(id);
    }
  };
  // A plain click keeps issue 2's meaning (toggle malicious); Shift-click, or any click in Inspect mode (a tablet has
  // no Shift key), opens the inspector instead.
  const onClick = (e: MouseEvent<SVGGElement>) => (e.shiftKey || clickInspects ? onSelect(id) : onToggleMalicious(id));
  const ring = phase ? PHASE_RING[phase] : null;
  const classes = [
    'replica',
    malicious ? 'is-malicious' : '',
    isPrimary ? 'is-primary' : '',
    viewChanging ? 'is-view-changing' : '',
    selected ? 'is-selected' : '',
    offending ? 'is-offending' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const showNumber = radius >= 11;
  const badge = Math.max(6, radius * 0.42);

  return (
    <>
      <g
        className={classes}
        transform={`translate(${position.x},${position.y})`}
        role="button"
        tabIndex={0}
        aria-pressed={malicious}
        aria-label={replicaAccessibleName(replica, phaseNames) + (offending ? ', named in the safety violation' : '') + (selected ? ', inspected' : '')}
        onClick={onClick}
        onKeyDown={onKeyDown}
      >
        <title>
          {clickInspects
            ? 'Click to inspect this replica'
            : `${malicious ? 'Click to make this replica honest again' : 'Click to make this replica malicious'}; Shift-click to inspect it`}
        </title>
        {offending && <circle className="offending-halo" r={radius + 20} />}
        {selected && <circle className="selected-ring" r={radius + 17} />}
        <circle className="focus-ring" r={radius + 14} />
        {ring && (
          <circle
            className={`phase-ring phase-${phase}`}
            r={radius + 7}
            strokeDasharray={ring.dash || undefined}
            strokeWidth={ring.width}
          />
        )}
        {phase === 'executed' && <circle className={`phase-ring phase-executed`} r={radius + 13} strokeWidth={3} />}
        <circle className="replica-body" r={radius} />
        {showNumber && (
          <text className="replica-id" dy={malicious ? radius * 0.45 : '0.35em'} fontSize={radius * (malicious ? 0.7 : 0.8)}>
            {id}
          </text>
        )}
        {malicious && (
          <text className="replica-skull" dy={showNumber ? -radius * 0.12 : '0.35em'} fontSize={radius * (showNumber ? 0.75 : 1.3)} aria-hidden="true">
            ☠
          </text>
        )}
        {isPrimary && (
          <g className="primary-badge" transform={`translate(${radius * 0.75},${-radius * 0.75})`} aria-hidden="true">
            <circle r={badge} />
            <text dy="0.35em" fontSize={badge * 1.2}>
              ♛
            </text>
          </g>
        )}
      </g>
      {/* Beside, not inside, the button: its box (and so its click target) stays the node itself. */}
      {detail === 'full' && <ReplicaCaption replica={replica} position={position} radius={radius} phaseNames={phaseNames} />}
    </>
  );
});

/** Role and phase in words beside the node, pushed outward so labels never sit on the wires inside the ring. */
function ReplicaCaption({ replica, position, radius, phaseNames }: { replica: ReplicaSummary; position: NodePosition; radius: number; phaseNames: Readonly<Record<SlotPhase, string>> }) {
  const roles = [
    replica.isPrimary ? (replica.view > 0 ? `primary (v${replica.view})` : 'primary') : '',
    replica.behaviour ? `☠ ${replica.behaviour.kind}` : '',
    replica.viewChanging ? `→ view ${replica.view}…` : '',
  ].filter(Boolean);
  const phase = replica.phase ? phaseText(replica.phase, phaseNames) : '';
  // At the sides there is room below and above but not across (the client sits left): one fact per line.
  // Above and below the ring it is the other way round.
  const beside = Math.abs(Math.cos(position.angle)) > 0.35;
  const lines = (beside ? [...roles, phase] : [roles.join(' · '), phase]).filter(Boolean);
  if (lines.length === 0) return null;

  const cos = Math.cos(position.angle);
  const sin = Math.sin(position.angle);
  const distance = radius + 16;
  const anchor = cos > 0.35 ? 'start' : cos < -0.35 ? 'end' : 'middle';
  const lineHeight = 25;
  const x = cos * distance;
  // Grow upward above the ring, downward below it, centred at the sides.
  const firstY = sin < -0.35 ? sin * distance - (lines.length - 1) * lineHeight : sin > 0.35 ? sin * distance + 18 : sin * distance - ((lines.length - 1) * lineHeight) / 2 + 7;
  return (
    <text className="replica-caption" transform={`translate(${position.x},${position.y})`} textAnchor={anchor} aria-hidden="true">
      {lines.map((line, i) => (
        <tspan key={i} x={x} y={firstY + i * lineHeight} className={i === lines.length - 1 && phase ? 'phase-text' : 'role-text'}>
          {line}
        </tspan>
      ))}
    </text>
  );
}
