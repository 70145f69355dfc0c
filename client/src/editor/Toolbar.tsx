import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Editor, EditorEvents } from '@tiptap/core';
import { Icon, type IconName } from '../components/icons.js';
import { LinkPopover } from './LinkPopover.js';

type BlockType = 'paragraph' | 'h1' | 'h2' | 'h3' | 'codeBlock' | 'other';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

type ToolbarState = ReturnType<typeof selectToolbarState>;

function selectToolbarState({ editor }: { editor: Editor }) {
  const block: BlockType = editor.isActive('heading', { level: 1 })
    ? 'h1'
    : editor.isActive('heading', { level: 2 })
      ? 'h2'
      : editor.isActive('heading', { level: 3 })
        ? 'h3'
        : editor.isActive('codeBlock')
          ? 'codeBlock'
          : editor.isActive('paragraph')
            ? 'paragraph'
            : 'other';
  return {
    editable: editor.isEditable,
    block,
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    strike: editor.isActive('strike'),
    code: editor.isActive('code'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    blockquote: editor.isActive('blockquote'),
    link: editor.isActive('link'),
    // Collaboration's undo/redo use Yjs's UndoManager: only this person's own changes.
    canUndo: editor.can().undo(),
    canRedo: editor.can().redo(),
  };
}

interface ButtonProps {
  icon: IconName;
  label: string;
  shortcut?: string;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  testId?: string;
}

function ToolButton({ icon, label, shortcut, active, disabled, onClick, testId }: ButtonProps) {
  const tip = shortcut ? `${label} (${shortcut})` : label;
  return (
    <button
      type="button"
      className={`tool${active ? ' tool--active' : ''}`}
      aria-label={label}
      aria-pressed={active === undefined ? undefined : active}
      data-tooltip={tip}
      data-testid={testId}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on a button would otherwise blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}

const Group = ({ children }: { children: ReactNode }) => <div className="toolbar__group">{children}</div>;

function sameState(a: ToolbarState, b: ToolbarState): boolean {
  return (Object.keys(a) as Array<keyof ToolbarState>).every((key) => a[key] === b[key]);
}

/**
 * The toolbar's state, recomputed once per frame, after that frame is painted, and only after
 * transactions that can change it (document, selection, stored marks; not the remote carets'
 * meta-only ones).
 *
 * Why not `useEditorState`: it runs the selector (ten `isActive` checks and `can().undo()`,
 * which builds a command chain) inside every transaction — each keystroke, each remote
 * keystroke and each remote caret move — before the frame that shows the keystroke can be
 * painted (issue 5). A button's pressed state showing one frame after the text is invisible;
 * the text showing a frame late is not.
 */
function useToolbarState(editor: Editor): ToolbarState {
  const [state, setState] = useState(() => selectToolbarState({ editor }));
  useEffect(() => {
    let scheduled = false;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = (): void => {
      scheduled = false;
      if (editor.isDestroyed) return;
      const next = selectToolbarState({ editor });
      setState((previous) => (sameState(previous, next) ? previous : next));
    };
    // A task posted from a frame callback runs after that frame's paint.
    const schedule = (): void => {
      if (scheduled) return;
      scheduled = true;
      frame = requestAnimationFrame(() => {
        timer = setTimeout(refresh, 0);
      });
    };
    const onTransaction = ({ transaction }: EditorEvents['transaction']): void => {
      if (transaction.docChanged || transaction.selectionSet || transaction.storedMarksSet) schedule();
    };
    editor.on('transaction', onTransaction);
    // setEditable emits 'update' without a transaction.
    editor.on('update', schedule);
    schedule();
    return () => {
      editor.off('transaction', onTransaction);
      editor.off('update', schedule);
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [editor]);
  return state;
}

export function Toolbar({ editor }: { editor: Editor }) {
  const state = useToolbarState(editor);
  const [linkOpen, setLinkOpen] = useState(false);
  const openLink = useCallback(() => setLinkOpen(true), []);
  useLinkShortcut(editor, openLink);
  const off = !state.editable;
  const chain = () => editor.chain().focus();

  const setBlock = (value: string) => {
    if (value === 'paragraph') chain().setParagraph().run();
    else if (value === 'codeBlock') chain().setCodeBlock().run();
    else if (value === 'h1' || value === 'h2' || value === 'h3') {
      chain()
        .setHeading({ level: Number(value.slice(1)) as 1 | 2 | 3 })
        .run();
    }
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="toolbar">
      <Group>
        <ToolButton icon="undo" label="Undo" shortcut={`${mod}Z`} disabled={off || !state.canUndo} onClick={() => chain().undo().run()} testId="tool-undo" />
        <ToolButton icon="redo" label="Redo" shortcut={isMac ? '⇧⌘Z' : 'Ctrl+Y'} disabled={off || !state.canRedo} onClick={() => chain().redo().run()} testId="tool-redo" />
      </Group>
      <Group>
        <select
          className="tool-select"
          aria-label="Text style"
          data-testid="tool-block"
          value={state.block}
          disabled={off}
          onChange={(event) => setBlock(event.target.value)}
        >
          <option value="paragraph">Paragraph</option>
          <option value="h1">Heading 1</option>
          <option value="h2">Heading 2</option>
          <option value="h3">Heading 3</option>
          <option value="codeBlock">Code block</option>
          <option value="other" disabled hidden>
            Mixed
          </option>
        </select>
      </Group>
      <Group>
        <ToolButton icon="bold" label="Bold" shortcut={`${mod}B`} active={state.bold} disabled={off} onClick={() => chain().toggleBold().run()} testId="tool-bold" />
        <ToolButton icon="italic" label="Italic" shortcut={`${mod}I`} active={state.italic} disabled={off} onClick={() => chain().toggleItalic().run()} testId="tool-italic" />
        <ToolButton icon="strike" label="Strikethrough" shortcut={isMac ? '⇧⌘S' : 'Ctrl+Shift+S'} active={state.strike} disabled={off} onClick={() => chain().toggleStrike().run()} testId="tool-strike" />
        <ToolButton icon="code" label="Code" shortcut={`${mod}E`} active={state.code} disabled={off} onClick={() => chain().toggleCode().run()} testId="tool-code" />
      </Group>
      <Group>
        <ToolButton icon="bulletList" label="Bulleted list" active={state.bulletList} disabled={off} onClick={() => chain().toggleBulletList().run()} testId="tool-bullet-list" />
        <ToolButton icon="orderedList" label="Numbered list" active={state.orderedList} disabled={off} onClick={() => chain().toggleOrderedList().run()} testId="tool-ordered-list" />
        <ToolButton icon="quote" label="Quote" active={state.blockquote} disabled={off} onClick={() => chain().toggleBlockquote().run()} testId="tool-blockquote" />
      </Group>
      <Group>
        <div className="toolbar__anchor">
          <ToolButton icon="link" label="Link" shortcut={`${mod}K`} active={state.link || linkOpen} disabled={off} onClick={() => setLinkOpen((open) => !open)} testId="tool-link" />
          {linkOpen && <LinkPopover editor={editor} onClose={() => setLinkOpen(false)} />}
        </div>
      </Group>
    </div>
  );
}

/** Mod-K opens the link prompt from inside the text, as in most editors. */
function useLinkShortcut(editor: Editor, onOpen: () => void): void {
  useEffect(() => {
    const dom = editor.view.dom;
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        if (editor.isEditable) onOpen();
      }
    };
    dom.addEventListener('keydown', onKey);
    return () => dom.removeEventListener('keydown', onKey);
  }, [editor, onOpen]);
}
