import { useId } from 'react';
import { LESSONS, lessonById } from '../store/lessons';
import { useLab, useLabActions } from '../store/context';

/** Loads a lesson: its scenario, its speed, and its explanation in the side panel. */
export function LessonPicker() {
  const preset = useLab((s) => s.preset);
  const { loadLesson } = useLabActions();
  const id = useId();
  return (
    <div className="lesson-picker">
      <label htmlFor={id}>Lesson</label>
      <select id={id} value={preset ?? ''} onChange={(e) => e.currentTarget.value && loadLesson(e.currentTarget.value)}>
        <option value="">Choose a lesson…</option>
        {LESSONS.map((l) => (
          <option key={l.id} value={l.id}>
            {l.title}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LessonPanel() {
  const lesson = useLab((s) => lessonById(s.preset));
  if (!lesson) return null;
  return (
    <section className="panel lesson" aria-labelledby="lesson-heading">
      <details open>
        <summary>
          <h2 id="lesson-heading">Lesson: {lesson.title}</h2>
        </summary>
        <p>{lesson.explanation}</p>
      </details>
    </section>
  );
}
