import type { KeyboardEvent } from 'react';
import { useLab, useLabActions } from '../../store/context';
import type { LabState } from '../../store/labStore';
import type { Question, Verdict } from '../../store/predict';
import { questionOnScreen, verdictOnScreen } from '../../store/predictSlice';
import type { GraphLayout } from '../graph/layout';

const selectAnswer = (s: LabState) => s.predict.answer;

/**
 * Predict mode on the graph, drawn over the replicas (its own layer, so the graph's own handlers stay as they are).
 * While a question asks for replicas, each replica carries an answer target: a click or tap (or Enter / Space on it)
 * puts it in the room's answer or takes it out — whatever the Click: Malicious | Inspect switch says, since the target
 * lies over the replica. After the phase, the verdict is marked: ✓ in the answer and chosen, ! in the answer but
 * missed, ✗ chosen but not in it.
 */
export function PredictMarks({ layout }: { layout: GraphLayout }) {
  const question = useLab(questionOnScreen);
  const verdict = useLab(verdictOnScreen);
  if (verdict) return <VerdictMarks layout={layout} verdict={verdict} />;
  if (question && question.shape !== 'yes-no') return <AnswerTargets layout={layout} question={question} />;
  return null;
}

function AnswerTargets({ layout, question }: { layout: GraphLayout; question: Question }) {
  const stored = useLab(selectAnswer);
  const { toggleAnswerReplica } = useLabActions();
  const chosen = new Set(stored && stored.key === question.key ? stored.replicas : question.preset);
  const one = question.shape === 'one-replica';
  const r = layout.nodeRadius;
  const onKeyDown = (id: number) => (e: KeyboardEvent<SVGGElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    // The page's shortcuts must not also see this key (Space would play).
    e.stopPropagation();
    toggleAnswerReplica(id);
  };
  return (
    <g className="predict-targets" role={one ? 'radiogroup' : 'group'} aria-label={`The room’s answer on the graph: ${question.text}`}>
      {layout.replicas.map((p, id) => (
        <g
          key={id}
          className={`predict-target${chosen.has(id) ? ' chosen' : ''}`}
          transform={`translate(${p.x},${p.y})`}
          role={one ? 'radio' : 'checkbox'}
          aria-checked={chosen.has(id)}
          aria-label={`Answer: replica ${id}`}
          tabIndex={0}
          onClick={() => toggleAnswerReplica(id)}
          onKeyDown={onKeyDown(id)}
        >
          <title>{chosen.has(id) ? `Take replica ${id} out of the room’s answer` : `Put replica ${id} in the room’s answer`}</title>
          <circle className="predict-hit" r={r + 12} />
          {chosen.has(id) && (
            <>
              <circle className="predict-pick" r={r + 16} />
              <Badge r={r} mark="✓" kind="pick" />
            </>
          )}
        </g>
      ))}
    </g>
  );
}

function VerdictMarks({ layout, verdict }: { layout: GraphLayout; verdict: Verdict }) {
  const r = layout.nodeRadius;
  const truth = new Set(verdict.shape === 'yes-no' ? verdict.highlight : verdict.truth.replicas);
  const given = new Set(verdict.shape === 'yes-no' || verdict.status === 'undecided' ? [] : (verdict.given?.replicas ?? []));
  const ids = [...new Set([...truth, ...given])].filter((id) => layout.replicas[id]);
  return (
    <g className="predict-verdict-marks" aria-hidden="true">
      {ids.map((id) => {
        const p = layout.replicas[id];
        const inTruth = truth.has(id);
        const picked = given.has(id);
        const kind = verdict.shape === 'yes-no' ? 'highlight' : inTruth && picked ? 'hit' : inTruth ? (verdict.given ? 'missed' : 'highlight') : 'wrong';
        const mark = kind === 'hit' ? '✓' : kind === 'missed' ? '!' : kind === 'wrong' ? '✗' : null;
        return (
          <g key={id} className={`predict-mark mark-${kind}`} transform={`translate(${p.x},${p.y})`}>
            <circle className="predict-ring" r={r + 16} />
            {mark && <Badge r={r} mark={mark} kind={kind} />}
          </g>
        );
      })}
    </g>
  );
}

/** A round badge at a replica's lower left (the primary's crown sits upper right), so the mark is never colour alone. */
function Badge({ r, mark, kind }: { r: number; mark: string; kind: string }) {
  const size = Math.max(7, r * 0.45);
  return (
    <g className={`predict-badge badge-${kind}`} transform={`translate(${-r * 0.78},${r * 0.78})`}>
      <circle r={size} />
      <text dy="0.35em" fontSize={size * 1.3}>
        {mark}
      </text>
    </g>
  );
}
