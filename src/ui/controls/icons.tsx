/** Button icons as inline SVG: symbol fonts differ between classroom machines, geometry does not. */
const PATHS = {
  play: 'M4 2.5v11l9.5-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  step: 'M2.5 2.5v11l8-5.5zM11 2.5h2.5v11H11z',
  phase: 'M1.5 2.5v11l6-5.5zM7.5 2.5v11l6-5.5zM13.5 2.5H15v11h-1.5z',
  request: 'M1 2.5v11l4.5-5.5zM5.5 2.5v11L10 8zM10 2.5v11l4.5-5.5zM14.5 2.5H16v11h-1.5z',
  back: 'M13.5 2.5v11l-8-5.5zM5 2.5H2.5v11H5z',
  live: 'M2.5 2.5v11l8-5.5zM11.5 2.5H14v11h-2.5z',
  reset: 'M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.9.7A3.5 3.5 0 1 0 8 4.5v2.2L4.5 3.5 8 .3z',
  plus: 'M6.8 2.5h2.4v4.3h4.3v2.4H9.2v4.3H6.8V9.2H2.5V6.8h4.3z',
  // The drawers and the views' menus.
  status: 'M2 13.5h12V15H2zM3 8h2.5v4.5H3zM6.75 4h2.5v8.5h-2.5zM10.5 1.5H13v11h-2.5z',
  scenario: 'M1.5 3.2h13v1.6h-13zM9 1.5h2.5v5H9zM1.5 11.2h13v1.6h-13zM4.5 9.5H7v5H4.5z',
  inspector: 'M6.5 1.5a5 5 0 0 1 4.1 7.9l3.9 3.9-1.2 1.2-3.9-3.9A5 5 0 1 1 6.5 1.5zm0 1.8a3.2 3.2 0 1 0 0 6.4 3.2 3.2 0 0 0 0-6.4z',
  lesson: 'M1.5 2.5c2.4-.6 4.6-.3 6.5 1v10.5c-1.9-1.3-4.1-1.6-6.5-1zM14.5 2.5c-2.4-.6-4.6-.3-6.5 1v10.5c1.9-1.3 4.1-1.6 6.5-1z',
  share: 'M8 1l3.6 3.6-1.1 1.1-1.7-1.7v6.2H7.2V4L5.5 5.7 4.4 4.6zM2.5 8h1.6v5.4h7.8V8h1.6v7h-11z',
  download: 'M7.2 1.5h1.6v7.3l2.3-2.3 1.1 1.1L8 11.8 3.8 7.6l1.1-1.1 2.3 2.3zM2.5 12.5h11V14h-11z',
  predict: 'M8 1.2a4.3 4.3 0 0 1 4.3 4.3c0 1.8-1.1 2.7-2 3.3-.7.5-1.1.8-1.1 1.4v.9H6.9v-1c0-1.5.9-2.2 1.8-2.8.7-.5 1.3-.9 1.3-1.8a2 2 0 0 0-4 0H3.7A4.3 4.3 0 0 1 8 1.2zM6.9 12.6h2.3v2.2H6.9z',
  network: 'M3 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM13 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM8 10.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM4.6 4.6l3 5.6-1.3.7-3-5.6zM11.4 4.6l1.3.7-3 5.6-1.3-.7zM5 2.8h6v1.4H5z',
  attack: 'M8 1l6 2.5v4c0 3.5-2.6 6.3-6 7.5-3.4-1.2-6-4-6-7.5v-4zm0 1.7L3.6 4.5v3c0 2.6 1.8 4.8 4.4 5.8V2.7z',
  close: 'M3.4 2.3L8 6.9l4.6-4.6 1.1 1.1L9.1 8l4.6 4.6-1.1 1.1L8 9.1l-4.6 4.6-1.1-1.1L6.9 8 2.3 3.4z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
