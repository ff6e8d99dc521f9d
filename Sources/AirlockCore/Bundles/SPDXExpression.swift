/// An SPDX license expression (SPDX 2.3, Annex D): license ids (optionally `+`), `LicenseRef-…`
/// and `DocumentRef-…:LicenseRef-…`, `WITH` an exception, `AND`, `OR` and parentheses. `AND`
/// binds tighter than `OR`. Operators must be upper case; ids match case-insensitively against
/// `SPDXLicenseList` and are reported in their canonical spelling.
public struct SPDXExpression: Sendable, Hashable, CustomStringConvertible {
    public indirect enum Node: Sendable, Hashable {
        case license(id: String, orLater: Bool)
        case reference(String)
        case with(Node, exception: String)
        case and([Node])
        case or([Node])
    }

    /// Why an expression is invalid; `offset` counts characters from the start.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "invalid SPDX expression at character \(offset + 1): \(message)" }
    }

    public let text: String
    public let root: Node

    public var description: String { text }

    /// Parses and validates `text`.
    public init(_ text: String) throws(SyntaxError) {
        var parser = Parser(tokens: try Self.tokenize(text), end: text.count)
        let root = try parser.orExpression()
        if let extra = parser.peek {
            throw SyntaxError(message: "unexpected \"\(extra.text)\"", offset: extra.offset)
        }
        self.text = text
        self.root = root
    }

    /// Whether `text` is a valid expression.
    public static func isValid(_ text: String) -> Bool {
        (try? SPDXExpression(text)) != nil
    }

    /// Canonical license ids and references, in order of appearance (repeats removed).
    public var licenseIDs: [String] {
        var ids: [String] = []
        func walk(_ node: Node) {
            switch node {
            case .license(let id, _), .reference(let id):
                if !ids.contains(id) { ids.append(id) }
            case .with(let inner, _): walk(inner)
            case .and(let nodes), .or(let nodes): nodes.forEach(walk)
            }
        }
        walk(root)
        return ids
    }

    /// Ids in the expression that SPDX has deprecated (e.g. `GPL-2.0` for `GPL-2.0-only`).
    public var deprecatedIDs: [String] {
        licenseIDs.filter { SPDXLicenseList.deprecated.contains($0) }
    }

    // MARK: Lexing and parsing

    struct Token {
        var text: String
        var offset: Int
    }

    private static func tokenize(_ text: String) throws(SyntaxError) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var start = 0
        for (offset, character) in text.enumerated() {
            if character == "(" || character == ")" || character.isWhitespace {
                if !current.isEmpty { tokens.append(Token(text: current, offset: start)) }
                current = ""
                if character == "(" || character == ")" { tokens.append(Token(text: String(character), offset: offset)) }
                continue
            }
            guard character.isASCII, character.isLetter || character.isNumber || "-.+:".contains(character) else {
                throw SyntaxError(message: "character \"\(character)\" is not allowed", offset: offset)
            }
            if current.isEmpty { start = offset }
            current.append(character)
        }
        if !current.isEmpty { tokens.append(Token(text: current, offset: start)) }
        if tokens.isEmpty { throw SyntaxError(message: "empty expression", offset: 0) }
        return tokens
    }

    private struct Parser {
        var tokens: [Token]
        var position = 0
        let end: Int
        var depth = 0

        init(tokens: [Token], end: Int) {
            self.tokens = tokens
            self.end = end
        }

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func orExpression() throws(SyntaxError) -> Node {
            var nodes = [try andExpression()]
            while peek?.text == "OR" {
                position += 1
                nodes.append(try andExpression())
            }
            return nodes.count == 1 ? nodes[0] : .or(nodes)
        }

        mutating func andExpression() throws(SyntaxError) -> Node {
            var nodes = [try withExpression()]
            while peek?.text == "AND" {
                position += 1
                nodes.append(try withExpression())
            }
            return nodes.count == 1 ? nodes[0] : .and(nodes)
        }

        mutating func withExpression() throws(SyntaxError) -> Node {
            let node = try primary()
            guard peek?.text == "WITH" else { return node }
            position += 1
            guard let token = peek else { throw SyntaxError(message: "expected an exception id after WITH", offset: end) }
            position += 1
            if token.text.hasPrefix("AdditionRef-"), SPDXExpression.isIdString(token.text.dropFirst(12)) {
                return .with(node, exception: token.text)
            }
            guard let exception = SPDXLicenseList.canonicalException(token.text) else {
                throw SyntaxError(message: "unknown license exception \"\(token.text)\"", offset: token.offset)
            }
            return .with(node, exception: exception)
        }

        mutating func primary() throws(SyntaxError) -> Node {
            guard let token = peek else { throw SyntaxError(message: "expected a license id", offset: end) }
            position += 1
            if token.text == "(" {
                depth += 1
                guard depth <= 64 else { throw SyntaxError(message: "nesting deeper than 64", offset: token.offset) }
                let inner = try orExpression()
                guard peek?.text == ")" else {
                    throw SyntaxError(message: "expected \")\"", offset: peek?.offset ?? end)
                }
                position += 1
                depth -= 1
                return inner
            }
            if ["AND", "OR", "WITH", ")"].contains(token.text) {
                throw SyntaxError(message: "expected a license id, found \"\(token.text)\"", offset: token.offset)
            }
            if ["and", "or", "with"].contains(token.text) {
                throw SyntaxError(message: "operators are upper case: \"\(token.text.uppercased())\"", offset: token.offset)
            }
            return try license(token)
        }

        private func license(_ token: Token) throws(SyntaxError) -> Node {
            let text = token.text
            if let colon = text.firstIndex(of: ":") {
                let document = text[..<colon]
                let reference = text[text.index(after: colon)...]
                guard document.hasPrefix("DocumentRef-"), SPDXExpression.isIdString(document.dropFirst(12)),
                      reference.hasPrefix("LicenseRef-"), SPDXExpression.isIdString(reference.dropFirst(11)) else {
                    throw SyntaxError(message: "malformed DocumentRef-…:LicenseRef-… reference \"\(text)\"", offset: token.offset)
                }
                return .reference(text)
            }
            if text.hasPrefix("LicenseRef-") {
                guard SPDXExpression.isIdString(text.dropFirst(11)) else {
                    throw SyntaxError(message: "malformed LicenseRef \"\(text)\"", offset: token.offset)
                }
                return .reference(text)
            }
            let orLater = text.hasSuffix("+")
            let id = orLater ? String(text.dropLast()) : text
            guard let canonical = SPDXLicenseList.canonicalLicense(id) else {
                throw SyntaxError(message: "unknown SPDX license id \"\(id)\"", offset: token.offset)
            }
            return .license(id: canonical, orLater: orLater)
        }
    }

    /// `idstring = 1*(ALPHA / DIGIT / "-" / ".")`.
    static func isIdString(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }
}
