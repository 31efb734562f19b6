/**
 * The graph's network tools: the toggle above the graph, Heal while a cut stands, the bar that chooses what a cut
 * does to messages, the surface a finger or a mouse draws the cut on, the menu of a wire, and the dialog that does
 * all of it from lists (the keyboard's and the screen reader's way). Every action goes through the store
 * (partitionSlice), so it is an intervention: Back, replay, the URL and run files carry it.
 */
import { useEffect, useId, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { linkEnds } from '../../sim/network';
import { PARAMS } from '../../sim/params';
import { CLIENT, CUT_RULES, type CutRule, type NodeId } from '../../sim/types';
import { useLab, useLabActions } from '../../store/context';
import { ParamSlider } from '../controls/SimulationControls';
import { cutFromStroke, strokeShape, wireAt, type Point } from './cutGeometry';
import type { GraphLayout } from './layout';
import { PartitionShading, useNetworkOnScreen } from './NetworkLayer';
import { linkName, linkState, partitionSentence } from './networkWords';

/** Where a wire's menu opens, in pixels from the graph frame's top left, with the frame's size to keep it inside. */
export interface MenuAnchor {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function NetworkToolsToggle() {
  const on = useLab((s) => s.partitionUi.tools);
  const { setNetworkTools } = useLabActions();
  return (
    <button
      type="button"
      className={`small tools-toggle${on ? ' on' : ''}`}
      aria-pressed={on}
      title="Drag across the graph to cut the network, draw a loop to cut a group off, click a wire to make it slow or lossy"
      onClick={() => setNetworkTools(!on)}
    >
      Network tools
    </button>
  );
}

/** Shown while a cut stands at the moment on screen: joins the two sides again. */
export function HealButton() {
  const network = useNetworkOnScreen();
  const held = useLab((s) => s.timeline.stats?.held ?? 0);
  const { heal, setNetworkNote } = useLabActions();
  if (!network.partition) return null;
  return (
    <span className="heal">
      <button
        type="button"
        className="small heal-button"
        title="Join the two sides again: messages held at the cut go on, in the order they were sent"
        onClick={() => {
          heal();
          setNetworkNote(null);
        }}
      >
        Heal
      </button>
      {held > 0 && (
        <span className="held-count">
          {held} held at the cut
        </span>
      )}
    </span>
  );
}

function RuleChoice({ rule, onChange, label }: { rule: CutRule; onChange(rule: CutRule): void; label: string }) {
  const name = useId();
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      <span className="segmented-label" aria-hidden="true">
        {label}:
      </span>
      {CUT_RULES.map((r) => (
        <label key={r} className={rule === r ? 'chosen' : ''}>
          <input type="radio" name={name} value={r} checked={rule === r} onChange={() => onChange(r)} />
          <span>{r === 'lose' ? 'Lost' : 'Held until Heal'}</span>
        </label>
      ))}
    </div>
  );
}

/** Under the graph's head while the tools are on: what a cut does to messages, the dialog, and what the last stroke did. */
export function NetworkToolsBar() {
  const rule = useLab((s) => s.partitionUi.rule);
  const note = useLab((s) => s.partitionUi.note);
  const { setCutRule, setPartitionDialog } = useLabActions();
  return (
    <div className="network-tools" role="group" aria-label="Network tools">
      <RuleChoice rule={rule} onChange={setCutRule} label="Messages across the cut" />
      <button type="button" className="small" aria-label="By list: cut the network or set a link" onClick={() => setPartitionDialog(true)}>
        By list…
      </button>
      <p className="hint network-note" role="status">
        {note ?? 'Drag across the graph to cut it in two, or loop round a group; click a wire for its link.'}
      </p>
    </div>
  );
}

const strokePath = (points: readonly Point[]) => `M${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('L')}`;

/**
 * Over the whole graph while the tools are on: a drag draws a cut (a straight line, or a loop round a group), a
 * click picks the wire under it. Pointer events, so a finger draws as a mouse does (the graph takes no touch
 * scrolling meanwhile). While drawing, the groups the stroke would make are shaded.
 */
export function DrawingSurface({ layout, onWire }: { layout: GraphLayout; onWire(anchor: MenuAnchor): void }) {
  const { cut, openLink, setNetworkNote } = useLabActions();
  const rule = useLab((s) => s.partitionUi.rule);
  const menuOpen = useLab((s) => s.partitionUi.link !== null);
  const n = layout.replicas.length;
  const [points, setPoints] = useState<Point[] | null>(null);
  const down = useRef<{ id: number; x: number; y: number } | null>(null);

  const toGraph = (e: ReactPointerEvent<SVGRectElement>): Point | null => {
    const m = e.currentTarget.ownerSVGElement?.getScreenCTM();
    if (!m) return null;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  };
  const stop = () => {
    down.current = null;
    setPoints(null);
  };
  const finish = (e: ReactPointerEvent<SVGRectElement>) => {
    const start = down.current;
    const stroke = points;
    stop();
    const p = toGraph(e);
    if (!start || !stroke || !p) return;
    const all = [...stroke, p];
    const movedPx = Math.hypot(e.clientX - start.x, e.clientY - start.y);
    if (movedPx < 8 && !strokeShape(all)) {
      const wire = wireAt(layout, p);
      if (!wire) {
        setNetworkNote('No wire there: click on a wire to make its link slow or lossy, or drag across the graph to cut it.');
        return;
      }
      openLink(wire);
      setNetworkNote(null);
      const frame = e.currentTarget.ownerSVGElement?.parentElement?.getBoundingClientRect();
      if (frame) onWire({ left: e.clientX - frame.left, top: e.clientY - frame.top, width: frame.width, height: frame.height });
      return;
    }
    const result = cutFromStroke(all, layout);
    if ('problem' in result) {
      setNetworkNote(result.problem);
      return;
    }
    if (cut(result.side, rule)) {
      const joins = result.clientJoins === 'the larger group' ? ' The client joins the larger group.' : '';
      setNetworkNote(`Cut: ${partitionSentence(n, result.side, rule)}.${joins}`);
    }
  };

  const preview = points && points.length > 1 ? cutFromStroke(points, layout) : null;
  const shape = points ? strokeShape(points) : null;
  return (
    <g className="drawing">
      {preview && 'side' in preview && (
        <g className="preview">
          <PartitionShading layout={layout} network={{ partition: { side: preview.side, rule }, links: [] }} />
        </g>
      )}
      {points && points.length > 1 && <path className="stroke" d={shape?.kind === 'line' ? strokePath([shape.from, shape.to]) : strokePath(points)} />}
      <rect
        className="drawing-surface"
        x={0}
        y={0}
        width={layout.width}
        height={layout.height}
        onPointerDown={(e) => {
          if (e.pointerType === 'mouse' && e.button !== 0) return;
          const p = toGraph(e);
          if (!p) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          // A press anywhere else on the graph puts an open wire's menu away.
          if (menuOpen) openLink(null);
          down.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
          setPoints([p]);
        }}
        onPointerMove={(e) => {
          if (down.current?.id !== e.pointerId) return;
          const p = toGraph(e);
          if (!p) return;
          setPoints((prev) => {
            const last = prev?.at(-1);
            // Points closer than a few units add nothing to the shape and only grow the path.
            return prev && last && Math.hypot(p.x - last.x, p.y - last.y) >= 3 ? [...prev, p] : prev;
          });
        }}
        onPointerUp={(e) => {
          if (down.current?.id === e.pointerId) finish(e);
        }}
        onPointerCancel={stop}
      />
    </g>
  );
}

/** Slow, Lossy or Normal for the link between a and b, with the knobs Slow and Lossy use. */
function LinkChoices({ a, b, onPicked, firstRef }: { a: NodeId; b: NodeId; onPicked?(): void; firstRef?: React.Ref<HTMLButtonElement> }) {
  const network = useNetworkOnScreen();
  const choice = useLab((s) => s.partitionUi.linkChoice);
  const { setLinkFault, chooseLinkKnobs } = useLabActions();
  const current = network.links.find((l) => l.a === a && l.b === b);
  const pick = (fault: { extraDelayMs: number; dropRate: number } | null) => {
    setLinkFault(a, b, fault);
    onPicked?.();
  };
  return (
    <div className="link-choices">
      <p className="link-now">Now: {linkState(current)}</p>
      <div className="link-buttons" role="group" aria-label={`Link ${linkName(a, b)}`}>
        <button ref={firstRef} type="button" aria-pressed={(current?.extraDelayMs ?? 0) > 0} onClick={() => pick({ extraDelayMs: choice.extraDelayMs, dropRate: current?.dropRate ?? 0 })}>
          Slow
        </button>
        <button type="button" aria-pressed={(current?.dropRate ?? 0) > 0} onClick={() => pick({ extraDelayMs: current?.extraDelayMs ?? 0, dropRate: choice.dropRate })}>
          Lossy
        </button>
        <button type="button" aria-pressed={!current} onClick={() => pick(null)}>
          Normal
        </button>
      </div>
      <ParamSlider param={PARAMS.linkDelayMs} value={choice.extraDelayMs} step={10} onChange={(v) => chooseLinkKnobs({ extraDelayMs: v })} />
      <ParamSlider param={PARAMS.linkDropRate} value={choice.dropRate} onChange={(v) => chooseLinkKnobs({ dropRate: v })} />
    </div>
  );
}

const MENU = { width: 300, height: 250 };

/** The menu of the wire just clicked, beside the click, kept inside the graph. */
export function LinkMenu({ anchor, onClose }: { anchor: MenuAnchor; onClose(): void }) {
  const link = useLab((s) => s.partitionUi.link);
  const { openLink } = useLabActions();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), [link]);
  if (!link) return null;
  const close = () => {
    openLink(null);
    onClose();
    document.querySelector<HTMLElement>('.tools-toggle')?.focus();
  };
  const left = Math.max(4, Math.min(anchor.left + 12, anchor.width - MENU.width - 4));
  const top = anchor.top + 12 + MENU.height <= anchor.height ? anchor.top + 12 : Math.max(4, anchor.top - MENU.height - 12);
  return (
    <div
      className="link-menu"
      role="dialog"
      aria-label={`Link ${linkName(link.a, link.b)}`}
      style={{ left, top, width: MENU.width }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        close();
      }}
    >
      <h3>Link {linkName(link.a, link.b)}</h3>
      <LinkChoices a={link.a} b={link.b} onPicked={close} firstRef={first} />
      <button type="button" className="small link-close" onClick={close}>
        Close
      </button>
    </div>
  );
}

