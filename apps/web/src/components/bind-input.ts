/** Binds text inputs to the fields of a draft: `<input {...field('name')} />` shows the field and writes what is typed back. */
export function bindInput<T extends Record<keyof T, string>>(draft: T, setDraft: (next: T) => void) {
  return (name: keyof T) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value }),
  });
}
