import { useContext, useRef, useState } from 'react';
import { MAX_IMPORT_BYTES } from '../sim/share';
import { LabStoreContext, useLab, useLabActions } from '../store/context';
import { runLink } from '../store/scheduleLink';
import { shareQuery } from '../store/urlSync';

/** Share the scenario as a link; save a whole run (scenario, interventions, trace) and load it back. */
export function RunFiles() {
  const { exportRunFile, importRunText, refuseImport } = useLabActions();
  const seed = useLab((s) => s.scenario.seed);
  const store = useContext(LabStoreContext);
  const input = useRef<HTMLInputElement>(null);
  const exportButton = useRef<HTMLButtonElement>(null);
  const [said, setSaid] = useState('');

  const copyLink = async () => {
    const state = store?.getState();
    let href = window.location.href;
    if (state && state.run.interventions.length > 0) {
      // A run someone acted on: the link carries the scenario it started from and every action since (deliveries by
      // hand, drops, cuts …), so it reopens exactly this run.
      const base = `${window.location.origin}${window.location.pathname}`;
      const query = shareQuery({ scenario: state.run.scenario ?? state.scenario, speed: state.playback.speed, preset: null });
      const link = await runLink(base, query, state.run.interventions);
      if (!link.ok) {
        setSaid(link.message);
        exportButton.current?.focus();
        return;
      }
      href = link.url;
    }
    try {
      await navigator.clipboard.writeText(href);
      setSaid('Link copied');
    } catch {
      setSaid(href === window.location.href ? 'Copy the address bar: it holds the scenario' : `Copy this link: ${href}`);
    }
  };
  const exportFile = async () => {
    let text: string;
    try {
      // A long run's older history lives only in the worker's replay: this may take a moment.
      setSaid('Exporting…');
      text = await exportRunFile();
    } catch (err) {
      setSaid(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const blob = new Blob([text], { type: 'application/json' });
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
    if (input.current) input.current.value = '';
    // Refused before reading: a huge file must not freeze the page while it is read and parsed.
    if (file.size > MAX_IMPORT_BYTES) {
      const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
      refuseImport(`This file is ${mb(file.size)}; PBFT Lab imports runs up to ${mb(MAX_IMPORT_BYTES)}.`);
      setSaid('');
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      refuseImport('The file could not be read.');
      setSaid('');
      return;
    }
    setSaid(`Loading ${file.name}…`);
    if (await importRunText(text)) setSaid(`Imported ${file.name}`);
    else setSaid('');
  };

  return (
    <div className="run-files" role="group" aria-label="Share and save">
      <button type="button" className="small" onClick={copyLink}>
        Copy link
      </button>
      <button ref={exportButton} type="button" className="small" onClick={() => void exportFile()} aria-label="Export run" title="Save this run (scenario, actions, trace) as a JSON file">
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
