import { useEffect, useRef, useState } from 'react';

interface Props {
  /** The button's text ("Remove"). */
  label: string;
  /** The question asked in place ("Remove Ana from the group?"). */
  question: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  disabled?: boolean;
  testId: string;
}

/**
 * A destructive action that asks first, in place: the button turns into the question with
 * "Yes" and "Cancel". In place rather than `window.confirm`, which blocks the page (and with
 * it the live document updates) and cannot say which row it is about.
 */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, disabled, testId }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="button button--small button--ghost button--danger-text" onClick={() => setAsking(true)} disabled={disabled} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm__question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="button button--small button--danger"
        disabled={busy}
        data-testid={`${testId}-confirm`}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button--small button--ghost" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
    </span>
  );
}
