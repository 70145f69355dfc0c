import { initials } from '../identity/identity.js';

/** A person's initials on their colour. Decorative: the name is always written next to it. */
export function Avatar({ name, color, size = 'normal' }: { name: string; color: string; size?: 'small' | 'normal' | 'large' }) {
  const sizeClass = size === 'normal' ? '' : ` avatar--${size}`;
  return (
    <span className={`avatar${sizeClass}`} style={{ backgroundColor: color }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
