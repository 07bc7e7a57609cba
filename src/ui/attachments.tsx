/** Files on screen: those waiting in the message box (attach, drop, paste), and those a sent message carries. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from './icons.js';
import { restoreFocus } from './focus.js';
import { ACCEPT, blobUrl, describeFile, fitBox, type Attachment } from './files.js';
import { addFiles, pending, removePending, type Pending } from './uploads.js';

const focusBox = () => document.getElementById('composer-input')?.focus();

export function AttachButton() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="icon attach" aria-label="Attach files" title="Attach images, PDFs or text files" onClick={() => input.current?.click()}>
        <Icon name="clip" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        class="sr-only attach-input"
        aria-label="Files to attach"
        // The paperclip is the one control; the input it opens stays out of the tab order and out
        // of what a screen reader lists.
        aria-hidden="true"
        tabIndex={-1}
        onChange={(e) => {
          const el = e.currentTarget;
          addFiles([...(el.files ?? [])]);
          el.value = '';
        }}
      />
    </>
  );
}

/** A pasted screenshot is attached; pasted text stays text (a copy from a word processor brings both). */
export function onPasteFiles(e: ClipboardEvent): void {
  const data = e.clipboardData;
  const files = data ? [...data.files] : [];
  if (!data || files.length === 0 || data.getData('text/plain').trim()) return;
  e.preventDefault();
  addFiles(files);
}

/** Files dropped anywhere on the chat are attached; dropped elsewhere on the page they do nothing (not open in place of the app). */
export function useFileDrop(enabled: boolean) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const hasFiles = (e: DragEvent) => enabled && (e.dataTransfer?.types.includes('Files') ?? false);
  useEffect(() => {
    const refuse = (e: DragEvent) => e.dataTransfer?.types.includes('Files') && e.preventDefault();
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);
  return {
    dragging,
    onDragEnter: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setDragging(true);
    },
    onDragOver: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    },
    onDragLeave: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      addFiles([...e.dataTransfer!.files]);
      focusBox();
    },
  };
}

function Thumb({ kind, cid }: { kind: Attachment['kind'] | null; cid: string | undefined }) {
  if (kind === 'image' && cid) return <img class="thumb-small" src={blobUrl(cid)} alt="" width={40} height={40} />;
  return (
    <span class="thumb-small icon-thumb" aria-hidden="true">
      <Icon name={kind === 'image' ? 'image' : 'file'} />
    </span>
  );
}

function PendingChip({ file }: { file: Pending }) {
  const detail = file.state === 'uploading' ? `Uploading… ${Math.round(file.progress * 100)}%` : file.state === 'refused' ? `Not attached: ${file.error}` : describeFile(file.blob!);
  return (
    <li class={`file-chip ${file.state}`}>
      <Thumb kind={file.kind} cid={file.blob?.cid} />
      <span class="file-text">
        <span class="file-name" title={file.name}>
          {file.name}
        </span>
        <span class="file-detail">{detail}</span>
      </span>
      <button
        type="button"
        class="icon remove"
        aria-label={`Remove ${file.name}`}
        onClick={(e) => {
          const li = e.currentTarget.closest('li');
          const next = (li?.nextElementSibling ?? li?.previousElementSibling)?.querySelector<HTMLElement>('.remove');
          removePending(file.key);
          // The chip goes: the next one's ×, or the message box, takes the focus.
          restoreFocus(() => (next?.isConnected ? next : document.getElementById('composer-input')));
        }}
      >
        <Icon name="close" />
      </button>
    </li>
  );
}

export function PendingFiles() {
  const list = pending.value;
  if (list.length === 0) return null;
  return (
    <ul class="file-list pending-files" aria-label="Files to send">
      {list.map((p) => (
        <PendingChip key={p.key} file={p} />
      ))}
    </ul>
  );
}

function ImageLink({ file }: { file: Attachment }) {
  const box = fitBox(file.width, file.height, 220);
  return (
    <a class="image-link" href={blobUrl(file.cid)} target="_blank" rel="noopener noreferrer" aria-label={`${file.name}, ${describeFile(file)} (opens the full image)`} title={file.name}>
      <img src={blobUrl(file.cid)} alt="" width={box.width} height={box.height} loading="lazy" decoding="async" />
    </a>
  );
}

function FileLink({ file }: { file: Attachment }) {
  return (
    <a class="file-chip file-link" href={blobUrl(file.cid, file.name)} download={file.name} aria-label={`${file.name}, ${describeFile(file)} (download)`}>
      <Thumb kind={file.kind} cid={undefined} />
      <span class="file-text">
        <span class="file-name">{file.name}</span>
        <span class="file-detail">{describeFile(file)}</span>
      </span>
    </a>
  );
}

/** What a sent message carries: images as thumbnails that open in full, other files as downloads. */
export function MessageFiles({ files }: { files: Attachment[] }) {
  return (
    <ul class="file-list message-files" aria-label={files.length === 1 ? 'Attached file' : `${files.length} attached files`}>
      {files.map((f, i) => (
        <li key={`${i}-${f.cid}`}>{f.kind === 'image' ? <ImageLink file={f} /> : <FileLink file={f} />}</li>
      ))}
    </ul>
  );
}

/** The files of a message being edited: the new version keeps them, or not. */
export function EditFiles({ files, onRemove }: { files: Attachment[]; onRemove: (index: number) => void }) {
  if (files.length === 0) return null;
  return (
    <ul class="file-list edit-files" aria-label="Files this version keeps">
      {files.map((f, i) => (
        <li key={`${i}-${f.cid}`} class="file-chip ready">
          <Thumb kind={f.kind} cid={f.cid} />
          <span class="file-text">
            <span class="file-name">{f.name}</span>
            <span class="file-detail">{describeFile(f)}</span>
          </span>
          <button type="button" class="icon remove" aria-label={`Remove ${f.name} from this version`} onClick={() => onRemove(i)}>
            <Icon name="close" />
          </button>
        </li>
      ))}
    </ul>
  );
}
