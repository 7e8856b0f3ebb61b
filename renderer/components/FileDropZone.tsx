/**
 * A drop zone for any number of files, with a "Choose files…" button for the picker. Dropped text
 * (from another app) goes to `onText`. The hidden file input stays out of the tab order: the
 * button is the keyboard's way in.
 */
import { useRef, useState, type DragEvent, type ReactNode, type RefObject } from 'react';

/** What the zone says and where its files go. */
export interface FileDropZoneProps {
  readonly title: ReactNode;
  readonly hint: ReactNode;
  /** The hidden input's accessible name. */
  readonly inputLabel: string;
  readonly testId: string;
  readonly onFiles: (files: File[]) => void;
  readonly onText: (text: string) => void;
  /** The button's ref (e.g. a route focus target). */
  readonly chooseRef?: RefObject<HTMLButtonElement | null>;
  /** The button as the screen's main action. */
  readonly primary?: boolean;
}

/** Drop files or text here, or choose files. */
export function FileDropZone({ title, hint, inputLabel, testId, onFiles, onText, chooseRef, primary = false }: FileDropZoneProps): React.JSX.Element {
  const [active, setActive] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setActive(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) onFiles(files);
    else {
      const text = e.dataTransfer.getData('text/plain');
      if (text.trim()) onText(text);
    }
  };
  return (
    <div
      className={active ? 'dropzone active' : 'dropzone'}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setActive(true);
      }}
      onDragLeave={() => setActive(false)}
      onDrop={onDrop}
    >
      <div className="dropzone-title">{title}</div>
      <p className="muted">{hint}</p>
      <button ref={chooseRef} type="button" className={primary ? 'btn btn-primary' : 'btn'} onClick={() => input.current?.click()}>
        Choose files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        aria-label={inputLabel}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </div>
  );
}
