/** The top of every screen: its title (focused when the user navigates to it, for keyboard and screen-reader users), what it is for, actions. */
import { useContext, useEffect, useRef, type ReactNode } from 'react';
import { pendingFocus, RouteFocusContext } from './route-focus.js';

/** A page header; the h1 takes focus when the user opens the screen, unless the navigation asked for a control of it. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }): React.JSX.Element {
  const ref = useRef<HTMLHeadingElement>(null);
  const navigated = useContext(RouteFocusContext);
  useEffect(() => {
    // Effects run in tree order, so the header sees a request before the control that answers it.
    if (navigated && pendingFocus() === null) ref.current?.focus({ preventScroll: true });
  }, [navigated, title]);
  return (
    <header className="page-header">
      <div>
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}
