// Sizes the API accepts. Documented in the schema descriptions and the README;
// anything larger is refused with a field-level error, never truncated.
export const MAX_NAME_LENGTH = 255;
export const MAX_TEXT_LENGTH = 10_000;
export const MAX_URL_LENGTH = 2_048;
export const MAX_ADMINS = 100;
export const MAX_RESTRICTIONS = 1_000;
export const MAX_RESTRICTION_LENGTH = 255;
export const MAX_SEARCH_LENGTH = 255;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
