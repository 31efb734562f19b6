import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../controls/icons';
import type { PictureFormat } from '../export/diagramExport';

/**
 * A view's Export menu: the picture as SVG (for slides that scale) or PNG (2×, for slides that do not). A disclosure:
 * the button opens two choices below it; Esc, a click elsewhere or a choice closes it.
 */
export function ExportMenu({ what, onExport }: { what: string; onExport(format: PictureFormat): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [said, setSaid] = useState('');
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const choose = async (format: PictureFormat) => {
    setOpen(false);
    toggle.current?.focus();
    try {
      await onExport(format);
      setSaid(`${what} saved as ${format.toUpperCase()}`);
    } catch (err) {
      setSaid(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <div
      className="export-menu"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          toggle.current?.focus();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="small"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Export the ${what}`}
        title={`Save the ${what} as a picture for slides`}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="download" />
        Export
      </button>
      <div id={menuId} className="export-choices" hidden={!open} role="group" aria-label={`Export the ${what} as`}>
        <button type="button" className="small" onClick={() => void choose('svg')} aria-label={`${capitalise(what)} as SVG`}>
          SVG <span className="muted">vector</span>
        </button>
        <button type="button" className="small" onClick={() => void choose('png')} aria-label={`${capitalise(what)} as PNG`}>
          PNG <span className="muted">2×</span>
        </button>
      </div>
      <span className="visually-hidden" role="status">
        {said}
      </span>
    </div>
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
