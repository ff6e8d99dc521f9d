/// Token kinds of the CEL grammar.
enum TokenKind: Equatable, Sendable {
    case ident(String)
    /// A backquoted identifier (only valid as a field name).
    case quotedIdent(String)
    case int(String)
    case uint(String)
    case double(String)
    case string(String)
    case bytes([UInt8])
    case punct(String)
    case eof
}

struct Token: Sendable {
    let kind: TokenKind
    /// Scalar offset of the first character.
    let offset: Int
}

struct LexError: Error {
    let offset: Int
    let message: String
}

/// Splits an expression into tokens. Operates on Unicode scalars.
struct Lexer {
    let s: [Unicode.Scalar]
    var i = 0

    init(_ source: CELSource) { s = source.scalars }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? {
        i + k < s.count ? s[i + k] : nil
    }

    static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c >= "0" && c <= "9"
    }

    static func isHex(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F")
    }

    static func isIdentStart(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }

    static func isIdentPart(_ c: Unicode.Scalar?) -> Bool { isIdentStart(c) || isDigit(c) }

    /// The scalars `start..<end`, which the caller has checked are ASCII (identifiers, numbers),
    /// as a string: decoding bytes is far cheaper than appending scalars one by one.
    private func asciiText(_ start: Int, _ end: Int) -> String {
        String(decoding: s[start..<end].lazy.map { UInt8(truncatingIfNeeded: $0.value) }, as: UTF8.self)
    }

    mutating func tokenize() throws(LexError) -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" {
                i += 1
            } else if c == "/" && peek(1) == "/" {
                while let d = peek(), d != "\n" { i += 1 }
            } else {
                return
            }
        }
    }

    /// `==`, `!=`, `<=`, `>=`, `&&`, `||`, `.?` and `[?`, compared without building strings.
    private static func twoCharacterPunctuation(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> String? {
        switch (first, second) {
        case ("=", "="): return "=="
        case ("!", "="): return "!="
        case ("<", "="): return "<="
        case (">", "="): return ">="
        case ("&", "&"): return "&&"
        case ("|", "|"): return "||"
        case (".", "?"): return ".?"
        case ("[", "?"): return "[?"
        default: return nil
        }
    }
    private static let puncts1: Set<Unicode.Scalar> = [
        "+", "-", "*", "/", "%", "!", "<", ">", "=", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}",
    ]

    mutating func next() throws(LexError) -> Token {
        skipTrivia()
        let start = i
        guard let c = peek() else { return Token(kind: .eof, offset: i) }

        // String and bytes literals with optional r/b prefixes.
        if c == "\"" || c == "'" {
            return Token(kind: .string(try lexString(raw: false, bytes: false, start: start)), offset: start)
        }
        if c == "r" || c == "R" || c == "b" || c == "B" {
            var j = 1
            var raw = false
            var bytes = false
            var ok = true
            while j <= 2, let d = peek(j - 1), d != "\"" && d != "'" {
                if d == "r" || d == "R" {
                    if raw { ok = false }
                    raw = true
                } else if d == "b" || d == "B" {
                    if bytes { ok = false }
                    bytes = true
                } else {
                    ok = false
                    break
                }
                j += 1
            }
            if ok, let q = peek(j - 1), q == "\"" || q == "'" {
                i += j - 1
                if bytes {
                    let b = try lexStringBytes(raw: raw, start: start)
                    return Token(kind: .bytes(b), offset: start)
                }
                return Token(kind: .string(try lexString(raw: raw, bytes: false, start: start)), offset: start)
            }
        }
        if Lexer.isIdentStart(c) {
            while Lexer.isIdentPart(peek()) { i += 1 }
            return Token(kind: .ident(asciiText(start, i)), offset: start)
        }
        if c == "`" {
            i += 1
            var str = String.UnicodeScalarView()
            while let d = peek(), d != "`" {
                guard Lexer.isIdentPart(d) || d == "." || d == "-" || d == "/" || d == " " else {
                    throw LexError(offset: i, message: "invalid character in quoted identifier")
                }
                str.append(d)
                i += 1
            }
            guard peek() == "`", !str.isEmpty else {
                throw LexError(offset: start, message: "unterminated quoted identifier")
            }
            i += 1
            return Token(kind: .quotedIdent(String(str)), offset: start)
        }
        if Lexer.isDigit(c) || (c == "." && Lexer.isDigit(peek(1))) {
            return try lexNumber(start: start)
        }
        if i + 1 < s.count, let t = Lexer.twoCharacterPunctuation(s[i], s[i + 1]) {
            i += 2
            return Token(kind: .punct(t), offset: start)
        }
        if Lexer.puncts1.contains(c) {
            i += 1
            return Token(kind: .punct(String(c)), offset: start)
        }
        throw LexError(offset: start, message: "unexpected character '\(c.escaped(asASCII: false))'")
    }

    private mutating func lexNumber(start: Int) throws(LexError) -> Token {
        if peek() == "0", peek(1) == "x" || peek(1) == "X" {
            i += 2
            let digitsStart = i
            while Lexer.isHex(peek()) { i += 1 }
            if i == digitsStart { throw LexError(offset: start, message: "invalid hex literal") }
            let t = asciiText(start, i)
            if peek() == "u" || peek() == "U" {
                i += 1
                return Token(kind: .uint(t), offset: start)
            }
            return Token(kind: .int(t), offset: start)
        }
        var isDouble = false
        while Lexer.isDigit(peek()) { i += 1 }
        if peek() == ".", Lexer.isDigit(peek(1)) {
            isDouble = true
            i += 1
            while Lexer.isDigit(peek()) { i += 1 }
        }
        if peek() == "e" || peek() == "E" {
            var j = 1
            if peek(1) == "+" || peek(1) == "-" { j = 2 }
            if Lexer.isDigit(peek(j)) {
                isDouble = true
                i += j
                while Lexer.isDigit(peek()) { i += 1 }
            }
        }
        let t = asciiText(start, i)
        if isDouble { return Token(kind: .double(t), offset: start) }
        if peek() == "u" || peek() == "U" {
            i += 1
            return Token(kind: .uint(t), offset: start)
        }
        return Token(kind: .int(t), offset: start)
    }

    /// Lexes a quoted literal body into code points (for strings) or raw bytes (for bytes).
    /// `\x`, octal escapes produce a byte in bytes literals and a code point in strings.
    private enum Piece {
        case scalar(Unicode.Scalar)
        case byte(UInt8)
    }

    private mutating func lexPieces(raw: Bool, bytes: Bool, start: Int) throws(LexError) -> [Piece] {
        guard let q = peek() else { throw LexError(offset: start, message: "unterminated string") }
        let triple = peek(1) == q && peek(2) == q
        i += triple ? 3 : 1
        var out: [Piece] = []
        while true {
            guard let c = peek() else { throw LexError(offset: start, message: "unterminated string literal") }
            if c == q {
                if !triple {
                    i += 1
                    return out
                }
                if peek(1) == q && peek(2) == q {
                    i += 3
                    return out
                }
            }
            if !triple && (c == "\n" || c == "\r") {
                throw LexError(offset: start, message: "unterminated string literal")
            }
            if c == "\\" && !raw {
                let escStart = i
                i += 1
                guard let e = peek() else { throw LexError(offset: escStart, message: "invalid escape sequence") }
                i += 1
                switch e {
                case "a": out.append(.scalar("\u{07}"))
                case "b": out.append(.scalar("\u{08}"))
                case "f": out.append(.scalar("\u{0C}"))
                case "n": out.append(.scalar("\n"))
                case "r": out.append(.scalar("\r"))
                case "t": out.append(.scalar("\t"))
                case "v": out.append(.scalar("\u{0B}"))
                case "\\", "'", "\"", "`", "?": out.append(.scalar(e))
                case "x", "X":
                    let v = try hexDigits(2, escStart)
                    out.append(bytes ? .byte(UInt8(v)) : .scalar(Unicode.Scalar(UInt8(v))))
                case "u", "U":
                    if bytes { throw LexError(offset: escStart, message: "unicode escape in bytes literal") }
                    let v = try hexDigits(e == "u" ? 4 : 8, escStart)
                    guard let sc = Unicode.Scalar(v) else {
                        throw LexError(offset: escStart, message: "invalid unicode code point in escape sequence")
                    }
                    out.append(.scalar(sc))
                case "0"..."3":
                    var v = e.value - 48
                    for _ in 0..<2 {
                        guard let d = peek(), d >= "0" && d <= "7" else {
                            throw LexError(offset: escStart, message: "invalid octal escape sequence")
                        }
                        v = v * 8 + d.value - 48
                        i += 1
                    }
                    out.append(bytes ? .byte(UInt8(v)) : .scalar(Unicode.Scalar(UInt8(v))))
                default:
                    throw LexError(offset: escStart, message: "invalid escape sequence '\\\(e)'")
                }
                continue
            }
            if c == "\r" && triple {
                // Normalize CRLF / CR to LF inside multi-line strings.
                i += 1
                if peek() == "\n" { i += 1 }
                out.append(.scalar("\n"))
                continue
            }
            out.append(.scalar(c))
            i += 1
        }
    }

    private mutating func hexDigits(_ n: Int, _ escStart: Int) throws(LexError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<n {
            guard let d = peek(), Lexer.isHex(d) else {
                throw LexError(offset: escStart, message: "invalid hex escape sequence")
            }
            v = v * 16 + UInt32(Int(String(d), radix: 16) ?? 0)
            i += 1
        }
        return v
    }

    private mutating func lexString(raw: Bool, bytes: Bool, start: Int) throws(LexError) -> String {
        var v = String.UnicodeScalarView()
        for p in try lexPieces(raw: raw, bytes: false, start: start) {
            if case .scalar(let sc) = p { v.append(sc) }
        }
        return String(v)
    }

    private mutating func lexStringBytes(raw: Bool, start: Int) throws(LexError) -> [UInt8] {
        var out: [UInt8] = []
        for p in try lexPieces(raw: raw, bytes: true, start: start) {
            switch p {
            case .byte(let b): out.append(b)
            case .scalar(let sc): out.append(contentsOf: Array(String(sc).utf8))
            }
        }
        return out
    }
}
