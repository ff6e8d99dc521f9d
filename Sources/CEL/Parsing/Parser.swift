/// Options of the parser.
struct ParserOptions: Sendable {
    /// Expand macros (`has`, `all`, `exists`, ...). When false they parse as plain calls.
    var macros = true
    /// Maximum nesting depth of the expression tree.
    var maxDepth = 250
    /// Maximum length of the expression in Unicode scalars.
    var maxLength = 100_000
}

struct ParseError: Error {
    let offset: Int
    let message: String
}

/// Hand-written recursive-descent parser for the CEL grammar (cel-spec langdef),
/// with macro expansion at parse time.
struct Parser {
    private let tokens: [Token]
    private var pos = 0
    private var nextID = 1
    private var offsets: [Int: Int] = [:]
    private var depth = 0
    private let options: ParserOptions
    private let source: CELSource

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
        "package", "namespace", "return", "var", "void", "while", "in",
    ]

    static func parse(_ source: CELSource, options: ParserOptions = ParserOptions()) throws(ParseError) -> CELAST {
        if source.scalars.count > options.maxLength {
            throw ParseError(offset: 0, message: "expression exceeds the size limit of \(options.maxLength) characters")
        }
        var lexer = Lexer(source)
        let tokens: [Token]
        do {
            tokens = try lexer.tokenize()
        } catch {
            throw ParseError(offset: error.offset, message: "Syntax error: \(error.message)")
        }
        var p = Parser(tokens: tokens, options: options, source: source)
        let root = try p.parseExpr()
        guard case .eof = p.cur.kind else { throw p.unexpected() }
        // The parser's own recursion is bounded by `depth`; the tree's height bounds the planner's
        // and the evaluator's. They differ: the operand of a left-associative chain (`(x) + 1 + 1`)
        // ends up below every operator after it, however shallow it was parsed.
        if let deep = root.firstNode(deeperThan: options.maxDepth) { throw p.nestingError(at: p.offsets[deep.id] ?? 0) }
        return CELAST(root: root, offsets: p.offsets, source: source)
    }

    private init(tokens: [Token], options: ParserOptions, source: CELSource) {
        self.tokens = tokens
        self.options = options
        self.source = source
    }

    // MARK: - Token helpers

    private var cur: Token { tokens[pos] }

    private func isPunct(_ p: String) -> Bool {
        if case .punct(let q) = cur.kind { return q == p }
        return false
    }

    private mutating func accept(_ p: String) -> Bool {
        if isPunct(p) {
            pos += 1
            return true
        }
        return false
    }

    private mutating func expect(_ p: String) throws(ParseError) {
        if !accept(p) { throw unexpected(expecting: "'\(p)'") }
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .ident(let s): return "'\(s)'"
        case .quotedIdent(let s): return "'`\(s)`'"
        case .punct(let s): return "'\(s)'"
        case .int(let s), .uint(let s), .double(let s): return "'\(s)'"
        case .string: return "string literal"
        case .bytes: return "bytes literal"
        }
    }

    private func unexpected(expecting: String? = nil) -> ParseError {
        var msg = "Syntax error: unexpected \(describe(cur))"
        if let expecting { msg += ", expecting \(expecting)" }
        return ParseError(offset: cur.offset, message: msg)
    }

    private mutating func make(_ kind: ExprKind, at offset: Int) -> Expr {
        let id = nextID
        nextID += 1
        offsets[id] = offset
        return Expr(id: id, kind: kind)
    }

    private mutating func newID(at offset: Int) -> Int {
        let id = nextID
        nextID += 1
        offsets[id] = offset
        return id
    }

    private mutating func enter(_ offset: Int) throws(ParseError) {
        depth += 1
        if depth > options.maxDepth { throw nestingError(at: offset) }
    }

    private func nestingError(at offset: Int) -> ParseError {
        ParseError(offset: offset, message: "expression nesting exceeds the limit of \(options.maxDepth)")
    }

    private mutating func leave() { depth -= 1 }

    // MARK: - Grammar

    /// An expression: one level of nesting, counted at `offset` (its opening parenthesis), else
    /// at its first token.
    mutating func parseExpr(at offset: Int? = nil) throws(ParseError) -> Expr {
        try enter(offset ?? cur.offset)
        defer { leave() }
        let cond = try parseOr()
        if isPunct("?") {
            let off = cur.offset
            pos += 1
            let a = try parseOr()
            try expect(":")
            let b = try parseExpr()
            return make(.call(function: "_?_:_", target: nil, args: [cond, a, b]), at: off)
        }
        return cond
    }

    private static let binaryOps: [String: (prec: Int, fn: String)] = [
        "||": (1, "_||_"), "&&": (2, "_&&_"),
        "<": (3, "_<_"), "<=": (3, "_<=_"), ">": (3, "_>_"), ">=": (3, "_>=_"), "==": (3, "_==_"), "!=": (3, "_!=_"),
        "+": (4, "_+_"), "-": (4, "_-_"),
        "*": (5, "_*_"), "/": (5, "_/_"), "%": (5, "_%_"),
    ]

    private func binaryOp() -> (prec: Int, fn: String)? {
        switch cur.kind {
        case .punct(let p): return Parser.binaryOps[p]
        case .ident("in"): return (3, "@in")
        default: return nil
        }
    }

    private mutating func parseOr() throws(ParseError) -> Expr { try parseBinary(1) }

    /// Precedence climbing over the left-associative binary operators (one stack frame per
    /// precedence step instead of one per grammar rule). Each operator in a flat chain counts
    /// against the depth limit; chains of `&&` or `||` are balanced instead (see
    /// `parseLogicalChain`). The tree's height is checked once it is built (`parse`).
    private mutating func parseBinary(_ minPrec: Int) throws(ParseError) -> Expr {
        var lhs = try parseUnary()
        var chain = 0
        defer { depth -= chain }
        while let (prec, fn) = binaryOp(), prec >= minPrec {
            if fn == "_||_" || fn == "_&&_" {
                lhs = try parseLogicalChain(first: lhs, precedence: prec, function: fn)
                continue
            }
            let off = cur.offset
            pos += 1
            chain += 1
            try enter(off)
            let rhs = try parseBinary(prec + 1)
            lhs = make(.call(function: fn, target: nil, args: [lhs, rhs]), at: off)
        }
        return lhs
    }

    /// `a || b || c ...` (or `&&`) from its first term on, built as a balanced tree as cel-go
    /// builds it: `&&` and `||` are associative (and commutative for errors), so the shape changes
    /// no result, while a chain of n terms is log2(n) deep rather than n. A generated chain of
    /// thousands of terms is within the nesting limit and evaluates without deep recursion.
    private mutating func parseLogicalChain(first: Expr, precedence: Int, function: String) throws(ParseError) -> Expr {
        var terms = [first]
        var operators: [Int] = []
        while let (_, fn) = binaryOp(), fn == function {
            operators.append(cur.offset)
            pos += 1
            terms.append(try parseBinary(precedence + 1))
        }
        return balanced(terms[...], operators: operators[...], function: function)
    }

    /// Terms joined by `function` as a balanced tree; `operators[i]` is the offset of the operator
    /// between `terms[i]` and `terms[i + 1]`, and each node is placed at the operator it splits at.
    private mutating func balanced(_ terms: ArraySlice<Expr>, operators: ArraySlice<Int>, function: String) -> Expr {
        guard terms.count > 1 else { return terms[terms.startIndex] }
        let middle = terms.startIndex + terms.count / 2
        let lhs = balanced(terms[..<middle], operators: operators[..<(middle - 1)], function: function)
        let rhs = balanced(terms[middle...], operators: operators[middle...], function: function)
        return make(.call(function: function, target: nil, args: [lhs, rhs]), at: operators[middle - 1])
    }

    /// A unary operator is a level of nesting of its own; an operand without one is not (a
    /// parenthesis counted once, as cel-go counts it, not twice).
    private mutating func parseUnary() throws(ParseError) -> Expr {
        if isPunct("!") {
            let off = cur.offset
            pos += 1
            try enter(off)
            defer { leave() }
            let operand = try parseUnary()
            return make(.call(function: "!_", target: nil, args: [operand]), at: off)
        }
        if isPunct("-") {
            let off = cur.offset
            pos += 1
            // A minus directly before a number literal is part of the literal.
            switch cur.kind {
            case .int(let t):
                let litOff = cur.offset
                pos += 1
                let lit = try intLiteral("-" + t, at: litOff)
                return try parseMemberSuffix(make(.literal(lit), at: off))
            case .double(let t):
                pos += 1
                return try parseMemberSuffix(make(.literal(.double(-(Double(t) ?? .nan))), at: off))
            default:
                break
            }
            try enter(off)
            defer { leave() }
            let operand = try parseUnary()
            return make(.call(function: "-_", target: nil, args: [operand]), at: off)
        }
        return try parseMember()
    }

    private func intLiteral(_ text: String, at offset: Int) throws(ParseError) -> CELValue {
        var t = Substring(text)
        var negative = false
        if t.hasPrefix("-") {
            negative = true
            t = t.dropFirst()
        }
        let value: Int64?
        if t.hasPrefix("0x") || t.hasPrefix("0X") {
            let mag = UInt64(t.dropFirst(2), radix: 16)
            if let mag {
                value = negative ? (mag == UInt64(Int64.max) + 1 ? Int64.min : (mag <= UInt64(Int64.max) ? -Int64(mag) : nil))
                    : (mag <= UInt64(Int64.max) ? Int64(mag) : nil)
            } else {
                value = nil
            }
        } else {
            value = Int64(negative ? "-" + t : String(t))
        }
        guard let value else { throw ParseError(offset: offset, message: "invalid int literal") }
        return .int(value)
    }

    private func uintLiteral(_ text: String, at offset: Int) throws(ParseError) -> CELValue {
        let v: UInt64?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            v = UInt64(text.dropFirst(2), radix: 16)
        } else {
            v = UInt64(text)
        }
        guard let v else { throw ParseError(offset: offset, message: "invalid uint literal") }
        return .uint(v)
    }

    private mutating func parseMember() throws(ParseError) -> Expr {
        let primary = try parsePrimary()
        return try parseMemberSuffix(primary)
    }

    private mutating func fieldName() throws(ParseError) -> String {
        switch cur.kind {
        case .ident(let s):
            pos += 1
            return s
        case .quotedIdent(let s):
            pos += 1
            return s
        default:
            throw unexpected(expecting: "field name")
        }
    }

    private mutating func parseMemberSuffix(_ start: Expr) throws(ParseError) -> Expr {
        var e = start
        var chain = 0
        defer { depth -= chain }
        while true {
            let off = cur.offset
            if isPunct(".") || isPunct(".?") {
                let optional = isPunct(".?")
                pos += 1
                chain += 1
                try enter(off)
                let nameTok = cur
                let isQuoted: Bool
                if case .quotedIdent = nameTok.kind { isQuoted = true } else { isQuoted = false }
                let name = try fieldName()
                if !optional, !isQuoted, isPunct("(") {
                    pos += 1
                    let args = try parseArgs(close: ")")
                    e = try makeCall(name, target: e, args: args, at: nameTok.offset)
                } else {
                    e = make(.select(operand: e, field: name, testOnly: false, optional: optional), at: off)
                }
            } else if isPunct("[") || isPunct("[?") {
                let optional = isPunct("[?")
                pos += 1
                chain += 1
                try enter(off)
                let idx = try parseExpr()
                try expect("]")
                e = make(.index(operand: e, index: idx, optional: optional), at: off)
            } else {
                return e
            }
        }
    }

    private mutating func parseArgs(close: String) throws(ParseError) -> [Expr] {
        var args: [Expr] = []
        if accept(close) { return args }
        while true {
            args.append(try parseExpr())
            if accept(close) { return args }
            try expect(",")
            // Trailing commas are not allowed in call arguments.
        }
    }

    private mutating func parsePrimary() throws(ParseError) -> Expr {
        let t = cur
        switch t.kind {
        case .int(let s):
            pos += 1
            return make(.literal(try intLiteral(s, at: t.offset)), at: t.offset)
        case .uint(let s):
            pos += 1
            return make(.literal(try uintLiteral(s, at: t.offset)), at: t.offset)
        case .double(let s):
            pos += 1
            guard let d = Double(s) else { throw ParseError(offset: t.offset, message: "invalid double literal") }
            return make(.literal(.double(d)), at: t.offset)
        case .string(let s):
            pos += 1
            return make(.literal(.string(s)), at: t.offset)
        case .bytes(let b):
            pos += 1
            return make(.literal(.bytes(b)), at: t.offset)
        case .quotedIdent:
            throw unexpected()
        case .ident(let name):
            pos += 1
            return try parseIdentOrCall(name, leadingDot: false, at: t.offset)
        case .punct("."):
            pos += 1
            guard case .ident(let name) = cur.kind else { throw unexpected(expecting: "identifier") }
            pos += 1
            return try parseIdentOrCall(name, leadingDot: true, at: t.offset)
        case .punct("("):
            pos += 1
            let e = try parseExpr(at: t.offset)
            try expect(")")
            return e
        case .punct("["):
            pos += 1
            return try parseList(at: t.offset, firstOptional: false)
        case .punct("[?"):
            pos += 1
            return try parseList(at: t.offset, firstOptional: true)
        case .punct("{"):
            pos += 1
            return try parseMap(at: t.offset)
        default:
            throw unexpected()
        }
    }

    private mutating func parseIdentOrCall(_ name: String, leadingDot: Bool, at off: Int) throws(ParseError) -> Expr {
        switch name {
        case "true" where !leadingDot: return make(.literal(.bool(true)), at: off)
        case "false" where !leadingDot: return make(.literal(.bool(false)), at: off)
        case "null" where !leadingDot: return make(.literal(.null), at: off)
        default: break
        }
        if Parser.reserved.contains(name) {
            throw ParseError(offset: off, message: "Syntax error: reserved identifier '\(name)'")
        }
        let full = leadingDot ? "." + name : name
        if isPunct("(") {
            pos += 1
            let args = try parseArgs(close: ")")
            return try makeCall(full, target: nil, args: args, at: off)
        }
        if isPunct("{") {
            return try parseStruct(typeName: full, at: off)
        }
        // Qualified message names: a.b.C{...}
        if isPunct(".") {
            var names = [full]
            var look = pos
            while look + 1 < tokens.count, case .punct(".") = tokens[look].kind,
                case .ident(let n) = tokens[look + 1].kind
            {
                names.append(n)
                look += 2
            }
            if look < tokens.count, case .punct("{") = tokens[look].kind, names.count > 1 {
                pos = look
                return try parseStruct(typeName: names.joined(separator: "."), at: off)
            }
        }
        return make(.ident(full), at: off)
    }

    private mutating func parseStruct(typeName: String, at off: Int) throws(ParseError) -> Expr {
        try expect("{")
        var fields: [FieldInit] = []
        while !isPunct("}") {
            let foff = cur.offset
            let optional = accept("?")
            let name = try fieldName()
            try expect(":")
            let v = try parseExpr()
            fields.append(FieldInit(id: newID(at: foff), field: name, value: v, optional: optional))
            if !accept(",") { break }
        }
        try expect("}")
        return make(.structLiteral(typeName: typeName, fields: fields), at: off)
    }

    private mutating func parseList(at off: Int, firstOptional: Bool) throws(ParseError) -> Expr {
        var elems: [Expr] = []
        var optional: Set<Int> = []
        var pendingOptional = firstOptional
        while !isPunct("]") || pendingOptional {
            if accept("?") || pendingOptional { optional.insert(elems.count) }
            pendingOptional = false
            elems.append(try parseExpr())
            if !accept(",") { break }
        }
        try expect("]")
        return make(.list(elements: elems, optionalIndices: optional), at: off)
    }

    private mutating func parseMap(at off: Int) throws(ParseError) -> Expr {
        var entries: [MapEntry] = []
        while !isPunct("}") {
            let eoff = cur.offset
            let optional = accept("?")
            let k = try parseExpr()
            let colon = cur.offset
            try expect(":")
            let v = try parseExpr()
            entries.append(MapEntry(id: newID(at: colon == 0 ? eoff : colon), key: k, value: v, optional: optional))
            if !accept(",") { break }
        }
        try expect("}")
        return make(.map(entries: entries), at: off)
    }

    // MARK: - Macros

    private func simpleName(_ e: Expr, _ macro: String) throws(ParseError) -> String {
        if case .ident(let n) = e.kind, !n.hasPrefix(".") { return n }
        throw ParseError(offset: offsets[e.id] ?? 0, message: "\(macro)() variable name must be a simple identifier")
    }

    private mutating func makeCall(_ name: String, target: Expr?, args: [Expr], at off: Int) throws(ParseError) -> Expr {
        guard options.macros else {
            return make(.call(function: name, target: target, args: args), at: off)
        }
        func comp(_ kind: ComprehensionKind, _ v1: String, _ v2: String?, _ range: Expr, _ rest: [Expr]) -> ExprKind {
            .comprehension(Comprehension(kind: kind, iterVar: v1, iterVar2: v2, range: range, args: rest))
        }
        if target == nil, name == "has", args.count == 1 {
            guard case .select(let operand, let field, false, let opt) = args[0].kind else {
                throw ParseError(offset: offsets[args[0].id] ?? off, message: "invalid argument to has() macro")
            }
            return make(.select(operand: operand, field: field, testOnly: true, optional: opt), at: off)
        }
        guard let target else {
            return make(.call(function: name, target: nil, args: args), at: off)
        }
        if name == "bind", args.count == 3, case .ident("cel") = target.kind {
            let v = try simpleName(args[0], "cel.bind")
            return make(comp(.bind, v, nil, args[1], [args[2]]), at: off)
        }
        if case .ident("cel") = target.kind {
            if name == "block", args.count == 2, case .list(_, let opt) = args[0].kind, opt.isEmpty {
                return make(comp(.block, "", nil, args[0], [args[1]]), at: off)
            }
            if name == "index", args.count == 1, case .literal(.int(let i)) = args[0].kind, i >= 0 {
                return make(.ident("@index\(i)"), at: off)
            }
            if name == "iterVar", args.count == 2, case .literal(.int(let i)) = args[0].kind,
                case .literal(.int(let j)) = args[1].kind
            {
                return make(.ident("@it:\(i):\(j)"), at: off)
            }
        }
        let kind: ComprehensionKind?
        var twoVar = false
        switch (name, args.count) {
        case ("all", 2): kind = .all
        case ("all", 3): (kind, twoVar) = (.all, true)
        case ("exists", 2): kind = .exists
        case ("exists", 3): (kind, twoVar) = (.exists, true)
        case ("exists_one", 2), ("existsOne", 2): kind = .existsOne
        case ("exists_one", 3), ("existsOne", 3): (kind, twoVar) = (.existsOne, true)
        case ("map", 2): kind = .map
        case ("map", 3): kind = .mapFilter
        case ("filter", 2): kind = .filter
        case ("sortBy", 2): kind = .sortBy
        case ("transformList", 3): (kind, twoVar) = (.transformList, true)
        case ("transformList", 4): (kind, twoVar) = (.transformListFilter, true)
        case ("transformMap", 3): (kind, twoVar) = (.transformMap, true)
        case ("transformMap", 4): (kind, twoVar) = (.transformMapFilter, true)
        case ("transformMapEntry", 3): (kind, twoVar) = (.transformMapEntry, true)
        case ("transformMapEntry", 4): (kind, twoVar) = (.transformMapEntryFilter, true)
        case ("optMap", 2): kind = .optMap
        case ("optFlatMap", 2): kind = .optFlatMap
        default: kind = nil
        }
        guard let kind else {
            return make(.call(function: name, target: target, args: args), at: off)
        }
        let v1 = try simpleName(args[0], name)
        if twoVar {
            let v2 = try simpleName(args[1], name)
            if v1 == v2 {
                throw ParseError(offset: offsets[args[1].id] ?? off, message: "\(name)() iteration variables must differ")
            }
            return make(comp(kind, v1, v2, target, Array(args.dropFirst(2))), at: off)
        }
        return make(comp(kind, v1, nil, target, Array(args.dropFirst(1))), at: off)
    }
}
