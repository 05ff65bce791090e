import { createContext, useContext } from 'react';

/** Lets any page open the contact drawer on one contact's history (the feed's rows do). */
export interface ContactDrawerApi {
  openContact(contactId: number): void;
}

export const ContactDrawerContext = createContext<ContactDrawerApi>({ openContact: () => undefined });

export function useContactDrawer(): ContactDrawerApi {
  return useContext(ContactDrawerContext);
}