const endName = (id: NodeId) => (id === CLIENT ? 'Client' : `Replica ${id}`);

/**
 * Everything the graph's tools do, from lists: a checkbox per node for one side of a cut, the rule, Cut and Heal,
 * and a link chosen by its two ends. A modal <dialog>: the browser keeps the focus in it and Esc closes it.
 */
export function NetworkDialog() {
  const open = useLab((s) => s.partitionUi.dialogOpen);
  const n = useLab((s) => s.timeline.n);
  const network = useNetworkOnScreen();
  const rule = useLab((s) => s.partitionUi.rule);
  const { cut, heal, setCutRule, setPartitionDialog, setNetworkNote } = useLabActions();
  const dialog = useRef<HTMLDialogElement>(null);
  const [side, setSide] = useState<NodeId[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [ends, setEnds] = useState<[NodeId, NodeId]>([0, 1]);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      setSide(network.partition?.side ?? []);
      setProblem(null);
      el.showModal();
    } else if (!open && el.open) el.close();
    // Only opening and closing matter here: the network on screen seeds the boxes when it opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const nodes: NodeId[] = [...Array.from({ length: n }, (_, id) => id), CLIENT];
  const [a, b] = linkEnds(ends[0], ends[1]);
  return (
    <dialog
      ref={dialog}
      className="network-dialog"
      aria-labelledby="network-dialog-heading"
      onClose={() => setPartitionDialog(false)}
      onKeyDown={(e) => {
        // The page's own Esc (clear the selection) must not swallow the dialog's.
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        e.preventDefault();
        setPartitionDialog(false);
      }}
    >
      <h2 id="network-dialog-heading">Cut the network, or set a link</h2>
      <fieldset>
        <legend>Cut off these nodes from the rest</legend>
        <div className="side-boxes">
          {nodes.map((id) => (
            <label key={id}>
              <input
                type="checkbox"
                checked={side.includes(id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setSide((was) => (on ? [...was, id] : was.filter((x) => x !== id)));
                }}
              />
              {endName(id)}
            </label>
          ))}
        </div>
        <RuleChoice rule={rule} onChange={setCutRule} label="Messages across the cut" />
        <div className="dialog-actions">
          <button
            type="button"
            onClick={() => {
              if (cut(side, rule)) {
                setNetworkNote(`Cut: ${partitionSentence(n, side, rule)}.`);
                setPartitionDialog(false);
              } else setProblem('Choose at least one node to cut off, and leave at least one on the other side.');
            }}
          >
            Cut
          </button>
          {network.partition && (
            <button
              type="button"
              onClick={() => {
                heal();
                setNetworkNote(null);
                setPartitionDialog(false);
              }}
            >
              Heal
            </button>
          )}
        </div>
        {problem && (
          <p className="hint problem" role="alert">
            {problem}
          </p>
        )}
        {network.partition && <p className="hint">Standing now: {partitionSentence(n, network.partition.side, network.partition.rule)}.</p>}
      </fieldset>
      <fieldset>
        <legend>A link</legend>
        <div className="link-ends">
          {(['One end', 'Other end'] as const).map((label, k) => (
            <label key={label}>
              {label}
              <select
                value={ends[k]}
                onChange={(e) => {
                  const id = Number(e.currentTarget.value);
                  setEnds((was) => (k === 0 ? [id, was[1]] : [was[0], id]));
                }}
              >
                {nodes.map((id) => (
                  <option key={id} value={id}>
                    {endName(id)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        {a === b ? <p className="hint">A link joins two different nodes.</p> : <LinkChoices a={a} b={b} />}
      </fieldset>
      <button type="button" onClick={() => setPartitionDialog(false)}>
        Close
      </button>
    </dialog>
  );
}
