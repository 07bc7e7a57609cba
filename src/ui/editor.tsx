/** Editing a sent message: its text, and which of its files the new version keeps. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { MessageView } from './protocol.js';
import { controlAt, opener, restoreFocus } from './focus.js';
import { editing, messages } from './chats.js';
import { saveEdit } from './actions.js';
import { EditFiles } from './attachments.js';

export function Editor({ message }: { message: MessageView }) {
  const [text, setText] = useState(message.content);
  const original = message.attachments ?? [];
  const [files, setFiles] = useState(original);
  const ref = useRef<HTMLTextAreaElement>(null);
  // Absent: the new version keeps the original's files; a list only when some were taken off.
  const save = () => {
    const keepsFiles = files.length === original.length;
    // Nothing changed: a copy of the question would only ask Claude again, as Regenerate does.
    if (text === message.content && keepsFiles) editing.value = null;
    else if (text.trim()) void saveEdit(message, text, keepsFiles ? undefined : files);
  };
  // In the render that shows the editor, not after the next paint: an Esc pressed before that paint
  // closes the editor (app.tsx), and an effect not yet run would leave the focus nowhere.
  useLayoutEffect(() => {
    // The Edit button (or the message box, after ↑) gets the focus back when the editor goes;
    // after a save the edited version has taken this message's place.
    const from = opener();
    const index = messages.value.findIndex((m) => m.id === message.id);
    ref.current?.focus();
    ref.current?.select();
    return () => restoreFocus(() => (from?.isConnected ? from : controlAt(index, 'Edit')));
  }, []);
  return (
    <form
      class="editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label class="sr-only" for={`edit-${message.id}`}>
        Edit message
      </label>
      <textarea
        ref={ref}
        id={`edit-${message.id}`}
        value={text}
        rows={Math.min(12, text.split('\n').length + 1)}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            editing.value = null;
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          }
        }}
      />
      <EditFiles
        files={files}
        onRemove={(index) => {
          setFiles(files.filter((_f, i) => i !== index));
          // Now, before the × goes: the text box stays, and a key pressed next belongs in it.
          ref.current?.focus();
        }}
      />
      <div class="editor-actions">
        <button type="button" onClick={() => (editing.value = null)}>
          Cancel
        </button>
        <button type="submit" class="primary">
          Save and send
        </button>
      </div>
    </form>
  );
}
