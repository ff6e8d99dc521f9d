/// A `.sha256` file, read as GNU coreutils' `sha256sum -c` reads it: `<64 hex>  <name>` (text
/// mode), `<64 hex> *<name>` (binary mode), or `<64 hex> <name>` with one blank (the "reversed
/// BSD" form `md5 -r` and some tools write), one per line; the blank after the digest may be a
/// space or a tab, the line may start with blanks, and a line starting with `\` has its name
/// escaped (`\\`, `\n`). The BSD tag form `SHA256 (<name>) = <hex>` is read too. A line starting
/// with `#` is a comment. As in sha256sum, the first line in the two-character form or the
/// one-blank form fixes the form of the lines after it: after a `  `/` *` line a one-blank line
/// is not a checksum line, and after a one-blank line a name's leading ` ` or `*` is part of it.
public struct Sha256Sidecar: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        /// Lowercase hex.
        public var digest: String
        public var name: String
        public var isBinaryMode: Bool
        /// 1-based line in the sidecar.
        public var line: Int
    }

    /// The result of comparing a tarball with its sidecar: the facts `bundle.sidecar` exposes.
    public struct Check: Sendable, Hashable {
        public var sidecarFile: String
        public var expected: String?
        public var actual: String?
        /// The name written in the sidecar line used.
        public var nameInSidecar: String?
        /// Whether that name is exactly the tarball's file name (no folder), as `sha256sum -c`
        /// beside the tarball needs it.
        public var nameMatches: Bool
        /// Why the sidecar does not vouch for this tarball although a digest may match: it names
        /// another file or a path, or its lines for the tarball disagree; `nil` when none.
        public var problem: String?
        /// `expected == actual`, both present, and no `problem`.
        public var match: Bool
    }

    public var file: String
    public var lines: [Line]

    /// How the digest and the name of a line are separated: by `  ` or ` *`, or by one blank.
    private enum Form { case twoCharacters, oneBlank }

    private static let malformed = "not a sha256sum line: expected \"<64 hex digits>  <file name>\""

    /// Parses sidecar text; every malformed non-blank line is an error with its position.
    public static func parse(_ text: String, file: String) -> (sidecar: Sha256Sidecar, errors: [Diagnostic]) {
        var lines: [Line] = []
        var errors: [Diagnostic] = []
        var form: Form?
        // Lines end at "\n", and one "\r" before it is dropped, as sha256sum (coreutils 9) reads them.
        for (index, raw) in Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
            if line.allSatisfy(isBlank) || line.first == UInt8(ascii: "#") { continue }
            switch parseLine(line, number: index + 1, form: &form) {
            case .success(let parsed):
                lines.append(parsed)
            case .failure(let error):
                errors.append(Diagnostic(kind: .input, message: error.message, location: SourceSpan(file: file, line: index + 1, column: 1)))
            }
        }
        if lines.isEmpty && errors.isEmpty {
            errors.append(Diagnostic(kind: .input, message: "empty sha256 sidecar", location: SourceSpan(file: file, line: 1, column: 1)))
        }
        return (Sha256Sidecar(file: file, lines: lines), errors)
    }

    private struct LineError: Error {
        var message: String
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// One line as coreutils' `split_3` splits it (md5sum.c, digest.c).
    private static func parseLine(_ line: ArraySlice<UInt8>, number: Int, form: inout Form?) -> Result<Line, LineError> {
        var start = line.startIndex
        while start < line.endIndex, isBlank(line[start]) { start += 1 }
        let escaped = start < line.endIndex && line[start] == UInt8(ascii: "\\")
        if escaped { start += 1 }
        let body = line[start...]
        if body.starts(with: "SHA256".utf8) { return parseTag(body.dropFirst(6), escaped: escaped, number: number) }
        // 64 hex digits, a blank, and a name of at least one byte.
        guard body.count >= 66, Hex.isHex(Substring(decoding: body.prefix(64), as: UTF8.self), length: 64),
              isBlank(body[body.startIndex + 64])
        else { return .failure(LineError(message: malformed)) }
        let digest = String(decoding: body.prefix(64), as: UTF8.self).lowercased()
        var name = body.dropFirst(65)
        var binary = false
        if name.count == 1 || (name.first != UInt8(ascii: " ") && name.first != UInt8(ascii: "*")) {
            if form == .twoCharacters {
                return .failure(LineError(message: "not a sha256sum line: one blank between the digest and the file name, after a line with two (\"  \" or \" *\"): sha256sum -c does not mix the two forms"))
            }
            form = .oneBlank
        } else if form != .oneBlank {
            form = .twoCharacters
            binary = name.first == UInt8(ascii: "*")
            name = name.dropFirst()
        }
        guard let text = escaped ? unescape(name) : String(decoding: name, as: UTF8.self) else { return .failure(LineError(message: malformed)) }
        return .success(Line(digest: digest, name: text, isBinaryMode: binary, line: number))
    }

    /// The BSD tag form after `SHA256`: ` (<name>) = <hex>`, the space before `(` and the blanks
    /// around `=` optional; the name ends at the last `)`.
    private static func parseTag(_ tag: ArraySlice<UInt8>, escaped: Bool, number: Int) -> Result<Line, LineError> {
        var rest = tag
        if rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
        guard rest.first == UInt8(ascii: "("), let close = rest.lastIndex(of: UInt8(ascii: ")")) else { return .failure(LineError(message: malformed)) }
        let name = rest[(rest.startIndex + 1)..<close]
        var after = rest[(close + 1)...].drop(while: isBlank)
        guard after.first == UInt8(ascii: "=") else { return .failure(LineError(message: malformed)) }
        after = after.dropFirst().drop(while: isBlank)
        let digest = Substring(decoding: after, as: UTF8.self)
        guard !name.isEmpty, Hex.isHex(digest, length: 64), let text = escaped ? unescape(name) : String(decoding: name, as: UTF8.self) else {
            return .failure(LineError(message: malformed))
        }
        return .success(Line(digest: digest.lowercased(), name: text, isBinaryMode: true, line: number))
    }

    /// A name of a line starting with `\`: `\\` is `\` and `\n` a newline; any other escape, or
    /// a `\` at the end, makes the line no checksum line (nil), as for sha256sum.
    private static func unescape(_ name: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        var iterator = name.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            switch iterator.next() {
            case UInt8(ascii: "\\"): out.append(byte)
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The line for `fileName`: the one naming it exactly, else one naming a file of the same
    /// base name in some folder, else the only line (the caller sees `nameMatches == false`).
    public func line(for fileName: String) -> Line? {
        let wanted = Self.baseName(fileName)
        return lines.first { $0.name == wanted } ?? lines.first { Self.baseName($0.name) == wanted } ?? (lines.count == 1 ? lines.first : nil)
    }

    /// Compares the sidecar's digest for `fileName` with `actual` (lowercase hex). `sha256sum -c`
    /// run beside the tarball checks the file each line names: a line naming another file, or a
    /// path (`dir/NAME`, `./NAME`), checks something else (besides the tarball's own line too),
    /// and two lines for the tarball with different digests fail; each is a `problem`, and then no
    /// `match`.
    public func check(fileName: String, actual: String?) -> Check {
        let wanted = String(Self.baseName(fileName))
        let line = line(for: fileName)
        let expected = line?.digest
        var problem: String?
        if let line, line.name != wanted {
            problem = line.name.contains("/")
                ? "the sidecar names the path \(line.name) (line \(line.line)), not the file \(wanted) beside it: sha256sum -c checks that path"
                : "the sidecar names \(line.name) (line \(line.line)), not \(wanted): sha256sum -c checks that file"
        } else if let other = lines.first(where: { $0.name != wanted }) {
            problem = "the sidecar also names \(other.name) (line \(other.line)): sha256sum -c checks that file too, which is not the bundle"
        }
        let named = lines.filter { $0.name == wanted }
        if Set(named.map(\.digest)).count > 1 {
            problem = "the sidecar has \(named.count) lines for \(wanted) with different digests (lines \(named.map { String($0.line) }.joined(separator: ", "))): sha256sum -c fails"
        }
        return Check(
            sidecarFile: file, expected: expected, actual: actual, nameInSidecar: line?.name,
            nameMatches: line?.name == wanted, problem: problem,
            match: problem == nil && expected != nil && expected == actual)
    }

    /// Hashes `tarball` at disk speed and compares it with the sidecar at `sidecarPath`.
    public static func verify(tarball: String, sidecarPath: String) -> (check: Check?, errors: [Diagnostic]) {
        let text: String
        do {
            let listing = try FileDigest.readSmallFile(sidecarPath, limit: 1 << 20)
            text = String(decoding: listing, as: UTF8.self)
        } catch {
            return (nil, [Diagnostic(kind: .input, message: "cannot read sha256 sidecar: \(error)", location: SourceSpan(file: sidecarPath, line: 1, column: 1))])
        }
        let (sidecar, errors) = parse(text, file: sidecarPath)
        do {
            let actual = try FileDigest.sha256(ofFileAt: tarball)
            return (sidecar.check(fileName: tarball, actual: actual), errors)
        } catch let error as ArchiveReadError {
            return (sidecar.check(fileName: tarball, actual: nil), errors + [error.diagnostic])
        } catch {
            let diagnostic = Diagnostic(kind: .input, message: "cannot hash: \(error)", location: SourceSpan(file: tarball, line: 1, column: 1))
            return (sidecar.check(fileName: tarball, actual: nil), errors + [diagnostic])
        }
    }

    static func baseName(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}
