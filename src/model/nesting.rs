//! How deeply a TOML text nests, checked before any recursive parser is given it: complaint files
//! (`store::reader`, `store::document`) and gripe.toml (`config`) alike.

use toml_parser::Source;

/// How deeply arrays and inline tables may nest. Complaint files need two levels; a hostile
/// file nested thousands deep would otherwise exhaust the stack of any recursive parser.
pub(crate) const MAX_DEPTH: usize = 32;

/// The offset where `text` nests deeper than [`MAX_DEPTH`], if it does: the check to make
/// before giving any other TOML text (gripe.toml) to a recursive parser.
pub(crate) fn nesting_too_deep(text: &str) -> Option<usize> {
    let tokens: Vec<_> = Source::new(text).lex().collect();
    too_deep(&tokens)
}

/// The offset where brackets first nest deeper than [`MAX_DEPTH`], if they do. Brackets inside
/// strings are part of string tokens, so they do not count.
pub(crate) fn too_deep(tokens: &[toml_parser::lexer::Token]) -> Option<usize> {
    use toml_parser::lexer::TokenKind;
    let mut depth = 0usize;
    for token in tokens {
        match token.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(token.span().start());
                }
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    None
}
