/** Copy a text, or save it through main's save dialog; says where it was saved, or why not. */
import { useSaveText } from '../features/csr/use-csr.js';
import { CopyButton } from './CopyButton.js';
import { errorMessage, Notice } from './Notice.js';

/** Copy and "Save … to file…" for one text (a CSR, a bundle). */
export function CopySaveActions({ text, what, fileName }: { text: string; what: string; fileName: string }): React.JSX.Element {
  const save = useSaveText();
  return (
    <>
      <div className="row">
        <CopyButton text={text} label={what} />
        <button type="button" className="btn" onClick={() => save.mutate({ defaultName: fileName, content: text })} disabled={save.isPending}>
          {`Save ${what} to file…`}
        </button>
        {save.data?.saved ? <span className="muted">{`Saved to ${save.data.path}`}</span> : null}
      </div>
      {save.isError ? <Notice tone="danger">{errorMessage(save.error)}</Notice> : null}
    </>
  );
}
