import { protocolOf } from '../../sim/protocols';
import { useLab } from '../../store/context';
import { messageClass } from './palette';
import { PHASE_RING } from './ReplicaNode';

/** The run's protocol's messages (every one has its colour from the start, the view-change ones too) and phases. */
export function Legend() {
  const protocol = protocolOf(useLab((s) => s.scenario.mode));
  return (
    <div className="legend" role="group" aria-label="Legend">
      <ul aria-label="Messages">
        {protocol.messages.map(({ type, abbreviation, label }) => (
          <li key={type}>
            <svg width="22" height="22" viewBox="-12 -12 24 24" aria-hidden="true" className={messageClass(type)}>
              <circle r="11" />
              <text dy="0.35em" fontSize="10">
                {abbreviation}
              </text>
            </svg>
            <span>{label}</span>
          </li>
        ))}
      </ul>
      <ul aria-label="Replicas">
        <li>
          <svg width="22" height="22" viewBox="-12 -12 24 24" aria-hidden="true" className="msg lost">
            <path className="lost-cross" d="M-8,-8L8,8M-8,8L8,-8" />
          </svg>
          <span>lost</span>
        </li>
        <li>
          <span className="legend-glyph" aria-hidden="true">
            ♛
          </span>
          <span>primary</span>
        </li>
        <li>
          <span className="legend-glyph" aria-hidden="true">
            ☠
          </span>
          <span>malicious</span>
        </li>
        {protocol.phases.map((phase) => (
          <li key={phase}>
            <svg width="26" height="26" viewBox="-13 -13 26 26" aria-hidden="true">
              <circle className="legend-node" r="6" />
              <circle
                className={`phase-ring phase-${phase}`}
                r="8.5"
                strokeDasharray={PHASE_RING[phase].dash ? PHASE_RING[phase].dash.split(' ').map((d) => Number(d) / 2.5).join(' ') : undefined}
                strokeWidth="3"
              />
              {phase === 'executed' && <circle className="phase-ring phase-executed" r="12" strokeWidth="1.5" />}
            </svg>
            <span>{protocol.phaseNames[phase]}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
