/**
 * The interface's icons: 20px stroke drawings that inherit the text colour, so they follow the
 * button's state (hover, pressed, disabled) without separate assets.
 */
const paths = {
  bold: 'M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z',
  italic: 'M10 5h7M7 19h7M14 5l-4 14',
  strike: 'M5 12h14M16.5 7.5C16 6 14.5 5 12 5c-2.8 0-4.5 1.3-4.5 3.2 0 1.4.9 2.4 2.7 3M8 16.3c.6 1.7 2 2.7 4.2 2.7 2.9 0 4.6-1.3 4.6-3.3 0-.7-.2-1.3-.6-1.8',
  code: 'M9 7l-5 5 5 5M15 7l5 5-5 5',
  bulletList: 'M10 6h10M10 12h10M10 18h10M5 6h.01M5 12h.01M5 18h.01',
  orderedList: 'M11 6h9M11 12h9M11 18h9M4 5l1.5-1v5M4 9h3M4 14.5a1.5 1.5 0 0 1 3 0c0 1.5-3 2-3 4.5h3',
  quote: 'M6 17c-1.5-1-2-2.5-2-4.5C4 9.5 6 7.5 8.5 7M8 17a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5zM16 17c-1.5-1-2-2.5-2-4.5 0-3 2-5 4.5-5.5M18 17a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3',
  plus: 'M12 5v14M5 12h14',
  chevronRight: 'M9 6l6 6-6 6',
  chevronDown: 'M6 9l6 6 6-6',
  lock: 'M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 20c1.5-3.5 4.5-5 8-5s6.5 1.5 8 5',
  shield: 'M12 3l7 3v5c0 4.5-3 8-7 10-4-2-7-5.5-7-10V6z',
  signOut: 'M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 16l-4-4 4-4M6 12h10',
  check: 'M5 12.5l4.5 4.5L19 7.5',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={name === 'bulletList' ? 2 : 1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
