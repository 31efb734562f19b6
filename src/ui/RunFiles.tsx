import { useRef, useState } from 'react';
import { useLab, useLabActions } from '../store/context';

/** Share the scenario as a link; save a whole run (scenario, interventions, trace) and load it back. */
export function RunFiles() {
  const { exportRunText, importRunText } = useLabActions();
  const seed = useLab((s) => s.scenario.seed);
  const input = useRef<HTMLInputElement>(null);
  const [said, setSaid] = useState('');

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setSaid('Link copied');
    } catch {
      setSaid('Copy the address bar: it holds the scenario');
    }
  };
  const exportFile = () => {
    const blob = new Blob([exportRunText()], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `pbft-lab-run-seed${seed}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setSaid('Run exported');
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    if (importRunText(text)) setSaid(`Imported ${file.name}`);
    else setSaid('');
    if (input.current) input.current.value = '';
  };

  return (
    <div className="run-files" role="group" aria-label="Share and save">
      <button type="button" className="small" onClick={copyLink}>
        Copy link
      </button>
      <button type="button" className="small" onClick={exportFile} aria-label="Export run" title="Save this run (scenario, actions, trace) as a JSON file">
        Export
      </button>
      <button type="button" className="small" onClick={() => input.current?.click()} aria-label="Import run" title="Load a run saved with Export">
        Import
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        aria-label="Run file to import"
        tabIndex={-1}
        onChange={(e) => void importFile(e.currentTarget.files?.[0])}
      />
      <span className="said" role="status">
        {said}
      </span>
    </div>
  );
}
