import { useRef, useState } from 'react';
import { Icon } from './icons.js';

interface Props {
  value: string;
  label: string;
  testId: string;
}

/**
 * A value to copy (an invitation link, a token secret) with a Copy button. The field is
 * read-only and selected on focus, so copying by hand works too where the clipboard API is
 * not available (it needs a secure context).
 */
export function CopyField({ value, label, testId }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      inputRef.current?.select();
      setCopied('failed');
    }
  };

  return (
    <div className="copy-field">
      <input
        ref={inputRef}
        className="input copy-field__input"
        readOnly
        value={value}
        aria-label={label}
        data-testid={testId}
        onFocus={(event) => event.currentTarget.select()}
      />
      <button type="button" className="button" onClick={() => void copy()} data-testid={`${testId}-copy`}>
        <Icon name={copied === 'yes' ? 'check' : 'copy'} size={16} />
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </button>
      {copied === 'failed' && (
        <span className="copy-field__note" role="status">
          Copying is not allowed here; the text is selected, press Ctrl+C (⌘C).
        </span>
      )}
    </div>
  );
}
