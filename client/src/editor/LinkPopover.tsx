import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Editor } from '@tiptap/core';
import { normalizeLinkUrl } from './linkUrl.js';

interface Props {
  editor: Editor;
  onClose: () => void;
}

/**
 * The link prompt: a small form under the toolbar's link button. It edits the link under the
 * cursor, or links the selected text, or inserts the address as linked text when nothing is
 * selected. Only http(s) and mailto addresses are accepted.
 */
export function LinkPopover({ editor, onClose }: Props) {
  const current = (editor.getAttributes('link') as { href?: string }).href ?? '';
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const rootRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.parentElement?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [onClose]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const href = normalizeLinkUrl(value);
    if (href === null) {
      setError('Enter a web address (https://…) or an e-mail address.');
      return;
    }
    const { empty } = editor.state.selection;
    if (empty && !editor.isActive('link')) {
      editor
        .chain()
        .focus()
        .insertContent({ type: 'text', text: value.trim(), marks: [{ type: 'link', attrs: { href } }] })
        .run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    }
    onClose();
  };

  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  return (
    <form
      ref={rootRef}
      className="popover link-popover"
      data-testid="link-popover"
      onSubmit={apply}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          editor.commands.focus();
          onClose();
        }
      }}
      noValidate
    >
      <label className="field">
        <span className="field__label">Link address</span>
        <input
          ref={inputRef}
          className="input"
          data-testid="link-input"
          value={value}
          placeholder="https://europa.eu"
          inputMode="url"
          aria-invalid={error !== null}
          onChange={(event) => {
            setValue(event.target.value);
            setError(null);
          }}
        />
        {error && <span className="field__error">{error}</span>}
      </label>
      <div className="popover__actions">
        {current && (
          <button type="button" className="button button--ghost button--small" onClick={remove} data-testid="link-remove">
            Remove link
          </button>
        )}
        <button type="submit" className="button button--primary button--small" data-testid="link-apply">
          {current ? 'Update' : 'Add link'}
        </button>
      </div>
    </form>
  );
}
