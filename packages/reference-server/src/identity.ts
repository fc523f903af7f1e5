// The name and version the reference server gives itself: in a module of their own, so that its
// command answers `--help`, `--version` and bad options without loading the server.

/** The implementation name `get_impl_info` answers. */
export const implName = 'milky-reference-server';
/** The implementation version `get_impl_info` answers. */
export const implVersion = '0.1.0';
