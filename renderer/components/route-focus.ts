/** Whether the user has moved between screens: then a new screen's heading takes focus (not on first load). */
import { createContext } from 'react';

/** True once the user has navigated away from the first screen. */
export const RouteFocusContext = createContext(false);
