"""Pure text work, no database: normalizing for search, HTML trees and their readable text, the
duplicate keys, and whitespace. The importer, the models and search all build on it."""
