/** Modal dialogs on the native <dialog>: focus is trapped and Esc closes them. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
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

export function ConfirmDialog(props: { title: string; body: string; confirm: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Modal title={props.title} onClose={props.onCancel}>
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
