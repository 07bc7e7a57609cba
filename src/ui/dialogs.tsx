/** Modal dialogs on the native <dialog>: focus is trapped and Esc closes them. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { opener, restoreFocus } from './focus.js';

function Modal({ title, onClose, children, fallbackFocus }: { title: string; onClose: () => void; children: ComponentChildren; fallbackFocus?: () => HTMLElement | null }) {
  const ref = useRef<HTMLDialogElement>(null);
  // Modal as it is rendered: an Esc before the paint would otherwise reach the page, not the dialog.
  useLayoutEffect(() => {
    // The dialog is removed rather than closed, so the browser does not give the focus back itself.
    const from = opener();
    ref.current?.showModal();
    return () => restoreFocus(() => (from?.isConnected ? from : fallbackFocus?.()));
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

export function ConfirmDialog(props: { title: string; body: string; confirm: string; onConfirm: () => void; onCancel: () => void; fallbackFocus?: () => HTMLElement | null }) {
  return (
    <Modal title={props.title} onClose={props.onCancel} fallbackFocus={props.fallbackFocus}>
      <p>{props.body}</p>
      <div class="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </Modal>
  );
}

export function SystemPromptDialog(props: { value: string; onSave: (value: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(props.value);
  return (
    <Modal title="System prompt" onClose={props.onCancel}>
      <label for="system-prompt">Instructions Claude follows in this chat</label>
      <textarea id="system-prompt" rows={8} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      <div class="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class="primary" onClick={() => props.onSave(text)}>
          Save
        </button>
      </div>
    </Modal>
  );
}
