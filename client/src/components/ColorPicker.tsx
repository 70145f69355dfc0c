import type { CSSProperties } from 'react';
import { IDENTITY_COLORS } from '../identity/identity.js';

/** The caret and avatar colours as radio swatches (one tab stop, arrow keys move). */
export function ColorPicker({ value, onChange, name }: { value: string; onChange: (color: string) => void; name: string }) {
  const current = value.toLowerCase();
  // An account created elsewhere (CLI, admin) may carry a colour outside the palette: keep it
  // choosable, so saving the name does not silently change the colour.
  const swatches: string[] = (IDENTITY_COLORS as readonly string[]).includes(current) ? [...IDENTITY_COLORS] : [current, ...IDENTITY_COLORS];
  return (
    <fieldset className="field color-picker">
      <legend className="field__label">Colour</legend>
      <div className="color-picker__swatches">
        {swatches.map((swatch) => (
          <label key={swatch} className="color-picker__swatch" style={{ '--swatch': swatch } as CSSProperties}>
            <input
              type="radio"
              name={name}
              value={swatch}
              checked={current === swatch}
              onChange={() => onChange(swatch)}
              aria-label={`Colour ${swatch}`}
              data-testid="color-swatch"
            />
            <span aria-hidden="true" />
          </label>
        ))}
      </div>
    </fieldset>
  );
}
