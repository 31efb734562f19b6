import type { ReactNode } from 'react';
import { useLab, useLabActions } from '../../store/context';
import type { LabState } from '../../store/labStore';
import { replicaList, type Answer, type Question, type Verdict } from '../../store/predict';
import { questionOnScreen, verdictOnScreen } from '../../store/predictSlice';
import './predict.css';

const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** The room's answer in words: "replicas 1, 2 and 3", "replica 1", "Yes", or that nothing is chosen yet. */
function answerWords(shape: Question['shape'], answer: Answer | null): string {
  if (!answer) return 'not answered';
  if (shape === 'yes-no') return answer.yes === null ? 'not answered' : answer.yes ? 'Yes' : 'No';
  return answer.replicas.length === 0 ? 'no replica' : cap(replicaList(answer.replicas));
}

function truthWords(v: Verdict): string {
  if (v.shape === 'yes-no') return v.truth.yes ? 'Yes' : 'No';
  return cap(replicaList(v.truth.replicas));
}

const STATUS: Record<Verdict['status'], { mark: string; words: string }> = {
  right: { mark: '✓', words: 'Right' },
  wrong: { mark: '✗', words: 'Not quite' },
  skipped: { mark: '–', words: 'Skipped (not scored)' },
  undecided: { mark: '…', words: 'Not decided (not scored)' },
};

/** The room's answer to the question on screen: its own (by key), else what the picture already shows. */
const selectAnswer = (s: LabState) => s.predict.answer;

/**
 * Predict mode's panel on the stage, under the caption: the question for the moment on screen and how to answer it
 * (on the graph, or Yes / No here), Reveal and Skip; after the phase, the verdict and why; the running score.
 */
export function PredictPanel() {
  const on = useLab((s) => s.predict.on);
  if (!on) return null;
  return <PredictBody />;
}

function PredictBody() {
  const question = useLab(questionOnScreen);
  const verdict = useLab(verdictOnScreen);
  const stored = useLab(selectAnswer);
  const pending = useLab((s) => s.predict.pending !== null);
  const playing = useLab((s) => s.playback.playing);
  const score = useLab((s) => s.predict.score);
  const actions = useLabActions();
  const answer: Answer | null = question ? (stored && stored.key === question.key ? stored : { replicas: question.preset, yes: null }) : null;

  let body: ReactNode;
  let controls: ReactNode = null;
  if (verdict) {
    const status = STATUS[verdict.status];
    body = (
      <>
        <p className="predict-line">
          <strong className={`predict-status status-${verdict.status}`}>
            <span aria-hidden="true">{status.mark} </span>
            {status.words}.
          </strong>{' '}
          {verdict.given && (
            <span>
              The room said: {answerWords(verdict.shape, verdict.given)}.{' '}
            </span>
          )}
          {verdict.status !== 'undecided' && <span>Answer: {truthWords(verdict)}.</span>}
        </p>
        <p className="predict-reason">{verdict.reason}</p>
      </>
    );
    controls = (
      <button type="button" className="primary-action" onClick={actions.dismissVerdict}>
        Continue
      </button>
    );
  } else if (question) {
    body = (
      <>
        <p className="predict-line predict-question">{question.text}</p>
        <p className="predict-hint">
          {question.shape !== 'yes-no' && (
            <>
              {question.hint} <span className="predict-answer">Room’s answer: {answerWords(question.shape, answer)}.</span>
            </>
          )}
          {question.shape === 'yes-no' && question.hint}
        </p>
      </>
    );
    controls = (
      <>
        {question.shape === 'yes-no' && (
          <span className="predict-choices" role="group" aria-label="The room’s answer">
            <button type="button" aria-pressed={answer?.yes === true} onClick={() => actions.setAnswerYes(true)}>
              Yes
            </button>
            <button type="button" aria-pressed={answer?.yes === false} onClick={() => actions.setAnswerYes(false)}>
              No
            </button>
          </span>
        )}
        <button
          type="button"
          className="primary-action"
          onClick={actions.reveal}
          disabled={question.shape === 'yes-no' && answer?.yes === null}
          title="Play the phase (as Next phase does) and see who was right (Shift+→)"
        >
          Reveal
        </button>
        <button type="button" onClick={actions.skipQuestion} title="Play the phase without scoring: the answer and why are still shown">
          Skip
        </button>
      </>
    );
  } else {
    const idle = pending ? 'Playing the phase…' : playing ? 'Pause to get a question before the next phase.' : 'Nothing to predict before this phase: press Next phase.';
    body = <p className="predict-line predict-idle">{idle}</p>;
  }

  return (
    <section className="predict panel" aria-label="Predict">
      <div className="predict-text" role="status" aria-live="polite">
        {body}
      </div>
      <div className="predict-controls">
        {controls}
        <span className="predict-score">
          Score: {score.right} of {score.asked}
        </span>
      </div>
    </section>
  );
}
