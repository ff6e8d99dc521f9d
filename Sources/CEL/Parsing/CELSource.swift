/// The text of one expression, indexed by Unicode scalar offsets.
///
/// All offsets in this module count Unicode scalars from the start of the expression;
/// lines and columns are 1-based and also count scalars.
public struct CELSource: Sendable {
    /// The expression text.
    public let text: String
    public let scalars: [Unicode.Scalar]
    /// Offsets of the first scalar of each line.
    let lineStarts: [Int]

    /// Creates a source from expression text.
    public init(_ text: String) {
        self.text = text
        let scalars = Array(text.unicodeScalars)
        self.scalars = scalars
        var starts = [0]
        for (i, s) in scalars.enumerated() where s == "\n" { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column of a scalar offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, scalars.count))
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, clamped - lineStarts[lo] + 1)
    }

    /// The scalar offset of a 1-based line and column (the end of the text included); nil when
    /// there is no such place.
    public func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let offset = lineStarts[line - 1] + column - 1
        return offset <= scalars.count ? offset : nil
    }

    /// The text of a 1-based line, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<max(start, end)])
        return String(s)
    }

    /// A two-line excerpt: the source line and a caret under `offset`.
    ///
    /// ```
    ///  | a + * b
    ///  | ....^
    /// ```
    public func caretExcerpt(at offset: Int) -> String {
        let (line, column) = location(of: offset)
        let text = lineText(line)
        return " | \(text)\n | \(String(repeating: ".", count: column - 1))^"
    }
}

/// A compile-time error: a syntax error, an undeclared reference, an unknown function or a type
/// error. Its fields are those of the expression's first error; ``all`` lists every one.
public struct CELCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The most errors reported of one expression (cel-go's default too).
    public static let maxErrors = 100

    /// Offset in Unicode scalars from the start of the expression.
    public let offset: Int
    /// 1-based line within the expression.
    public let line: Int
    /// 1-based column (Unicode scalars) within the line.
    public let column: Int
    /// The message without location, e.g. `undeclared reference to 'x'`.
    public let message: String
    /// `<input>:line:col: message` followed by the source line and a caret.
    public let rendered: String
    /// The expression's errors after this one, in source order: planning and the type check go on
    /// past an error, as cel-go's checker does. A syntax error has none.
    private var following: [CELCompileError] = []

    /// This error, then the expression's others.
    public var all: [CELCompileError] {
        var first = self
        first.following = []
        return [first] + following
    }

    /// The first of `errors` (not empty), holding the others: the first ``maxErrors`` by offset.
    init(_ errors: [CELCompileError]) {
        let sorted = errors.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
        self = sorted[0]
        following = Array(sorted.prefix(Self.maxErrors).dropFirst())
    }

    init(source: CELSource, offset: Int, message: String) {
        self.offset = offset
        let (line, column) = source.location(of: offset)
        self.line = line
        self.column = column
        self.message = message
        self.rendered = "<input>:\(line):\(column): \(message)\n" + source.caretExcerpt(at: offset)
    }

    public var description: String { rendered }
}
